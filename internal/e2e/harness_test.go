package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fangkong/internal/app"
	"fangkong/internal/apptest"
	"fangkong/internal/demo"
	"fangkong/internal/platform/config"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

const password = "e2e-password-1"

// server starts the application on a fresh SQLite database with the demo and
// returns its URL and database.
func server(t *testing.T) (string, *storage.DB) {
	t.Helper()
	db := storagetest.SQLite(t)
	if _, err := demo.Load(context.Background(), db, demo.Options{Password: password}); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Zone: "Asia/Shanghai", Lang: "zh", MaxBodyKB: 1024, DefaultDate: demo.AsOf, Database: db.Source}
	a, err := app.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return srv.URL, db
}

// browser starts headless Chromium at desktop size.
func browser(t *testing.T) context.Context { return apptest.Browser(t, 1280, 900) }

// run performs steps with a generous limit, failing the test on error.
func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	apptest.Steps(t, ctx, steps...)
}

// text reads the visible text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(c, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// value reads an input's current value.
func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(c, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("value %s: %v", sel, err)
	}
	return s
}

func login(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	run(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#f-username")),
		chromedp.SendKeys(chromedp.CSS("#f-username"), user),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		// Signed in once the page has a sign-out form: waiting for any page
		// would race the login POST against the next navigation.
		chromedp.WaitReady(chromedp.CSS(`form[action="/logout"]`)),
	)
}

// shoot saves a full-page screenshot at phone and desktop width when
// FANGKONG_SCREENSHOTS names a directory, then returns to desktop width.
func shoot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("FANGKONG_SCREENSHOTS")
	if dir == "" {
		return
	}
	os.MkdirAll(dir, 0o755)
	for _, w := range []int64{360, 1280} {
		c, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(c, chromedp.EmulateViewport(w, 800))
		var png []byte
		if err == nil {
			png, err = chromedp.Run(c, chromedp.FullScreenshot(100))
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name+"-"+strconv.FormatInt(w, 10)+".png"), png, 0o644)
		}
		cancel()
		if err != nil {
			t.Logf("screenshot %s at %d px: %v", name, w, err)
		}
	}
}
