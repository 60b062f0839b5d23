package checkpoint_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage/storagetest"
)

// TestCaptureOffline drives the capture page in Chromium at phone width, in
// Chinese: two passages recorded with the connection down stay queued on the
// device, upload once it returns, and uploading the same queue again stores
// nothing twice. Set FANGKONG_SCREENSHOTS to a directory to keep screenshots.
func TestCaptureOffline(t *testing.T) {
	srv := apptest.New(t, storagetest.SQLite(t))
	srv.App.Env.Now = time.Now // the browser stamps passages with its own clock
	newWorld(t, srv)
	ctx := apptest.Browser(t, 360, 780, chromedp.Flag("lang", "zh-CN"))
	base := srv.URL
	apptest.Steps(t, ctx, chromedp.EmulateViewport(360, 780),
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#f-username")),
		chromedp.SendKeys(chromedp.CSS("#f-username"), apptest.CheckpointStaff),
		chromedp.SendKeys(chromedp.CSS("#f-password"), apptest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitReady(chromedp.CSS(`.who a[href="/account"]`)),
		chromedp.Navigate(base+"/checkpoints/1/capture"),
		chromedp.WaitVisible(chromedp.CSS("#cp-status")),
	)
	count := func() int {
		var n int
		srv.DB.R.QueryRow(`SELECT COUNT(*) FROM passages`).Scan(&n)
		return n
	}
	network(t, ctx, true)
	for _, name := range []string{"王五", "赵六"} {
		apptest.Steps(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#f-name"), name),
			chromedp.SendKeys(chromedp.CSS("#f-temperature"), "36.6"),
			chromedp.Click(chromedp.CSS(".cp-opt-out span")),
			chromedp.Click(chromedp.CSS(".cp-submit")),
		)
	}
	waitText(t, ctx, "#cp-queue", "待上传 2 条")
	shoot(t, ctx, "capture-offline")
	if n := count(); n != 0 {
		t.Fatalf("%d passages stored while offline", n)
	}
	queued, err := chromedp.Run(ctx, chromedp.Evaluate[string](`localStorage.getItem("fk.cp.queue.1")`))
	if err != nil || !strings.Contains(queued, "王五") {
		t.Fatalf("queue on the device: %q %v", queued, err)
	}
	network(t, ctx, false)
	waitText(t, ctx, "#cp-queue", "已全部上传")
	if n := count(); n != 2 {
		t.Fatalf("%d passages stored after reconnecting, want 2", n)
	}
	shoot(t, ctx, "capture-online")
	// The phone uploads the same queue again (say the answer was lost on the
	// way): the server answers "duplicate" and stores nothing twice.
	again, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/api/v1/passages/batch", {method: "POST",
		headers: {"Content-Type": "application/json"}, body: JSON.stringify({items: `+queued+`})})
		.then(function (r) { return r.json(); }).then(function (b) { return b.items.map(function (i) { return i.status; }).join(","); })`,
		chromedp.EvalAwaitPromise))
	if err != nil || again != "duplicate,duplicate" || count() != 2 {
		t.Errorf("re-upload answered %q (%v); %d passages stored", again, err, count())
	}
}

// network takes the page's connection down or up, as airplane mode would.
func network(t *testing.T, ctx context.Context, offline bool) {
	t.Helper()
	apptest.Steps(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if err := tg.Call(ctx, "Network.enable", map[string]any{}, nil); err != nil {
			return err
		}
		return tg.Call(ctx, "Network.emulateNetworkConditions", map[string]any{"offline": offline, "latency": 0,
			"downloadThroughput": -1, "uploadThroughput": -1}, nil)
	}))
}

func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	var got string
	for c.Err() == nil {
		s, err := chromedp.Run(c, chromedp.Text(chromedp.CSS(sel)))
		if got = strings.TrimSpace(s); err == nil && got == want {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s reads %q, want %q", sel, got, want)
}

func shoot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("FANGKONG_SCREENSHOTS")
	if dir == "" {
		return
	}
	os.MkdirAll(dir, 0o755)
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+"-"+strconv.Itoa(360)+".png"), png, 0o644)
	}
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}
