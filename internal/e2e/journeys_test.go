package e2e

import (
	"strings"
	"testing"

	"fangkong/internal/platform/storage"

	"github.com/chromedp/chromedp"
)

// TestCommanderReadsTheReportFigures: the commander opens the dashboard for
// 2020-02-22 and reads the seed report's figures, derived from the records.
func TestCommanderReadsTheReportFigures(t *testing.T) {
	base, _ := server(t)
	ctx := browser(t)
	login(t, ctx, base, "commander")
	run(t, ctx, chromedp.Navigate(base+"/dashboard?date=2020-02-22"), chromedp.WaitVisible(chromedp.CSS(`[data-figure="cumulative_confirmed"]`)))
	want := map[string]string{"cumulative_confirmed": "2", "cured": "1", "days_without_new_confirmed": "17"}
	for fig, n := range want {
		if got := strings.TrimRight(text(t, ctx, `[data-figure="`+fig+`"] .cmd-n`), "天 days"); got != n {
			t.Errorf("%s shows %q, want %q", fig, got, n)
		}
	}
	if got := text(t, ctx, `[data-figure="risk_level"] .cmd-n`); !strings.Contains(got, "低") {
		t.Errorf("risk level shows %q, want 低风险", got)
	}
	// The second hand of "两手抓": the report's resumption figure and the
	// liaison problems, from the enterprise and problem records.
	if got := text(t, ctx, `[data-figure="above_size_resumed"] .cmd-n`); got != "223 · 93%" {
		t.Errorf("above-size resumption shows %q, want 223 · 93%%", got)
	}
	if got := text(t, ctx, `[data-figure="problems_overdue"] .cmd-n`); got != "1" {
		t.Errorf("overdue problems show %q, want 1", got)
	}
	shoot(t, ctx, "dashboard-zh")
	// Wait for the English page itself: the Chinese one's figure is visible
	// too until the navigation replaces it, and reading it then fails.
	run(t, ctx, chromedp.Click(chromedp.CSS(`button[name="lang"][value="en"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] [data-figure="risk_level"]`)))
	if got := text(t, ctx, `[data-figure="risk_level"] .cmd-n`); !strings.Contains(strings.ToLower(got), "low") {
		t.Errorf("English risk level shows %q", got)
	}
	shoot(t, ctx, "dashboard-en")
}

// TestCadreCannotOpenAnotherTownshipsCase: the village cadre of 东汪村 types
// the URL of a 凤凰镇 case and gets "not found", not the case.
func TestCadreCannotOpenAnotherTownshipsCase(t *testing.T) {
	base, db := server(t)
	ctx := browser(t)
	id := caseIn(t, db, "130528100")
	login(t, ctx, base, "cadre-dongwang")
	run(t, ctx, chromedp.Navigate(base+"/cases/"+id), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if got := text(t, ctx, "main h1"); got != "404" {
		t.Errorf("cadre-dongwang opened case %s of 凤凰镇: heading %q", id, got)
	}
	shoot(t, ctx, "case-404")
	run(t, ctx, chromedp.Navigate(base+"/cases"), chromedp.WaitVisible(chromedp.CSS("table")))
	if list := text(t, ctx, "table"); strings.Contains(list, "凤凰") {
		t.Errorf("cadre-dongwang's case list shows 凤凰镇 cases")
	}
	shoot(t, ctx, "case-list-cadre")
}

// caseIn returns the id of a demo case in the township with the given code.
func caseIn(t *testing.T, db *storage.DB, township string) string {
	t.Helper()
	var id string
	err := db.R.QueryRow(`SELECT CAST(c.id AS TEXT) FROM cases c JOIN org_nodes n ON n.id = c.division_id
		WHERE n.path LIKE (SELECT path FROM org_nodes WHERE code = $1) || '%' ORDER BY c.id LIMIT 1`, township).Scan(&id)
	if err != nil {
		t.Fatalf("no demo case in %s: %v", township, err)
	}
	return id
}

// TestCaseFormKeepsInputOnError: a bad ID number is marked on its field and
// everything else typed stays in the form.
func TestCaseFormKeepsInputOnError(t *testing.T) {
	base, _ := server(t)
	ctx := browser(t)
	login(t, ctx, base, "commander")
	run(t, ctx,
		chromedp.Navigate(base+"/cases/new"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "测试病例"),
		chromedp.SendKeys(chromedp.CSS("#f-id_number"), "130528198001010015"),
		chromedp.SendKeys(chromedp.CSS("#f-phone"), "13912345678"),
		chromedp.SendKeys(chromedp.CSS("#f-address"), "东汪村二街8号"),
		chromedp.SendKeys(chromedp.CSS("#f-hospital"), "宁晋县医院"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#e-id_number")),
	)
	if msg := text(t, ctx, "#e-id_number"); !strings.Contains(msg, "校验") {
		t.Errorf("ID error reads %q", msg)
	}
	for sel, want := range map[string]string{"#f-name": "测试病例", "#f-id_number": "130528198001010015", "#f-phone": "13912345678",
		"#f-address": "东汪村二街8号", "#f-hospital": "宁晋县医院"} {
		if got := value(t, ctx, sel); got != want {
			t.Errorf("%s = %q after the error, want %q", sel, got, want)
		}
	}
	shoot(t, ctx, "case-form-error")
}
