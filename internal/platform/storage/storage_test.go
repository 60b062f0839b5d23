package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

// ddl gives a test-only table the column types migrate.go's macros give the
// migrations; TestColumnTypes checks the real tables agree for {{time}}.
func ddl(db *storage.DB, stmt string) string {
	r := map[storage.Dialect]*strings.Replacer{
		storage.SQLite:   strings.NewReplacer("{{date}}", "TEXT", "{{time}}", "TIMESTAMP"),
		storage.Postgres: strings.NewReplacer("{{date}}", "DATE", "{{time}}", "TIMESTAMPTZ"),
	}[db.Dialect]
	return r.Replace(stmt)
}

func exec(t *testing.T, q storage.Querier, query string, args ...any) {
	t.Helper()
	if _, err := q.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func strings1(t *testing.T, q storage.Querier, query string, args ...any) []string {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations found: %v", err)
	}
	want := []string{}
	for _, f := range files {
		want = append(want, filepath.ToSlash(f))
	}
	slices.Sort(want)

	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const q = `SELECT name FROM schema_migrations ORDER BY name`
		if got := strings1(t, db.R, q); !slices.Equal(got, want) {
			t.Fatalf("applied %v, want %v", got, want)
		}
		// Idempotent: storagetest already migrated once.
		for i := 0; i < 2; i++ {
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("Migrate again: %v", err)
			}
		}
		if got := strings1(t, db.R, q); !slices.Equal(got, want) {
			t.Fatalf("after re-running, applied %v, want %v", got, want)
		}
		exec(t, db.W, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)`, "k", "v", time.Now().UTC())
		if got := strings1(t, db.R, `SELECT value FROM settings WHERE key = $1`, "k"); !slices.Equal(got, []string{"v"}) {
			t.Fatalf("settings: %v", got)
		}
	})
}

// TestColumnTypes checks the macros reach the real tables: {{time}} is a
// zone-aware timestamp on PostgreSQL, and {{pk}} numbers rows on both.
func TestColumnTypes(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		var typ string
		var err error
		switch db.Dialect {
		case storage.Postgres:
			err = db.R.QueryRowContext(ctx, `SELECT data_type FROM information_schema.columns
				WHERE table_name = 'org_nodes' AND column_name = 'created_at'`).Scan(&typ)
			if err == nil && typ != "timestamp with time zone" {
				t.Errorf("org_nodes.created_at is %q, want timestamp with time zone", typ)
			}
		case storage.SQLite:
			err = db.R.QueryRowContext(ctx, `SELECT type FROM pragma_table_info('org_nodes') WHERE name = 'created_at'`).Scan(&typ)
			if err == nil && typ != "TIMESTAMP" {
				t.Errorf("org_nodes.created_at is %q, want TIMESTAMP", typ)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		var ids []int64
		for _, code := range []string{"a", "b"} {
			var id int64
			if err := db.W.QueryRowContext(ctx, `INSERT INTO org_nodes (code, name_zh, level, created_at, updated_at)
				VALUES ($1, $1, 'county', $2, $2) RETURNING id`, code, now).Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if ids[0] <= 0 || ids[1] <= ids[0] {
			t.Errorf("ids %v, want increasing positive", ids)
		}
	})
}

func TestDate(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		exec(t, db.W, ddl(db, `CREATE TABLE t_dates (k TEXT PRIMARY KEY, d {{date}})`))
		in := map[string]storage.Date{
			"leap":    storage.MustDate("2024-02-29"),
			"newyear": storage.MustDate("2024-01-01"),
			"eve":     storage.MustDate("2023-12-31"),
			"march":   storage.MustDate("2024-03-01"),
			"none":    {},
		}
		for k, d := range in {
			exec(t, db.W, `INSERT INTO t_dates (k, d) VALUES ($1, $2)`, k, d)
		}
		for k, want := range in {
			var got storage.Date
			if err := db.R.QueryRowContext(ctx, `SELECT d FROM t_dates WHERE k = $1`, k).Scan(&got); err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			if got != want || got.String() != want.String() {
				t.Errorf("%s: got %q (%v), want %q", k, got, got.Time, want)
			}
		}
		if got, want := strings1(t, db.R, `SELECT k FROM t_dates WHERE d <= $1 ORDER BY d`, storage.MustDate("2024-02-29")),
			[]string{"eve", "newyear", "leap"}; !slices.Equal(got, want) {
			t.Errorf("d <= 2024-02-29: %v, want %v", got, want)
		}
		if got, want := strings1(t, db.R, `SELECT k FROM t_dates WHERE d > $1 AND d < $2 ORDER BY d DESC`,
			storage.MustDate("2023-12-31"), storage.MustDate("2024-03-01")),
			[]string{"leap", "newyear"}; !slices.Equal(got, want) {
			t.Errorf("between: %v, want %v", got, want)
		}
		if got := strings1(t, db.R, `SELECT k FROM t_dates WHERE d IS NULL`); !slices.Equal(got, []string{"none"}) {
			t.Errorf("zero Date should be NULL: %v", got)
		}
	})
}

func TestTime(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		base := time.Date(2024, 3, 1, 9, 59, 59, 0, time.UTC)
		// Fractions with and without trailing zeros: SQLite compares the text.
		in := map[string]time.Time{
			"t0": base.Add(999999 * time.Microsecond),
			"t1": base.Add(time.Second),
			"t2": base.Add(time.Second + 500*time.Millisecond),
			"t3": base.Add(time.Second + 123456*time.Microsecond),
			"t4": base.Add(24 * time.Hour),
		}
		for k, v := range in {
			exec(t, db.W, `INSERT INTO settings (key, value, updated_at) VALUES ($1, '', $2)`, k, v)
		}
		for k, want := range in {
			var got time.Time
			if err := db.R.QueryRowContext(ctx, `SELECT updated_at FROM settings WHERE key = $1`, k).Scan(&got); err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			// The instant survives; the Location read back is the driver's
			// choice (time.Local from pgx), so compare in UTC.
			if !got.Equal(want) || got.UTC() != want {
				t.Errorf("%s: got %v, want %v", k, got, want)
			}
		}
		if got, want := strings1(t, db.R, `SELECT key FROM settings WHERE updated_at <= $1 ORDER BY updated_at`, in["t2"]),
			[]string{"t0", "t1", "t3", "t2"}; !slices.Equal(got, want) {
			t.Errorf("<= t2: %v, want %v", got, want)
		}
		if got, want := strings1(t, db.R, `SELECT key FROM settings WHERE updated_at < $1 ORDER BY updated_at DESC`, in["t1"]),
			[]string{"t0"}; !slices.Equal(got, want) {
			t.Errorf("< t1: %v, want %v", got, want)
		}
	})
}

func TestIsUniqueViolation(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		ins := `INSERT INTO settings (key, value, updated_at) VALUES ($1, 'v', $2)`
		exec(t, db.W, ins, "dup", now)
		_, err := db.W.ExecContext(ctx, ins, "dup", now)
		if !storage.IsUniqueViolation(err) {
			t.Errorf("primary key: IsUniqueViolation(%v) = false", err)
		}
		// A UNIQUE column, inside a transaction.
		node := `INSERT INTO org_nodes (code, name_zh, level, created_at, updated_at) VALUES ($1, 'x', 'county', $2, $2)`
		exec(t, db.W, node, "c1", now)
		err = db.InTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, node, "c1", now)
			return err
		})
		if !storage.IsUniqueViolation(err) {
			t.Errorf("unique column in tx: IsUniqueViolation(%v) = false", err)
		}
		// Other errors are not unique violations.
		_, err = db.W.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, NULL, $2)`, "n", now)
		if err == nil || storage.IsUniqueViolation(err) {
			t.Errorf("NOT NULL violation: err %v, IsUniqueViolation true", err)
		}
		if storage.IsUniqueViolation(nil) {
			t.Error("IsUniqueViolation(nil) = true")
		}
	})
}

func TestInTx(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		ins := `INSERT INTO settings (key, value, updated_at) VALUES ($1, 'v', $2)`
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *sql.Tx) error {
			exec(t, tx, ins, "rolled", time.Now().UTC())
			if got := strings1(t, tx, `SELECT key FROM settings`); !slices.Equal(got, []string{"rolled"}) {
				t.Errorf("inside tx: %v", got)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx returned %v, want the fn's error", err)
		}
		// A failed statement aborts a PostgreSQL transaction; rollback still works.
		err = db.InTx(ctx, func(tx *sql.Tx) error {
			exec(t, tx, ins, "rolled2", time.Now().UTC())
			_, err := tx.ExecContext(ctx, `SELECT * FROM no_such_table`)
			return err
		})
		if err == nil {
			t.Fatal("InTx with a failing statement returned nil")
		}
		if got := strings1(t, db.R, `SELECT key FROM settings`); len(got) != 0 {
			t.Fatalf("rolled-back rows visible: %v", got)
		}
		if err := db.InTx(ctx, func(tx *sql.Tx) error {
			exec(t, tx, ins, "kept", time.Now().UTC())
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := strings1(t, db.R, `SELECT key FROM settings`); !slices.Equal(got, []string{"kept"}) {
			t.Fatalf("after commit: %v", got)
		}
	})
}

func TestArgs(t *testing.T) {
	t.Parallel()
	var a storage.Args
	if p1, p2 := a.Add(1), a.Add("x"); p1 != "$1" || p2 != "$2" || len(a) != 2 || a[1] != "x" {
		t.Fatalf("Add: %s %s %v", p1, p2, a)
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		now := time.Now().UTC()
		for _, kv := range [][2]string{{"a", "x"}, {"b", "a"}, {"c", "y"}, {"d", "z"}} {
			exec(t, db.W, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)`, kv[0], kv[1], now)
		}
		// A filter built up piece by piece, one placeholder used twice.
		var args storage.Args
		var where []string
		p := args.Add("a")
		where = append(where, "(key = "+p+" OR value = "+p+")")
		where = append(where, "key IN ("+args.Add("b")+", "+args.Add("c")+")")
		q := `SELECT key FROM settings WHERE (` + strings.Join(where, " OR ") + `) AND updated_at <= ` + args.Add(now) + ` ORDER BY key`
		if got, want := strings1(t, db.R, q, args...), []string{"a", "b", "c"}; !slices.Equal(got, want) {
			t.Errorf("%s %v: got %v, want %v", q, args, got, want)
		}
	})
}
