package cli

import (
	"context"

	"fangkong/internal/app"
)

func runServe(ctx context.Context, s *ioset, args []string) error {
	cfg, _, err := parseConfig("serve", s, args, nil)
	if err != nil {
		return err
	}
	log := newLogger(s.err, cfg.LogLevel)
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
