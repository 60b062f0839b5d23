// Package app wires Fangkong together: it opens the database, builds the
// platform, registers every module's routes and views, and serves HTTP with a
// graceful shutdown. It is the only package that knows all modules.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"fangkong/internal/account"
	"fangkong/internal/auditlog"
	"fangkong/internal/checkpoint"
	"fangkong/internal/command"
	"fangkong/internal/enterprise"
	"fangkong/internal/isolation"
	"fangkong/internal/liaison"
	"fangkong/internal/org"
	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/config"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
	"fangkong/internal/screening"
	"fangkong/internal/surveillance"
	"fangkong/internal/tracing"
)

// App is a ready-to-serve Fangkong.
type App struct {
	Config  *config.Config
	DB      *storage.DB
	Env     *web.Env
	Router  *web.Router
	Handler http.Handler
}

// Open opens and migrates the database named in cfg.
func Open(ctx context.Context, cfg *config.Config) (*storage.DB, error) {
	db, err := storage.Open(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// New builds the application on an open, migrated database.
func New(cfg *config.Config, db *storage.DB, log *slog.Logger) (*App, error) {
	env := &web.Env{
		DB:     db,
		Auth:   &auth.Store{DB: db, Audit: audit.Write},
		Render: web.NewRenderer(cfg.Location()),
		Log:    log,
		Zone:   cfg.Location(),
		Now:    time.Now,
		// Secure cookies under built-in TLS, or behind a TLS-terminating proxy
		// whose public URL is https.
		Secure:   cfg.TLSCert != "" || strings.HasPrefix(cfg.BaseURL, "https://"),
		BaseURL:  cfg.BaseURL,
		MaxBody:  int64(cfg.MaxBodyKB) << 10,
		Settings: &settings.Store{DB: db},
	}
	if cfg.DefaultDate != "" {
		d := storage.MustDate(cfg.DefaultDate)
		env.DefaultDate = &d
	}
	metrics := web.NewMetrics()
	rt := web.NewRouter(env, metrics)
	views := registerModules(rt)
	if err := env.Render.Check(views...); err != nil {
		return nil, err
	}
	registerOps(rt, db, metrics)
	return &App{Config: cfg, DB: db, Env: env, Router: rt, Handler: env.AccessLog(env.Wrap(rt))}, nil
}

// registerModules adds every module's routes and returns the views they use.
func registerModules(rt *web.Router) []string {
	account.Register(rt)
	org.Register(rt)
	surveillance.Register(rt)
	// The risk level counts the clusters that tracing's exposures reveal too.
	command.Register(rt, tracing.ClusterSource(rt.Env))
	auditlog.Register(rt)
	checkpoint.Register(rt)
	problem.Register(rt)
	liaison.Register(rt)
	enterprise.Register(rt)
	// isolation's and tracing's parts in screening's merges and observation ends.
	screening.Register(rt, isolation.ScreeningSteps(rt.Env), tracing.ScreeningSteps())
	isolation.Register(rt)
	tracing.Register(rt)
	views := []string{"error"}
	for _, v := range [][]string{account.Views, org.Views, surveillance.Views, command.Views, auditlog.Views, checkpoint.Views, problem.Views, liaison.Views, enterprise.Views, screening.Views, isolation.Views, tracing.Views} {
		views = append(views, v...)
	}
	return views
}

// registerOps adds health, readiness, metrics and static files.
func registerOps(rt *web.Router, db *storage.DB, m *web.Metrics) {
	rt.Raw("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	}))
	rt.Raw("GET /readyz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	}))
	rt.Raw("GET /metrics", m.Handler())
	rt.Raw("GET /static/", web.Static())
	rt.Raw("/", rt.Env.NotFound())
	rt.ServeOpenAPI()
}

// Serve listens on cfg.Listen (TLS when configured) until ctx ends, then
// drains open requests for up to 10 seconds. ready, if non-nil, receives the
// bound address once listening.
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", a.Config.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", a.Config.Listen, err)
	}
	if err := a.serveDebug(ctx); err != nil {
		return fmt.Errorf("debug listen %s: %w", a.Config.DebugListen, err)
	}
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() {
		if a.Config.TLSCert != "" {
			errc <- srv.ServeTLS(ln, a.Config.TLSCert, a.Config.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
