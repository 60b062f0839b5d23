// Package storagetest gives every module's storage tests a fresh, migrated
// database on both engines Fangkong runs on.
//
//	func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }
//
//	func TestThing(t *testing.T) {
//		storagetest.Each(t, func(t *testing.T, db *storage.DB) {
//			// runs twice: subtests "sqlite" and "postgres"
//		})
//	}
//
// Every package that uses storagetest MUST have exactly that TestMain: Main
// stops the PostgreSQL cluster the package's tests started, so no postgres
// process outlives the test binary. Postgres and Each fail a test in a package
// without it.
//
// PostgreSQL: by default each test process starts one throwaway cluster
// (pgcluster, fsync off) the first time a test asks for PostgreSQL, and every
// test gets its own new database in it. Starting takes about a second. With
// FANGKONG_TEST_PG_DSN set to a postgres:// URL of a role that may create
// databases, tests use that server instead, each in a database named
// fk_<pid>_<random>_<n> that is dropped when the test ends.
//
// If PostgreSQL cannot be started or reached, tests that need it fail; they are
// never skipped — CI requires the PostgreSQL suite to run.
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/pgcluster"
)

// EnvDSN names the environment variable that points the tests at an existing
// PostgreSQL server instead of a throwaway cluster.
const EnvDSN = "FANGKONG_TEST_PG_DSN"

// dirPrefix names the cluster directories in os.TempDir(); the creating
// process's pid follows, so stale ones can be recognised.
const dirPrefix = "fangkong-pg-"

// timeout bounds starting the cluster and preparing one database.
const timeout = 2 * time.Minute

var (
	mainCalled atomic.Bool

	pgMu      sync.Mutex
	pgStarted bool
	pgServer  *server
	pgErr     error

	dbSeq atomic.Int64
	runID = randomHex(3) // with the pid, keeps names unique on a shared server
)

// server is where test databases are created.
type server struct {
	cluster  *pgcluster.Cluster // nil when external
	adminDSN string
}

func (s *server) create(ctx context.Context, name string) (string, error) {
	if s.cluster != nil {
		return s.cluster.CreateDatabase(ctx, name)
	}
	return pgcluster.CreateDatabase(ctx, s.adminDSN, name)
}

// Main runs the package's tests and then stops the PostgreSQL cluster they
// started, if any. Use it as func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }.
func Main(m *testing.M) int {
	mainCalled.Store(true)
	code := m.Run()
	if err := stop(); err != nil {
		fmt.Fprintln(os.Stderr, "storagetest:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// Each runs fn twice, as subtests "sqlite" and "postgres", each with a fresh
// migrated database that is closed when the subtest ends.
func Each(t *testing.T, fn func(t *testing.T, db *storage.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite is a fresh migrated SQLite database in t.TempDir().
func SQLite(t testing.TB) *storage.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "fangkong.db"))
	if err != nil {
		t.Fatalf("storagetest: open SQLite: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("storagetest: migrate SQLite: %v", err)
	}
	return db
}

// Postgres is a fresh migrated database of its own on the test process's
// PostgreSQL server, closed (and on an external server dropped) when the test
// ends.
func Postgres(t testing.TB) *storage.DB {
	t.Helper()
	if !mainCalled.Load() {
		t.Fatal("storagetest: this package has no TestMain calling storagetest.Main, so its PostgreSQL cluster would outlive the tests; add\n" +
			"\tfunc TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }")
	}
	srv, err := get()
	if err != nil {
		t.Fatalf("storagetest: PostgreSQL unavailable (tests need it; they are not skipped): %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	name := fmt.Sprintf("fk_%d_%s_%d", os.Getpid(), runID, dbSeq.Add(1))
	dsn, err := srv.create(ctx, name)
	if err != nil {
		t.Fatalf("storagetest: %v", err)
	}
	if srv.cluster == nil { // a shared server: leave nothing behind
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			if err := pgcluster.DropDatabase(ctx, srv.adminDSN, name); err != nil {
				t.Errorf("storagetest: %v", err)
			}
		})
	}
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("storagetest: open %s: %v", name, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("storagetest: migrate PostgreSQL database %s: %v", name, err)
	}
	return db
}

// get starts the cluster, or takes the external server, on first use. A
// failure is remembered: every later test fails with the same reason.
func get() (*server, error) {
	pgMu.Lock()
	defer pgMu.Unlock()
	if !pgStarted {
		pgStarted = true
		pgServer, pgErr = open()
	}
	return pgServer, pgErr
}

func open() (*server, error) {
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		if !storage.IsPostgres(dsn) {
			return nil, fmt.Errorf("%s must be a postgres:// URL", EnvDSN)
		}
		return &server{adminDSN: dsn}, nil
	}
	removeStaleDirs()
	dir, err := os.MkdirTemp("", dirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, err
	}
	// MkdirTemp makes 0700; under root the cluster runs as another user.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c, err := pgcluster.StartWith(ctx, dir, pgcluster.Options{Fast: true})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return &server{cluster: c, adminDSN: c.AdminDSN()}, nil
}

// stop stops the cluster if one was started.
func stop() error {
	pgMu.Lock()
	defer pgMu.Unlock()
	if pgServer == nil || pgServer.cluster == nil {
		return nil
	}
	err := pgServer.cluster.Stop()
	pgServer, pgErr = nil, errors.New("storagetest: PostgreSQL used after storagetest.Main stopped it")
	return err
}

// removeStaleDirs deletes cluster directories left by test processes that died
// without reaching Main's cleanup (a timeout panic, kill -9). On Linux their
// postmaster died with them; a directory whose creator or postmaster still
// runs is left alone.
func removeStaleDirs() {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, dir := range matches {
		rest := strings.TrimPrefix(filepath.Base(dir), dirPrefix)
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid == os.Getpid() || alive(pid) {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
			line, _, _ := strings.Cut(string(b), "\n")
			if pm, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && alive(pm) {
				continue
			}
		}
		_ = os.RemoveAll(dir)
	}
}

// alive reports whether process pid exists; when unsure, it says yes.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.ESRCH)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
