package pgcluster_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"fangkong/internal/platform/storage/pgcluster"
)

// newDir is a fresh directory the unprivileged user can reach under root.
func newDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "fangkong-pgcluster-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func show(t *testing.T, conn *pgx.Conn, name string) string {
	t.Helper()
	var v string
	if err := conn.QueryRow(context.Background(), "SHOW "+name).Scan(&v); err != nil {
		t.Fatalf("SHOW %s: %v", name, err)
	}
	return v
}

func TestCluster(t *testing.T) {
	for _, fast := range []bool{false, true} {
		name := map[bool]string{false: "durable", true: "fast"}[fast]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dir := newDir(t)
			t0 := time.Now()
			c, err := pgcluster.StartWith(ctx, dir, pgcluster.Options{Fast: fast})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("started in %v", time.Since(t0).Round(time.Millisecond))
			defer c.Stop()

			dsn, err := c.CreateDatabase(ctx, "fk_one")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(dsn, "postgres://") || !strings.Contains(dsn, "/fk_one?") {
				t.Errorf("dsn %q", dsn)
			}
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			if v := show(t, conn, "server_version_num"); v < "150000" || len(v) != 6 {
				t.Errorf("server_version_num %s, want PostgreSQL 15 or later", v)
			}
			want := map[string]string{
				"fsync":              map[bool]string{false: "on", true: "off"}[fast],
				"synchronous_commit": map[bool]string{false: "on", true: "off"}[fast],
				"max_connections":    "200",
				"shared_buffers":     "128MB",
				"listen_addresses":   "",
			}
			for k, v := range want {
				if got := show(t, conn, k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if _, err := c.CreateDatabase(ctx, "fk_one"); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Errorf("second CreateDatabase: %v", err)
			}
			if _, err := c.CreateDatabase(ctx, `x"; DROP`); err == nil {
				t.Error("CreateDatabase accepted a bad name")
			}
			conn.Close(ctx)
			if err := c.DropDatabase(ctx, "fk_one"); err != nil {
				t.Error(err)
			}

			if err := c.Stop(); err != nil {
				t.Fatal(err)
			}
			if err := c.Stop(); err != nil {
				t.Errorf("second Stop: %v", err)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("cluster dir still there after Stop: %v", err)
			}
			if _, err := c.CreateDatabase(ctx, "fk_two"); err == nil {
				t.Error("CreateDatabase after Stop succeeded")
			}
		})
	}
}

func TestStartErrors(t *testing.T) {
	ctx := context.Background()
	long := filepath.Join(os.TempDir(), strings.Repeat("x", 120))
	if _, err := pgcluster.Start(ctx, long); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("long dir: %v", err)
	}
	// initdb refuses a non-empty data directory; its output is in the error.
	dir := newDir(t)
	if err := os.MkdirAll(filepath.Join(dir, "data", "junk"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := pgcluster.Start(ctx, dir)
	if err == nil || !strings.Contains(err.Error(), "initdb") || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("non-empty data dir: %v", err)
	}
	if os.Geteuid() == 0 {
		// A parent the unprivileged user cannot enter.
		private, err := os.MkdirTemp("", "fangkong-pgcluster-test-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(private)
		_, err = pgcluster.Start(ctx, filepath.Join(private, "c"))
		if err == nil || !strings.Contains(err.Error(), "cannot enter") {
			t.Errorf("private parent: %v", err)
		}
	}
}
