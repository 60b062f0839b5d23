package storage

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// SQLite's write-ahead log is folded back into the database file by a
// checkpoint. Left to SQLite, the writer runs it itself after the commit that
// takes the log past 1,000 pages: it copies those pages into the database and
// fsyncs it while holding the one write connection, so every writer queued
// behind it waits. On a busy passage log that was a tenth of the writer's
// time and its slowest commits.
//
// Here the writer never checkpoints (wal_autocheckpoint(0)). A background
// goroutine does it in two steps:
//
//  1. PASSIVE checkpoints on a reader connection copy the bulk of the log
//     while commits go on (PASSIVE takes no write lock), again while what
//     was committed meanwhile is more than walTailPages;
//  2. a PASSIVE checkpoint on the write connection copies the few pages
//     left. It waits its turn like any writer and is short.
//
// Step 2 matters: SQLite starts the log over from its beginning only when a
// writer finds every page of it copied, which under steady load step 1
// alone never achieves (a commit always lands while it copies), and the log
// would grow without end.

// walCheckpointEvery is how often the background checkpoint runs.
const walCheckpointEvery = 250 * time.Millisecond

// walTailPages is how many uncopied pages step 2 may be left with: copying
// and syncing them holds up the writers.
const walTailPages = 64

// walCheckpointer runs the background checkpoints of one SQLite database.
type walCheckpointer struct {
	r, w *sql.DB
	ctx  context.Context // ends when the database closes
	stop context.CancelFunc
	done sync.WaitGroup
}

func startWALCheckpointer(r, w *sql.DB) *walCheckpointer {
	c := &walCheckpointer{r: r, w: w}
	c.ctx, c.stop = context.WithCancel(context.Background())
	c.done.Add(1)
	go c.run()
	return c
}

func (c *walCheckpointer) run() {
	defer c.done.Done()
	tick := time.NewTicker(walCheckpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-tick.C:
			if err := c.checkpoint(); err != nil && c.ctx.Err() == nil {
				slog.Warn("storage: WAL checkpoint", "err", err)
			}
		}
	}
}

// checkpoint runs both steps (see above).
func (c *walCheckpointer) checkpoint() error {
	for range 4 {
		left, err := c.walCheckpoint(c.r, 30*time.Second)
		if err != nil {
			return err
		}
		if left <= walTailPages {
			break
		}
	}
	// A long write transaction (an import) holds the write connection:
	// then step 2 waits for the next round.
	_, err := c.walCheckpoint(c.w, walCheckpointEvery)
	if errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	return err
}

// walCheckpoint runs a PASSIVE checkpoint on one of db's connections, waiting
// at most wait for it, and returns how many pages of the log it left
// uncopied.
func (c *walCheckpointer) walCheckpoint(db *sql.DB, wait time.Duration) (int, error) {
	ctx, cancel := context.WithTimeout(c.ctx, wait)
	defer cancel()
	var busy, logPages, copied int
	err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &copied)
	return logPages - copied, err
}

// close stops the checkpoints, cutting one short; closing the last
// connection checkpoints what is left.
func (c *walCheckpointer) close() {
	c.stop()
	c.done.Wait()
}
