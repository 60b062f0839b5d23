package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fangkong/internal/apptest"
)

// TestCadreFeverReachesTheCommander is issue #3's journey on a phone: the
// 东汪村 cadre, on a 360 px screen, registers a returnee with home
// observation, records the morning and evening follow-ups, the evening's
// 38.2 °C opens a fever alert, and the commander sees it on the dashboard
// of that day and opens it.
func TestCadreFeverReachesTheCommander(t *testing.T) {
	base, _ := server(t)
	today := time.Now().In(time.FixedZone("CST", 8*3600))
	day, arrived := today.Format("2006-01-02"), today.AddDate(0, 0, -1).Format("2006-01-02")

	phone := apptest.Browser(t, 360, 800)
	login(t, phone, base, "cadre-dongwang")
	run(t, phone,
		chromedp.Navigate(base+"/screening/persons/new"),
		chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "赵返乡"),
		chromedp.SendKeys(chromedp.CSS("#f-id_number"), "13052819950303002X"),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), "13912345678"),
		chromedp.SendKeys(chromedp.CSS("#f-address"), "宁晋县东汪镇东汪村三街8号"),
		chromedp.SendKeys(chromedp.CSS(`[id="f-travel.from"]`), "武汉"),
		chromedp.SetValue(chromedp.CSS(`[id="f-travel.arrived_on"]`), arrived),
		chromedp.SetValue(chromedp.CSS(`[id="f-observe.kind"]`), "home"),
		chromedp.SetValue(chromedp.CSS(`[id="f-observe.reason"]`), "returnee"),
	)
	submit(t, phone, `form[action="/screening/persons"] button[type=submit]`)
	waitPath(t, phone, `^/screening/persons/[0-9]+$`)
	obs := eval(t, phone, `document.querySelector('main a[href^="/screening/observations/"]').getAttribute("href")`)
	run(t, phone, chromedp.Navigate(base+obs), chromedp.WaitVisible(chromedp.CSS("#f-temperature")))
	shoot(t, phone, "observation-phone")
	for _, f := range []struct{ slot, temp string }{{"am", "36.6"}, {"pm", "38.2"}} {
		run(t, phone,
			chromedp.SetValue(chromedp.CSS("#f-temperature"), f.temp),
			chromedp.SetValue(chromedp.CSS("#f-slot"), f.slot),
			chromedp.SetValue(chromedp.CSS("#f-day"), day),
		)
		submit(t, phone, `form[action$="/followups"] button[type=submit]`)
		waitPath(t, phone, `^/screening/observations/[0-9]+$`)
		run(t, phone, chromedp.WaitVisible(chromedp.CSS("#f-temperature")))
	}
	// The demo's pages default to 2020-02-22: ask for the real day.
	run(t, phone, chromedp.Navigate(base+obs+"?date="+day), chromedp.WaitVisible(chromedp.CSS("#f-temperature")))
	if got := text(t, phone, "main"); !strings.Contains(got, "36.6") || !strings.Contains(got, "38.2") {
		t.Fatalf("the observation page lists no two follow-ups:\n%s", got)
	}

	desk := browser(t)
	login(t, desk, base, "commander")
	run(t, desk, chromedp.Navigate(base+"/dashboard?date="+day), chromedp.WaitVisible(chromedp.CSS(`[data-figure="fever_alerts_open"]`)))
	if got := text(t, desk, `[data-figure="fever_alerts_open"] .cmd-n`); got != "1" {
		t.Errorf("open fever alerts on %s show %q, want 1", day, got)
	}
	href := eval(t, desk, `document.querySelector('[data-figure="fever_alerts_open"]').getAttribute("href")`)
	run(t, desk, chromedp.Navigate(base+href), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := text(t, desk, "main"); !strings.Contains(got, "赵") || strings.Contains(got, "13052819950303002X") {
		t.Errorf("the alert list should name the person, masked:\n%s", got)
	}
}

// submit clicks a form's button and waits until the browser shows the next
// document: the redirect after a post may lead back to the same URL, so the
// old document is marked and the wait is for one without the mark.
func submit(t *testing.T, ctx context.Context, button string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__fkOld = true`)); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(button)))
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__fkOld === undefined && document.readyState === "complete"`))
		if err == nil && done {
			return
		}
	}
	t.Fatalf("no new page after clicking %s", button)
}

// waitPath waits until the page's path matches re (a form posted and the
// browser followed the redirect), failing the test after 15 s.
func waitPath(t *testing.T, ctx context.Context, re string) {
	t.Helper()
	want := regexp.MustCompile(re)
	var path string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if p, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`)); err == nil {
			if path = p; want.MatchString(p) {
				return
			}
		}
	}
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText : ""`))
	t.Fatalf("still at %q, want %s:\n%s", path, re, body)
}

// eval runs a JavaScript expression returning a string.
func eval(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}
