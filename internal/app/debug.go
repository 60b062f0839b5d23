package app

import (
	"context"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// serveDebug serves Go's profiles on their own listener when -debug-listen
// is set: never on the public handler, so no route of the product exposes
// them, and an operator reaches them only where the address lets them
// (loopback, or a private network). It stops with ctx.
func (a *App) serveDebug(ctx context.Context) error {
	if a.Config.DebugListen == "" {
		return nil
	}
	ln, err := net.Listen("tcp", a.Config.DebugListen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	go func() { _ = srv.Serve(ln) }()
	a.Env.Log.Info("profiling", "addr", ln.Addr().String())
	return nil
}
