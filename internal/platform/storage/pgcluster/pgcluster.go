// Package pgcluster starts and stops a throwaway PostgreSQL cluster: initdb into a
// directory, a postmaster listening only on a unix socket in that directory, and
// databases created on demand. The storage tests (storagetest) and the
// `fangkong bench` command use it; nothing in production does.
//
// The binaries initdb and postgres (PostgreSQL 15 or later) are taken from PATH,
// or failing that from /usr/lib/postgresql/N/bin or /usr/pgsql-N/bin.
//
// PostgreSQL refuses to run as root. When the calling process is root, initdb and
// postgres run as the unprivileged user "postgres" (or "nobody" if there is none),
// the cluster directory is chowned to that user, and every directory above it must
// be searchable by that user — create it under os.TempDir() with mode 0755.
//
// On Linux the postmaster is a direct child of the calling process with a
// parent-death signal (SIGQUIT, PostgreSQL's immediate shutdown), so it goes away
// even when the caller dies without calling Stop (a test timeout panic, kill -9).
// Only the directory is left behind then.
package pgcluster

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// User is the superuser role of every cluster Start makes (trust authentication,
// no password).
const User = "fangkong"

// port only names the socket file (.s.PGSQL.5432); there is no TCP listener, so
// clusters in different directories never collide.
const port = 5432

// maxSocketPath is the longest unix socket path Linux accepts (sun_path is 108
// bytes including the terminating NUL).
const maxSocketPath = 107

// Options tune a cluster.
type Options struct {
	// Fast turns off fsync, full_page_writes and synchronous_commit. For unit
	// tests only: a crash of the machine can corrupt such a cluster, and any
	// durability or throughput measurement on it is meaningless.
	Fast bool
	// StartTimeout bounds the wait for the server to accept connections
	// (default 60s). The context passed to Start bounds it too.
	StartTimeout time.Duration
}

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	initdbBin   string
	postgresBin string

	dir     string
	dataDir string
	logPath string
	fast    bool
	cred    *credential // nil when not running as root

	cmd  *exec.Cmd
	done chan struct{} // closed when the postmaster has exited
	werr error         // cmd.Wait's result, valid after done is closed

	stopOnce sync.Once
	stopErr  error
	stopped  atomic.Bool
}

// Start runs initdb into dir/data and starts a postmaster on a unix socket in
// dir, with fsync and synchronous_commit on. dir is created if missing (it
// should be new or empty); Stop removes it. If Start fails, no server is left
// running, and dir is left for the caller to inspect or remove.
func Start(ctx context.Context, dir string) (*Cluster, error) {
	return StartWith(ctx, dir, Options{})
}

// StartWith is Start with options.
func StartWith(ctx context.Context, dir string, opt Options) (*Cluster, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	if n := len(dir) + len("/.s.PGSQL.") + len(strconv.Itoa(port)); n > maxSocketPath {
		return nil, fmt.Errorf("pgcluster: directory %s is too long for a unix socket path (%d > %d bytes); use a shorter one", dir, n, maxSocketPath)
	}
	initdb, postgres, err := binaries()
	if err != nil {
		return nil, err
	}
	c := &Cluster{
		initdbBin:   initdb,
		postgresBin: postgres,
		dir:         dir,
		dataDir:     filepath.Join(dir, "data"),
		logPath:     filepath.Join(dir, "postgres.log"),
		fast:        opt.Fast,
		done:        make(chan struct{}),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("pgcluster: create cluster directory: %w", err)
	}
	if os.Geteuid() == 0 {
		cred, err := unprivilegedUser()
		if err != nil {
			return nil, err
		}
		c.cred = cred
		if err := os.Chmod(dir, 0o755); err != nil {
			return nil, fmt.Errorf("pgcluster: %w", err)
		}
		if err := os.Chown(dir, int(cred.uid), int(cred.gid)); err != nil {
			return nil, fmt.Errorf("pgcluster: chown %s to %s: %w", dir, cred.name, err)
		}
		if err := checkTraversable(dir, cred); err != nil {
			return nil, err
		}
	}
	if err := c.initdb(ctx); err != nil {
		return nil, err
	}
	if err := c.start(ctx, opt); err != nil {
		return nil, err
	}
	return c, nil
}

// Dir is the cluster directory: data/, postgres.log and the socket.
func (c *Cluster) Dir() string { return c.dir }

// PID is the process id of the cluster's postmaster, the parent of all its
// server processes (the bench adds up their CPU time).
func (c *Cluster) PID() int { return c.cmd.Process.Pid }

// AdminDSN is a postgres:// URL for the "postgres" database as superuser.
func (c *Cluster) AdminDSN() string { return c.DSN("postgres") }

// DSN is a postgres:// URL for database name on this cluster. pgx takes a unix
// socket directory as the host query parameter: postgres://fangkong@/db?host=/dir.
func (c *Cluster) DSN(name string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(User),
		Path:     "/" + name,
		RawQuery: url.Values{"host": {c.dir}, "port": {strconv.Itoa(port)}, "sslmode": {"disable"}}.Encode(),
	}
	return u.String()
}

// CreateDatabase creates database name and returns a postgres:// URL for it,
// usable with storage.Open.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) (string, error) {
	if err := c.alive(); err != nil {
		return "", err
	}
	// Without fsync, copying the template's files (FILE_COPY, two checkpoints)
	// is several times faster than PostgreSQL 15's default of writing it all
	// through the WAL; with fsync on it is the other way round.
	dsn, err := createDatabase(ctx, c.AdminDSN(), name, c.fast)
	if err != nil {
		if dead := c.alive(); dead != nil {
			return "", fmt.Errorf("%w\n%w", err, dead)
		}
		return "", err
	}
	return dsn, nil
}

// DropDatabase drops database name, disconnecting its sessions.
func (c *Cluster) DropDatabase(ctx context.Context, name string) error {
	return DropDatabase(ctx, c.AdminDSN(), name)
}

// LogTail is the last n lines of the server log.
func (c *Cluster) LogTail(n int) string { return tail(c.logPath, n) }

// Stop shuts the server down immediately (no checkpoint; it is thrown away) and
// removes the cluster directory. It is safe to call more than once.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() { c.stopErr = c.stop() })
	return c.stopErr
}

func (c *Cluster) stop() error {
	c.stopped.Store(true)
	err := c.kill()
	if rerr := os.RemoveAll(c.dir); rerr != nil {
		err = errors.Join(err, fmt.Errorf("pgcluster: remove cluster directory: %w", rerr))
	}
	return err
}

// kill shuts the postmaster down immediately and waits for it to exit.
func (c *Cluster) kill() error {
	select {
	case <-c.done: // already exited
		return nil
	default:
	}
	// SIGQUIT is what pg_ctl stop -m immediate sends.
	if err := c.cmd.Process.Signal(quitSignal); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("pgcluster: signal postmaster: %w", err)
	}
	select {
	case <-c.done:
		return nil
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
		return fmt.Errorf("pgcluster: postmaster ignored immediate shutdown for 30s, killed\n%s", c.LogTail(20))
	}
}

func (c *Cluster) initdb(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, c.initdbBin,
		"-D", c.dataDir,
		"-A", "trust",
		"-U", User,
		"--no-sync",
		"-E", "UTF8",
		"--locale=C",
		"--no-instructions",
	)
	c.prepare(cmd)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		who := ""
		if c.cred != nil {
			who = fmt.Sprintf(" (as %s, uid %d)", c.cred.name, c.cred.uid)
		}
		return fmt.Errorf("pgcluster: initdb -D %s%s: %w\n%s", c.dataDir, who, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// binaries finds initdb and the postgres from the same installation: on PATH,
// else in the usual Debian/Ubuntu and RHEL package directories, newest first.
func binaries() (initdb, postgres string, err error) {
	initdb, err = exec.LookPath("initdb")
	if err != nil {
		var found []string
		for _, pat := range []string{"/usr/lib/postgresql/*/bin/initdb", "/usr/pgsql-*/bin/initdb"} {
			m, _ := filepath.Glob(pat)
			found = append(found, m...)
		}
		if len(found) == 0 {
			return "", "", fmt.Errorf("pgcluster: initdb not found on PATH nor in /usr/lib/postgresql/*/bin (install the PostgreSQL 15 server): %w", err)
		}
		slices.SortFunc(found, func(a, b string) int { return versionOf(b) - versionOf(a) })
		initdb = found[0]
	}
	postgres = filepath.Join(filepath.Dir(initdb), "postgres")
	if _, err := os.Stat(postgres); err != nil {
		if postgres, err = exec.LookPath("postgres"); err != nil {
			return "", "", fmt.Errorf("pgcluster: postgres not found next to %s nor on PATH: %w", initdb, err)
		}
	}
	return initdb, postgres, nil
}

// versionOf reads 15 from /usr/lib/postgresql/15/bin/initdb or /usr/pgsql-15/bin/initdb.
func versionOf(path string) int {
	v := filepath.Base(filepath.Dir(filepath.Dir(path)))
	return majorVersion(strings.TrimPrefix(v, "pgsql-"))
}

// settings are passed as -c flags, so postgresql.conf stays initdb's.
func settings(dir string, opt Options) []string {
	s := []string{
		"listen_addresses=",
		"unix_socket_directories=" + dir,
		"port=" + strconv.Itoa(port),
		"max_connections=200",
		"shared_buffers=128MB",
		// Throwaway: no replication, so the least WAL; larger WAL before
		// checkpoints so bulk loads don't checkpoint constantly.
		"wal_level=minimal",
		"max_wal_senders=0",
		"max_wal_size=2GB",
		"logging_collector=off",
		"log_checkpoints=off",
		"log_destination=stderr",
		"log_line_prefix=%m [%p] ",
	}
	if opt.Fast {
		s = append(s, "fsync=off", "full_page_writes=off", "synchronous_commit=off")
	} else {
		s = append(s, "fsync=on", "full_page_writes=on", "synchronous_commit=on")
	}
	return s
}

func (c *Cluster) start(ctx context.Context, opt Options) error {
	logf, err := os.OpenFile(c.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("pgcluster: server log: %w", err)
	}
	defer logf.Close() // the child has its own copy
	if c.cred != nil {
		_ = logf.Chown(int(c.cred.uid), int(c.cred.gid))
	}
	args := []string{"-D", c.dataDir}
	for _, s := range settings(c.dir, opt) {
		args = append(args, "-c", s)
	}
	cmd := exec.Command(c.postgresBin, args...)
	c.prepare(cmd)
	setParentDeathSignal(cmd)
	cmd.Stdin = nil
	cmd.Stdout = logf
	cmd.Stderr = logf
	c.cmd = cmd

	// The parent-death signal fires when the OS thread that forked the child
	// exits, not the process. Fork from a goroutine locked to its thread that
	// stays blocked in Wait for the server's whole life.
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			runtime.UnlockOSThread()
			return
		}
		started <- nil
		c.werr = cmd.Wait()
		close(c.done)
		runtime.UnlockOSThread()
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("pgcluster: start postgres: %w", err)
	}

	timeout := opt.StartTimeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	if err := c.waitReady(ctx, timeout); err != nil {
		_ = c.kill()
		return err
	}
	return nil
}

// waitReady waits, as pg_ctl -w does, for postmaster.pid to say "ready".
func (c *Cluster) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	pidFile := filepath.Join(c.dataDir, "postmaster.pid")
	for {
		if b, err := os.ReadFile(pidFile); err == nil {
			// Line 8 is the status: starting, stopping, ready, standby.
			lines := strings.Split(string(b), "\n")
			if len(lines) >= 8 && strings.TrimSpace(lines[7]) == "ready" {
				return nil
			}
		}
		select {
		case <-c.done:
			return fmt.Errorf("pgcluster: postgres exited during startup (%v); server log %s:\n%s", c.werr, c.logPath, c.LogTail(30))
		case <-ctx.Done():
			return fmt.Errorf("pgcluster: waiting for postgres to start: %w; server log:\n%s", ctx.Err(), c.LogTail(30))
		case <-deadline.C:
			return fmt.Errorf("pgcluster: postgres not ready after %v; server log:\n%s", timeout, c.LogTail(30))
		case <-tick.C:
		}
	}
}

func (c *Cluster) alive() error {
	if c.stopped.Load() {
		return errors.New("pgcluster: cluster already stopped")
	}
	select {
	case <-c.done:
		return fmt.Errorf("pgcluster: postgres has exited (%v); server log:\n%s", c.werr, c.LogTail(30))
	default:
		return nil
	}
}

// prepare sets the working directory, a PG*-free environment, and the
// unprivileged user when running as root.
func (c *Cluster) prepare(cmd *exec.Cmd) {
	cmd.Dir = c.dir
	env := []string{}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PG") {
			continue // PGDATA, PGPORT, PGHOST … would redirect initdb or postgres
		}
		env = append(env, kv)
	}
	if c.cred != nil {
		env = append(env, "HOME="+c.dir)
	}
	cmd.Env = env
	if c.cred != nil {
		setCredential(cmd, c.cred)
	}
}

// credential is the unprivileged account initdb and postgres run as under root.
type credential struct {
	name     string
	uid, gid uint32
}

func unprivilegedUser() (*credential, error) {
	var errs []error
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			errs = append(errs, fmt.Errorf("user %s has non-numeric uid/gid %s/%s", name, u.Uid, u.Gid))
			continue
		}
		return &credential{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
	}
	return nil, fmt.Errorf("pgcluster: running as root and no unprivileged user to run PostgreSQL as: %w", errors.Join(errs...))
}

// checkTraversable reports a clear error when some directory above dir cannot
// be searched by the unprivileged user (initdb would fail with a bare EACCES).
// It looks at mode bits only: owner, primary group, others.
func checkTraversable(dir string, cred *credential) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		if uid, gid, ok := owner(fi); ok {
			m := fi.Mode().Perm()
			var can bool
			switch {
			case uid == cred.uid:
				can = m&0o100 != 0
			case gid == cred.gid:
				can = m&0o010 != 0
			default:
				can = m&0o001 != 0
			}
			if !can {
				return fmt.Errorf("pgcluster: running as root, PostgreSQL runs as %s (uid %d), which cannot enter %s (mode %v): put the cluster directory under a world-searchable path such as %s",
					cred.name, cred.uid, p, m, os.TempDir())
			}
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// CreateDatabase creates database name on the server adminDSN (a postgres://
// URL of a superuser, or a role with CREATEDB) connects to, and returns the URL
// of the new database: adminDSN with its path replaced.
func CreateDatabase(ctx context.Context, adminDSN, name string) (string, error) {
	return createDatabase(ctx, adminDSN, name, false)
}

func createDatabase(ctx context.Context, adminDSN, name string, fileCopy bool) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	u, err := url.Parse(adminDSN)
	if err != nil {
		return "", fmt.Errorf("pgcluster: admin DSN is not a URL: %w", err)
	}
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return "", fmt.Errorf("pgcluster: connect to %s: %w", u.Redacted(), err)
	}
	defer conn.Close(context.Background())
	stmt := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if fileCopy && majorVersion(conn.PgConn().ParameterStatus("server_version")) >= 15 {
		stmt += " STRATEGY FILE_COPY"
	}
	if _, err := conn.Exec(ctx, stmt); err != nil {
		return "", fmt.Errorf("pgcluster: create database %s on %s: %w", name, u.Redacted(), err)
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// majorVersion reads 15 from "15.18 (Debian 15.18-0+deb12u1)".
func majorVersion(v string) int {
	end := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	if end >= 0 {
		v = v[:end]
	}
	n, _ := strconv.Atoi(v)
	return n
}

// DropDatabase drops database name if it exists, disconnecting its sessions.
func DropDatabase(ctx context.Context, adminDSN, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return fmt.Errorf("pgcluster: connect to drop %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("pgcluster: drop database %s: %w", name, err)
	}
	return nil
}

// checkName keeps database names plain, so they need no escaping in URLs and
// are not silently truncated at 63 bytes.
func checkName(name string) error {
	if name == "" || len(name) > 63 {
		return fmt.Errorf("pgcluster: database name %q must be 1–63 bytes", name)
	}
	for _, r := range name {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("pgcluster: database name %q: only letters, digits, _ and - allowed", name)
		}
	}
	return nil
}

// tail is the last n lines of a file, for error messages.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Sprintf("(no server log: %v)", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > 64<<10 {
		_, _ = f.Seek(fi.Size()-64<<10, 0)
	}
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	if len(lines) == 0 {
		return "(server log is empty)"
	}
	return strings.Join(lines, "\n")
}
