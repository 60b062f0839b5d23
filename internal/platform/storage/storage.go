// Package storage opens Fangkong's database — embedded SQLite by default, PostgreSQL
// for production — and gives every module the same small toolkit on top of
// database/sql: a writer/reader split, transactions, and the few dialect differences.
//
// Modules write one SQL text for both engines: placeholders are $1…$N (modernc's
// SQLite binds them by number, like PostgreSQL), dates travel as [Date], times as
// UTC time.Time, and schema differences are written as {{pk}}-style macros in the
// migrations (see migrate.go).
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the database engine behind a DB.
type Dialect string

// The two engines Fangkong runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open Fangkong database. Writes go through W; reads through R. On SQLite,
// W is a single connection so writers queue in Go instead of fighting over the
// file lock; on PostgreSQL both are the same pool.
type DB struct {
	W, R    *sql.DB
	Dialect Dialect
	// Source is the DSN or file path the database was opened from, passwords
	// removed, for logs.
	Source string
	wal    *walCheckpointer // SQLite: the background checkpoints (see wal.go)
}

// Open opens the database named by source: a postgres:// (or postgresql://) URL,
// or otherwise a SQLite file path. It pings before returning.
func Open(ctx context.Context, source string) (*DB, error) {
	var db *DB
	var err error
	if IsPostgres(source) {
		db, err = openPostgres(source)
	} else {
		db, err = openSQLite(source)
	}
	if err != nil {
		return nil, err
	}
	if err := db.W.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("storage: connect %s: %w", db.Source, err)
	}
	return db, nil
}

// IsPostgres reports whether source names a PostgreSQL server.
func IsPostgres(source string) bool {
	return strings.HasPrefix(source, "postgres://") || strings.HasPrefix(source, "postgresql://")
}

func openPostgres(dsn string) (*DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("storage: bad PostgreSQL URL: %w", err)
	}
	q := u.Query()
	if q.Get("timezone") == "" {
		q.Set("timezone", "UTC")
	}
	u.RawQuery = q.Encode()
	pool, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(max(16, 4*runtime.GOMAXPROCS(0)))
	pool.SetMaxIdleConns(max(16, 4*runtime.GOMAXPROCS(0)))
	return &DB{W: pool, R: pool, Dialect: Postgres, Source: u.Redacted()}, nil
}

// sqlitePragmas are applied to every connection. busy_timeout comes first so the
// others wait instead of failing while another process holds the file;
// synchronous=FULL makes every acknowledged commit survive power loss (WAL mode
// with NORMAL could lose the last ones).
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)&_time_format=sqlite"

func openSQLite(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("storage: empty database path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("storage: %w", err)
		}
	}
	base := "file:" + path + "?" + sqlitePragmas
	w, err := sql.Open("sqlite", base+"&_txlock=immediate&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", base)
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
	r.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
	return &DB{W: w, R: r, Dialect: SQLite, Source: path, wal: startWALCheckpointer(r, w)}, nil
}

// Close stops the background checkpoints and closes both pools.
func (db *DB) Close() error {
	if db.wal != nil {
		db.wal.close()
	}
	err := db.W.Close()
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

// Ping checks that the database answers; used by /readyz.
func (db *DB) Ping(ctx context.Context) error { return db.R.PingContext(ctx) }
