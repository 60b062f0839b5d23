package bench

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"testing"
	"time"

	"fangkong/internal/app"
	"fangkong/internal/platform/config"
	"fangkong/internal/platform/storage"
)

func TestProf(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "x.db")
	w, err := setup(ctx, dsn, 8)
	if err != nil {
		t.Fatal(err)
	}
	db, _ := storage.Open(ctx, dsn)
	cfg := &config.Config{Zone: "Asia/Shanghai", Lang: "zh", MaxBodyKB: 1024, Database: dsn, LogLevel: "error"}
	a, err := app.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	cookies, err := login(srv.URL, w.users)
	if err != nil {
		t.Fatal(err)
	}
	tg := target{url: srv.URL + "/api/v1/passages", cookies: cookies}
	f, _ := os.Create("/tmp/cpu.prof")
	pprof.StartCPUProfile(f)
	s := drive(ctx, tg, 64, 5*time.Second, passageBody(w.checkpoints))
	pprof.StopCPUProfile()
	t.Log(s)
}
