package checkpoint_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fangkong/internal/app"
	"fangkong/internal/demo"
	"fangkong/internal/platform/config"
	"fangkong/internal/platform/storage/storagetest"
)

func TestZZShots(t *testing.T) {
	db := storagetest.SQLite(t)
	if _, err := demo.Load(context.Background(), db, demo.Options{Password: "ningjin2020"}); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Zone: "Asia/Shanghai", Lang: "zh", MaxBodyKB: 1024, DefaultDate: demo.AsOf, Database: db.Source}
	a, err := app.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	var token, revoked string
	db.R.QueryRow(`SELECT id FROM checkpoint_passes WHERE revoked_at IS NULL ORDER BY id LIMIT 1`).Scan(new(int64))
	shot := func(ctx context.Context, name string, w int64) {
		c, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		chromedp.Do(c, chromedp.EmulateViewport(w, 800))
		png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
		if err != nil {
			t.Log(err)
			return
		}
		os.WriteFile(filepath.Join("/tmp/shots", name+"-"+map[int64]string{360: "360", 1280: "1280"}[w]+".png"), png, 0o644)
	}
	login := func(user string) context.Context {
		ctx := browser(t)
		do(t, ctx, chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#f-username")),
			chromedp.SendKeys(chromedp.CSS("#f-username"), user), chromedp.SendKeys(chromedp.CSS("#f-password"), "ningjin2020"),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
			chromedp.WaitReady(chromedp.CSS(`.who a[href="/account"]`)))
		return ctx
	}
	cmd := login("commander")
	for name, path := range map[string]string{"cp-list": "/checkpoints", "cp-overview": "/checkpoints/overview?date=2020-02-22",
		"cp-detail": "/checkpoints/1?date=2020-02-21", "cp-passes": "/passes?division=0", "cp-form": "/checkpoints/new"} {
		do(t, cmd, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
		shot(cmd, name, 360)
		shot(cmd, name, 1280)
	}
	var dw int64
	db.R.QueryRow(`SELECT id FROM org_nodes WHERE name_zh = '东汪村'`).Scan(&dw)
	do(t, cmd, chromedp.Navigate(srv.URL+"/passes/sheet?division="+itoa(dw)), chromedp.WaitVisible(chromedp.CSS("main")))
	shot(cmd, "cp-sheet", 1280)
	do(t, cmd, chromedp.Click(chromedp.CSS(`button[name="lang"]`)), chromedp.WaitVisible(chromedp.CSS("main")),
		chromedp.Navigate(srv.URL+"/checkpoints/overview?date=2020-02-22"), chromedp.WaitVisible(chromedp.CSS("main")))
	shot(cmd, "cp-overview-en", 1280)
	shot(cmd, "cp-overview-en", 360)
	// tokens: a valid and a revoked pass, read via the API
	tok, _ := chromedp.Run(cmd, chromedp.Evaluate[string](`fetch("/api/v1/passes").then(r => r.json()).then(b => JSON.stringify([b.items.find(p => !p.revoked_at).token, b.items.find(p => p.revoked_at).token]))`, chromedp.EvalAwaitPromise))
	t.Log(tok)
	_ = token
	_ = revoked
	staff := login("checkpoint-dongwang")
	do(t, staff, chromedp.EmulateViewport(360, 800), chromedp.Navigate(srv.URL+"/checkpoints"), chromedp.WaitVisible(chromedp.CSS("main")))
	shot(staff, "cp-staff-list", 360)
	do(t, staff, chromedp.Navigate(srv.URL+"/checkpoints/1/capture"), chromedp.WaitVisible(chromedp.CSS("#cp-status")))
	var toks []string
	jsonUnmarshal(tok, &toks)
	do(t, staff, chromedp.SendKeys(chromedp.CSS("#cp-scan"), toks[0]+"\n"), chromedp.Sleep(800*time.Millisecond))
	shot(staff, "cp-capture-pass", 360)
	do(t, staff, chromedp.SendKeys(chromedp.CSS("#cp-scan"), toks[1]+"\n"), chromedp.Sleep(800*time.Millisecond))
	shot(staff, "cp-capture-revoked", 360)
	shot(staff, "cp-capture-revoked", 1280)
}
