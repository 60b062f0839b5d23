package cli

import (
	"context"
	"os"
	"runtime/debug"

	"fangkong/internal/app"
)

func runServe(ctx context.Context, s *ioset, args []string) error {
	cfg, _, err := parseConfig("serve", s, args, nil)
	if err != nil {
		return err
	}
	log := newLogger(s.err, cfg.LogLevel)
	tuneGC()
	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := app.New(cfg, db, log)
	if err != nil {
		return err
	}
	return a.Serve(ctx, func(addr string) {
		log.Info("serving", "addr", addr, "db", db.Source, "dialect", db.Dialect)
	})
}

func runMigrate(ctx context.Context, s *ioset, args []string) error {
	cfg, _, err := parseConfig("migrate", s, args, nil)
	if err != nil {
		return err
	}
	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = s.out.Write([]byte("migrated " + db.Source + "\n"))
	return err
}

// tuneGC trades memory the server has for CPU it lacks, unless the operator
// set GOGC or GOMEMLIMIT: the live heap is a few tens of MB, so collecting at
// 4× instead of 2× of it halves the collector's share of a busy 2-core
// machine (~7% of the ingest path's CPU, docs/benchmarks.md), and the soft
// limit brings the default back before the process nears the 250 MB the
// county's small machine allows (SPEC §14).
func tuneGC() {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(300)
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(200 << 20)
	}
}
