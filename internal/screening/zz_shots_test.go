package screening_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestZZShots(t *testing.T) {
	base := os.Getenv("SC_BASE")
	if base == "" {
		return
	}
	path, _ := exec.LookPath("chromium")
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true)}
	actx, c1 := chromedp.NewExecAllocator(context.Background(), opts...)
	defer c1()
	ctx, c2 := chromedp.NewContext(actx)
	defer c2()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	do := func(acts ...chromedp.Action[chromedp.Void]) {
		c, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := chromedp.Do(c, acts...); err != nil {
			t.Fatal(err)
		}
	}
	login := func(user string) {
		do(chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#f-username")),
			chromedp.SendKeys(chromedp.CSS("#f-username"), user), chromedp.SendKeys(chromedp.CSS("#f-password"), "ningjin2020"),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("main")))
	}
	shoot := func(name, path string) {
		for _, w := range []int64{360, 1280} {
			do(chromedp.EmulateViewport(w, 800), chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
			c, cancel := context.WithTimeout(ctx, 60*time.Second)
			png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(os.Getenv("SC_OUT"), name+"-"+map[int64]string{360: "360", 1280: "1280"}[w]+".png"), png, 0o644)
		}
	}
	pages := map[string]string{}
	for _, kv := range [][2]string{{"overview", "/screening/overview"}, {"due", "/screening/followups"}, {"persons", "/screening/persons"},
		{"person", os.Getenv("SC_PERSON")}, {"newperson", "/screening/persons/new"}, {"obs", os.Getenv("SC_OBS")},
		{"alert", os.Getenv("SC_ALERT")}, {"queue", "/screening/queue"}, {"links", "/screening/links"},
		{"households", "/screening/households"}, {"import", "/screening/import"}, {"rules", "/screening/rules"},
		{"notices", os.Getenv("SC_NOTICES")}, {"observations", "/screening/observations?state=active"}, {"alerts", "/screening/alerts"}} {
		pages[kv[0]] = kv[1]
	}
	for _, user := range []string{os.Getenv("SC_USER")} {
		login(user)
		for _, lang := range []string{"zh", "en"} {
			if lang == "en" {
				do(chromedp.Navigate(base+"/account"), chromedp.Click(chromedp.CSS(`button[name=lang][value=en]`)), chromedp.Sleep(300*time.Millisecond))
			}
			for name, path := range pages {
				if path != "" {
					shoot(user+"-"+lang+"-"+name, path)
				}
			}
		}
		do(chromedp.Navigate(base+"/account"), chromedp.Click(chromedp.CSS(`button[name=lang][value=zh]`)))
	}
	if tok := os.Getenv("SC_SELF"); tok != "" {
		shoot("public-self", tok)
	}
}
