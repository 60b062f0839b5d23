package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestWALCheckpointer: the writer does not checkpoint by itself, and the
// background checkpoint keeps the log from growing while writes go on
// without a pause (the case SQLite's own checkpoint never meets here).
func TestWALCheckpointer(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "wal.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.wal.close() // the test runs the checkpoints itself, with this one
	ckpt := &walCheckpointer{r: db.R, w: db.W, ctx: ctx}
	if _, err := db.W.ExecContext(ctx, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	write := func(n int) {
		for range n {
			if _, err := db.W.ExecContext(ctx, `INSERT INTO notes (body) VALUES ($1)`, strings.Repeat("x", 3000)); err != nil {
				t.Fatal(err)
			}
		}
	}
	logPages := func() int { // copies, but never restarts the log
		var busy, pages, copied int
		if err := db.R.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &pages, &copied); err != nil {
			t.Fatal(err)
		}
		return pages
	}

	write(1500) // ≥ 1,500 pages: past SQLite's own threshold of 1,000
	if n := logPages(); n < 1500 {
		t.Fatalf("the log holds %d pages after 1,500 commits; the writer checkpointed by itself", n)
	}

	// Writes without a pause while checkpoints run: the log starts over
	// instead of growing by 3,000 pages.
	done := make(chan struct{})
	go func() {
		defer close(done)
		write(3000)
	}()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			if err := ckpt.checkpoint(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := logPages(); n > 500 {
		t.Fatalf("the log holds %d pages after 3,000 more commits with checkpoints; it should have started over", n)
	}
}
