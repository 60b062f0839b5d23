// Package bench is `fangkong bench`: the project's own measurement of the
// passage ingest path against a trivial HTTP handler on the same machine
// (SPEC §14), of its durability under SIGKILL, and of the co-presence search
// over a large passage log. It needs no external tools: the load generator
// is in this process, Fangkong and the trivial handler run as child
// processes of this same binary, and PostgreSQL is a throwaway cluster
// (pgcluster, fsync on). The figures are printed, never asserted.
package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"fangkong/internal/platform/storage/pgcluster"
)

// Options say what to measure.
type Options struct {
	Duration time.Duration // each load run
	Conns    int           // concurrent connections
	DBs      []string      // "sqlite", "postgres"
	Kill     bool          // run the SIGKILL test
	CoRows   int           // passages generated for the co-presence search (0: skip)
	// ProfileDir, when set, receives a CPU profile of Fangkong over each
	// ingest run, <db>-cpu.pprof, for `go tool pprof`.
	ProfileDir string
	Out        io.Writer
}

// checkpoints is how many checkpoints (and accounts) share the load.
const checkpoints = 8

// Run measures everything Options ask for, printing as it goes.
func Run(ctx context.Context, o Options) error {
	fmt.Fprintf(o.Out, "fangkong bench · %s · %s/%s · %d CPUs · GOMAXPROCS %d · %d connections · %s per run\n",
		time.Now().Format(time.RFC3339), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), o.Conns, o.Duration)
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(o.Out, "load average before: %s\n", strings.Join(strings.Fields(string(b))[:3], " "))
	}
	tmp, err := os.MkdirTemp("", "fkbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil { // PostgreSQL runs as another user under root
		return err
	}
	for _, name := range o.DBs {
		// The ceiling is measured again before each engine: on a shared
		// machine the speed drifts over minutes, and the ratio should
		// compare runs made under the same conditions.
		ceiling, err := runTrivial(ctx, o, name)
		if err != nil {
			return err
		}
		d, err := database(ctx, tmp, name)
		if err != nil {
			return err
		}
		err = runDatabase(ctx, o, name, d, tmp, ceiling)
		d.stop()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// runTrivial measures the ceiling: the trivial handler under the same load.
func runTrivial(ctx context.Context, o Options, before string) (Stats, error) {
	c, err := startChild(ctx, "/healthz", "bench", "-serve-trivial")
	if err != nil {
		return Stats{}, err
	}
	defer c.stop()
	tg := target{url: "http://" + c.addr + "/passages"}
	drive(ctx, tg, o.Conns, time.Second, passageBody(nil)) // warm up
	s := measured(c, nil, func() Stats { return drive(ctx, tg, o.Conns, o.Duration, passageBody(nil)) })
	fmt.Fprintf(o.Out, "\n== ceiling for %s: trivial handler (reads the body, answers 201 JSON)\n   %s\n", before, s)
	return s, nil
}

// benchDB is a throwaway database of the bench.
type benchDB struct {
	dsn  string
	stop func()
	// cpu is the CPU time of the database's own processes so far; nil for
	// SQLite, which runs inside Fangkong's process.
	cpu func() time.Duration
}

// database makes a fresh database of the kind named.
func database(ctx context.Context, tmp, name string) (benchDB, error) {
	switch name {
	case "sqlite":
		return benchDB{dsn: filepath.Join(tmp, "sqlite", "fangkong.db"), stop: func() {}}, nil
	case "postgres":
		dir := filepath.Join(tmp, "pg")
		c, err := pgcluster.Start(ctx, dir) // fsync and synchronous_commit on
		if err != nil {
			return benchDB{}, err
		}
		dsn, err := c.CreateDatabase(ctx, "fkbench")
		if err != nil {
			c.Stop()
			return benchDB{}, err
		}
		return benchDB{dsn: dsn, stop: func() { c.Stop() }, cpu: func() time.Duration { return treeCPU(c.PID()) }}, nil
	}
	return benchDB{}, fmt.Errorf("bench: unknown database %q (sqlite, postgres)", name)
}

// runDatabase is the ingest run, the SIGKILL test and the co-presence search
// on one database.
func runDatabase(ctx context.Context, o Options, name string, d benchDB, tmp string, ceiling Stats) error {
	dsn := d.dsn
	w, err := setup(ctx, dsn, checkpoints)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "\n== %s: POST /api/v1/passages (one passage per request, acknowledged after a durable commit)\n", name)
	s, rss, err := ingest(ctx, o, name, d, tmp, w)
	if err != nil {
		return err
	}
	ratio := s.RPS() / ceiling.RPS()
	fmt.Fprintf(o.Out, "   %s\n   ratio to ceiling %.0f%% (target ≥ 50%%) · p99 %.2f ms (target ≤ 25 ms) · peak RSS %.0f MB\n",
		s, 100*ratio, ms(s.P99), rss)
	if all, top := s.TotalCPU(), ceiling.TotalCPU(); all > 0 && top > 0 {
		fmt.Fprintf(o.Out, "   CPU per request, all processes: %d µs (ceiling %d µs): a CPU-bound machine allows at most %.0f%% of the ceiling\n",
			all.Microseconds(), top.Microseconds(), 100*float64(top)/float64(all))
	}
	if o.Kill {
		if err := killTest(ctx, o, name, dsn, tmp, w); err != nil {
			return err
		}
	}
	if o.CoRows > 0 {
		return coPresence(ctx, o, name, dsn)
	}
	return nil
}

// serveArgs start Fangkong on dsn.
func serveArgs(dsn, tmp string) []string {
	return []string{"serve", "-db", dsn, "-data", filepath.Join(tmp, "data"), "-log-level", "error"}
}

// ingest runs the load against a Fangkong child and returns its figures and
// the child's peak memory.
func ingest(ctx context.Context, o Options, name string, d benchDB, tmp string, w world) (Stats, float64, error) {
	args := serveArgs(d.dsn, tmp)
	debug := ""
	if o.ProfileDir != "" {
		var err error
		if debug, err = freeAddr(); err != nil {
			return Stats{}, 0, err
		}
		args = append(args, "-debug-listen", debug)
	}
	c, err := startChild(ctx, "/readyz", args...)
	if err != nil {
		return Stats{}, 0, err
	}
	defer c.stop()
	cookies, err := login("http://"+c.addr, w.users)
	if err != nil {
		return Stats{}, 0, err
	}
	tg := target{url: "http://" + c.addr + "/api/v1/passages", cookies: cookies}
	drive(ctx, tg, o.Conns, time.Second, passageBody(w.checkpoints)) // warm up
	profiled := make(chan error, 1)
	if debug != "" {
		go func() { profiled <- profile(debug, o.Duration, filepath.Join(o.ProfileDir, name+"-cpu.pprof")) }()
	} else {
		profiled <- nil
	}
	g0, r0 := c.commitGroups()
	s := measured(c, d.cpu, func() Stats { return drive(ctx, tg, o.Conns, o.Duration, passageBody(w.checkpoints)) })
	if g1, r1 := c.commitGroups(); g1 > g0 {
		s.Commits, s.PerCommit = int(g1-g0), (r1-r0)/(g1-g0)
	}
	return s, c.peakRSS(), <-profiled
}

// profile saves the CPU profile of the process serving pprof at addr over
// (about) dur.
func profile(addr string, dur time.Duration, path string) error {
	secs := max(1, int(dur.Seconds())-1)
	res, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, secs))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, res.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
