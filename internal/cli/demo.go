package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"fangkong/internal/app"
	"fangkong/internal/demo"
	"fangkong/internal/platform/storage"
)

func runDemo(ctx context.Context, s *ioset, args []string) error {
	var password string
	var noServe bool
	cfg, _, err := parseConfig("demo", s, args, func(fs *flag.FlagSet) {
		fs.StringVar(&password, "password", demo.DefaultPassword, "password of every demo account")
		fs.BoolVar(&noServe, "load-only", false, "load the scenario and exit without serving")
	})
	if err != nil {
		return err
	}
	if cfg.DefaultDate == "" {
		cfg.DefaultDate = demo.AsOf
	}
	if !storage.IsPostgres(cfg.Database) {
		// "A fresh embedded database": the demo never reuses an old file.
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(cfg.Database + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	db, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	summary, err := demo.Load(ctx, db, demo.Options{Password: password})
	if err != nil {
		return err
	}
	if noServe {
		fmt.Fprint(s.out, summary.Text("", password))
		return nil
	}
	tuneGC()
	a, err := app.New(cfg, db, newLogger(s.err, cfg.LogLevel))
	if err != nil {
		return err
	}
	return a.Serve(ctx, func(addr string) {
		fmt.Fprint(s.out, summary.Text("http://"+addr, password))
	})
}
