package storage

import (
	"context"
	"database/sql"
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
//  1. a PASSIVE checkpoint on a reader connection copies the bulk of the log
//     while commits go on (PASSIVE takes no write lock);
//  2. a PASSIVE checkpoint on the write connection copies the few pages
//     committed meanwhile. It waits its turn like any writer and is short.
//
// Step 2 matters: SQLite starts the log over from its beginning only when a
// writer finds every page of it copied, which under steady load step 1
// alone never achieves (a commit always lands while it copies), and the log
// would grow without end.

// walCheckpointEvery is how often the background checkpoint runs.
const walCheckpointEvery = 250 * time.Millisecond

// walCheckpointer runs the background checkpoints of one SQLite database.
type walCheckpointer struct {
	r, w *sql.DB
	stop chan struct{}
	once sync.Once
	done sync.WaitGroup
}

func startWALCheckpointer(r, w *sql.DB) *walCheckpointer {
	c := &walCheckpointer{r: r, w: w, stop: make(chan struct{})}
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
		case <-c.stop:
			return
		case <-tick.C:
			if err := c.checkpoint(); err != nil {
				slog.Warn("storage: WAL checkpoint", "err", err)
			}
		}
	}
}

// checkpoint runs both steps (see above).
func (c *walCheckpointer) checkpoint() error {
	if _, err := walCheckpoint(c.r); err != nil {
		return err
	}
	_, err := walCheckpoint(c.w)
	return err
}

// walCheckpoint runs a PASSIVE checkpoint on one of db's connections and
// returns the size of the log in pages.
func walCheckpoint(db *sql.DB) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var busy, logPages, copied int
	err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &copied)
	return logPages, err
}

// close stops the checkpoints; closing the last connection checkpoints what
// is left.
func (c *walCheckpointer) close() {
	c.once.Do(func() { close(c.stop) })
	c.done.Wait()
}
