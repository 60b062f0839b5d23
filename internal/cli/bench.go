package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"fangkong/internal/bench"
)

func runBench(ctx context.Context, s *ioset, args []string) error {
	fs := flag.NewFlagSet("fangkong bench", flag.ContinueOnError)
	fs.SetOutput(s.err)
	o := bench.Options{Out: s.out}
	var dbs, listen string
	var quick, trivial, noKill bool
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "length of each load run")
	fs.IntVar(&o.Conns, "conns", 64, "concurrent connections")
	fs.StringVar(&dbs, "db", "sqlite,postgres", "databases to measure: sqlite, postgres or both")
	fs.IntVar(&o.CoRows, "copresence-rows", 10_000_000, "passages to generate for the co-presence search (0 skips it)")
	fs.BoolVar(&quick, "quick", false, "a short run: 3s loads and 1,000,000 passages for co-presence")
	fs.BoolVar(&noKill, "no-kill", false, "skip the SIGKILL durability test")
	fs.StringVar(&o.ProfileDir, "profile", "", "directory for a CPU profile of Fangkong during each ingest run (<db>-cpu.pprof)")
	fs.BoolVar(&trivial, "serve-trivial", false, "internal: serve the trivial handler (the bench starts it)")
	fs.StringVar(&listen, "listen", "127.0.0.1:0", "internal: address of -serve-trivial")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if trivial {
		return bench.ServeTrivial(ctx, listen)
	}
	if quick {
		o.Duration, o.CoRows = 3*time.Second, min(o.CoRows, 1_000_000)
	}
	if o.Conns < 1 || o.Duration <= 0 || o.CoRows < 0 {
		return fmt.Errorf("bench: -conns, -duration and -copresence-rows must be positive")
	}
	o.DBs, o.Kill = strings.Split(dbs, ","), !noKill
	return bench.Run(ctx, o)
}
