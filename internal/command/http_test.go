package command_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/command"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// scenario records, through the case API only, a county where the seed
// report's figures hold on 22 February 2020 (2 cumulative, 1 cured, 17 days
// without a new case) and every kind of record the statistics must handle
// turns up on some earlier day: a struck case, an excluded suspect, an
// asymptomatic infection released and one still observed, a cluster.
func scenario(t *testing.T, srv *apptest.Server) {
	t.Helper()
	cmd := srv.As(t, apptest.Commander)
	f := srv.Fix
	create := func(division int64, status, day, setting string) int64 {
		t.Helper()
		res := cmd.JSON("POST", "/api/v1/cases", map[string]any{"division_id": division, "name": "测试病例",
			"phone": "13812345678", "address": "一街5号", "origin": "local", "setting": setting,
			"status": status, "status_date": day})
		if res.Code != 201 {
			t.Fatalf("create case: %d %s", res.Code, res.Body)
		}
		var c struct{ ID int64 }
		res.Decode(t, &c)
		return c.ID
	}
	event := func(id int64, kind, day string) {
		t.Helper()
		res := cmd.JSON("POST", fmt.Sprintf("/api/v1/cases/%d/events", id), map[string]string{"kind": kind, "day": day, "note": "测试"})
		if res.Code != 201 {
			t.Fatalf("event %s on %d: %d %s", kind, id, res.Code, res.Body)
		}
	}
	a := create(f.FenghuangVillage.ID, "confirmed", "2020-01-28", "凤凰村李家")
	event(a, "cured", "2020-02-10")
	create(f.DongwangVillage.ID, "confirmed", "2020-02-05", "东汪村三组王家")
	c := create(f.XiaokouVillage.ID, "asymptomatic", "2020-02-03", "")
	event(c, "released", "2020-02-17")
	d := create(f.DongwangVillage.ID, "suspected", "2020-02-04", "")
	event(d, "excluded", "2020-02-06")
	e := create(f.DongwangVillage.ID, "confirmed", "2020-02-01", "")
	event(e, "struck", "2020-02-08")
	create(f.DongwangVillage.ID, "asymptomatic", "2020-02-06", "东汪村三组王家")
}

// figures is the summary the endpoint must answer, with nil days meaning
// "never a confirmed case".
type figures struct {
	New, Cum, Cured, Deaths, Current int
	Days                             *int
	Risk                             string
	AsymNew, AsymReleased, AsymObs   int
	Clusters                         int
}

func days(n int) *int { return &n }

// countyByDay is the county's figures on several days of the scenario.
var countyByDay = map[string]figures{
	"2020-01-20": {Risk: "low"},
	"2020-02-05": {New: 1, Cum: 3, Current: 3, Days: days(0), Risk: "medium", AsymObs: 1},
	"2020-02-06": {Cum: 3, Current: 3, Days: days(1), Risk: "medium", AsymNew: 1, AsymObs: 2, Clusters: 1},
	"2020-02-10": {Cum: 2, Cured: 1, Current: 1, Days: days(5), Risk: "medium", AsymObs: 2, Clusters: 1},
	"2020-02-17": {Cum: 2, Cured: 1, Current: 1, Days: days(12), Risk: "medium", AsymReleased: 1, AsymObs: 1, Clusters: 1},
	"2020-02-19": {Cum: 2, Cured: 1, Current: 1, Days: days(14), Risk: "low", AsymObs: 1},
	"2020-02-22": {Cum: 2, Cured: 1, Current: 1, Days: days(17), Risk: "low", AsymObs: 1},
}

// summaryOf decodes the summary endpoint's answer, checking it carries
// exactly the fields the API promises.
func summaryOf(t *testing.T, c *apptest.Client, query string) figures {
	t.Helper()
	res := c.Get("/api/v1/surveillance/summary?" + query)
	if res.Code != 200 {
		t.Fatalf("summary %s: %d %s", query, res.Code, res.Body)
	}
	var raw map[string]json.RawMessage
	res.Decode(t, &raw)
	for _, k := range []string{"date", "new_confirmed", "cumulative_confirmed", "cured", "deaths", "current_confirmed",
		"days_without_new_confirmed", "risk_level"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("summary %s: no %q in %s", query, k, res.Body)
		}
	}
	var s struct {
		Date                    string
		NewConfirmed            int `json:"new_confirmed"`
		CumulativeConfirmed     int `json:"cumulative_confirmed"`
		Cured, Deaths, Clusters int
		CurrentConfirmed        int    `json:"current_confirmed"`
		DaysWithout             *int   `json:"days_without_new_confirmed"`
		RiskLevel               string `json:"risk_level"`
		Asymptomatic            struct {
			New, Released    int
			UnderObservation int `json:"under_observation"`
		}
	}
	res.Decode(t, &s)
	if q, _ := url.ParseQuery(query); q.Get("date") != "" && s.Date != q.Get("date") {
		t.Errorf("summary %s: date %q", query, s.Date)
	}
	return figures{New: s.NewConfirmed, Cum: s.CumulativeConfirmed, Cured: s.Cured, Deaths: s.Deaths, Current: s.CurrentConfirmed,
		Days: s.DaysWithout, Risk: s.RiskLevel, AsymNew: s.Asymptomatic.New, AsymReleased: s.Asymptomatic.Released,
		AsymObs: s.Asymptomatic.UnderObservation, Clusters: s.Clusters}
}

func (f figures) String() string {
	d := "nil"
	if f.Days != nil {
		d = fmt.Sprint(*f.Days)
	}
	return fmt.Sprintf("new %d cum %d cured %d deaths %d current %d days %s risk %s asym %d/%d/%d clusters %d",
		f.New, f.Cum, f.Cured, f.Deaths, f.Current, d, f.Risk, f.AsymNew, f.AsymReleased, f.AsymObs, f.Clusters)
}

// tileRE reads the headline figures off the page: number, then label.
var tileRE = regexp.MustCompile(`<span class="cmd-n">([^<]*)(?:<small>[^<]*</small>)?</span>\s*<span class="cmd-l">([^<]*)</span>`)

func tiles(body string) map[string]string {
	out := map[string]string{}
	for _, m := range tileRE.FindAllStringSubmatch(body, -1) {
		out[m[2]] = m[1]
	}
	return out
}

func TestSummaryAndDashboardByDay(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		scenario(t, srv)
		cmd := srv.As(t, apptest.Commander)
		for day, want := range countyByDay {
			if got := summaryOf(t, cmd, "date="+day); got.String() != want.String() {
				t.Errorf("%s:\n got %v\nwant %v", day, got, want)
			}
			res := cmd.Get("/dashboard?date=" + day)
			if res.Code != 200 {
				t.Fatalf("dashboard %s: %d", day, res.Code)
			}
			tl := tiles(res.Body)
			risk := map[string]string{"low": "低风险", "medium": "中风险", "high": "高风险"}[want.Risk]
			checks := map[string]string{"风险等级": risk, "新增确诊": fmt.Sprint(want.New), "累计确诊": fmt.Sprint(want.Cum),
				"现有确诊": fmt.Sprint(want.Current), "治愈出院": fmt.Sprint(want.Cured), "死亡": fmt.Sprint(want.Deaths),
				"尚在医学观察": fmt.Sprint(want.AsymObs), "聚集性疫情（14天内）": fmt.Sprint(want.Clusters), "连续无新增确诊": "—"}
			if want.Days != nil {
				checks["连续无新增确诊"] = fmt.Sprint(*want.Days)
			}
			for label, v := range checks {
				if tl[label] != v {
					t.Errorf("%s: page shows %s = %q, want %q", day, label, tl[label], v)
				}
			}
		}
		t.Run("the seed report's sentence", func(t *testing.T) {
			body := cmd.Get("/dashboard").Body // the default day is today, 2020-02-22
			if !strings.Contains(body, "截至2020年2月22日，宁晋县累计报告确诊病例2例，治愈1例，连续17日无新增确诊病例。") {
				t.Error("the lede does not read like the report")
			}
			if !strings.Contains(cmd.Get("/dashboard?date=2020-02-05").Body, "当日新增确诊病例1例") {
				t.Error("a day with a new case does not say so")
			}
			if !strings.Contains(body, `data-figure="clusters">`) || !strings.Contains(body, `href="/tracing/clusters?date=2020-02-22" data-figure="clusters"`) {
				t.Error("the clusters figure does not drill down to the day's clusters")
			}
		})
		t.Run("home is the dashboard", func(t *testing.T) {
			if res := cmd.Get("/"); res.Code != 200 || !strings.Contains(res.Body, "低风险") {
				t.Errorf("GET /: %d", res.Code)
			}
		})
	})
}

func TestDashboardBreakdownAndTrend(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		scenario(t, srv)
		cmd := srv.As(t, apptest.Commander)
		f := srv.Fix
		var dash command.Dashboard
		res := cmd.Get("/api/v1/dashboard?date=2020-02-22")
		if res.Code != 200 {
			t.Fatalf("%d %s", res.Code, res.Body)
		}
		res.Decode(t, &dash)
		if !strings.Contains(res.Body, `"date":"2020-02-22"`) || !strings.Contains(res.Body, `{"date":"2020-01-01","new_confirmed":0,`) {
			t.Errorf("dates are not days: %.300s", res.Body)
		}
		if dash.Division.ID != f.County.ID || dash.RowLevel != "township" || len(dash.Rows) != 2 {
			t.Fatalf("county dashboard: %+v", dash)
		}
		fh, dw := dash.Rows[0], dash.Rows[1]
		if fh.Name != "凤凰镇" || fh.CumulativeConfirmed != 1 || fh.Cured != 1 || fh.CurrentConfirmed != 0 || *fh.DaysWithoutNewConfirmed != 25 {
			t.Errorf("凤凰镇 row: %+v", fh)
		}
		if dw.Name != "东汪镇" || dw.CumulativeConfirmed != 1 || dw.CurrentConfirmed != 1 || *dw.DaysWithoutNewConfirmed != 17 || dw.RiskLevel != "low" {
			t.Errorf("东汪镇 row: %+v", dw)
		}
		tr := dash.Trend
		if len(tr) != 53 || tr[0].Date.String() != "2020-01-01" || tr[52].Date.String() != "2020-02-22" || tr[52].Cumulative != 2 {
			t.Fatalf("trend: %d points, %v", len(tr), tr)
		}
		if p := tr[35]; p.Date.String() != "2020-02-05" || p.New != 1 || p.Cumulative != 3 {
			t.Errorf("2020-02-05 in the trend: %+v", p)
		}
		if p := tr[38]; p.Date.String() != "2020-02-08" || p.Cumulative != 2 {
			t.Errorf("the struck case still counts on 2020-02-08: %+v", p)
		}

		t.Run("quiet townships have rows", func(t *testing.T) {
			var early command.Dashboard
			cmd.Get("/api/v1/dashboard?date=2020-01-20").Decode(t, &early)
			if len(early.Rows) != 2 || early.Rows[0].CumulativeConfirmed != 0 || early.Rows[0].DaysWithoutNewConfirmed != nil {
				t.Errorf("rows before any case: %+v", early.Rows)
			}
		})
		t.Run("drill down to a township's villages", func(t *testing.T) {
			var town command.Dashboard
			cmd.Get(fmt.Sprintf("/api/v1/dashboard?date=2020-02-22&division=%d", f.Dongwang.ID)).Decode(t, &town)
			if town.Division.Name != "东汪镇" || town.RowLevel != "village" || len(town.Rows) != 2 || town.Summary.CumulativeConfirmed != 1 {
				t.Fatalf("东汪镇: %+v", town)
			}
			if v := town.Rows[0]; v.Name != "东汪村" || v.CumulativeConfirmed != 1 || v.Asymptomatic.UnderObservation != 1 {
				t.Errorf("东汪村: %+v", v)
			}
			if v := town.Rows[1]; v.Name != "洨口村" || v.CumulativeConfirmed != 0 || v.Asymptomatic.UnderObservation != 0 {
				t.Errorf("洨口村: %+v", v)
			}
			page := cmd.Get(fmt.Sprintf("/dashboard?date=2020-02-22&division=%d", f.Dongwang.ID)).Body
			for _, want := range []string{"东汪镇疫情防控态势", `href="/dashboard?date=2020-02-22">宁晋县</a>`, "洨口村",
				fmt.Sprintf(`href="/cases?division=%d">1</a>`, f.DongwangVillage.ID),
				fmt.Sprintf(`name="division" value="%d"`, f.Dongwang.ID)} {
				if !strings.Contains(page, want) {
					t.Errorf("drill-down page lacks %s", want)
				}
			}
		})
		t.Run("county page links to townships and records", func(t *testing.T) {
			page := cmd.Get("/dashboard?date=2020-02-22").Body
			for _, want := range []string{
				fmt.Sprintf(`href="/dashboard?date=2020-02-22&amp;division=%d">凤凰镇</a>`, f.Fenghuang.ID),
				fmt.Sprintf(`href="/cases?division=%d&amp;status=cured"`, f.County.ID),
				fmt.Sprintf(`href="/cases?division=%d&amp;status=cured">1</a>`, f.Fenghuang.ID),
				`<svg class="cmd-chart cmd-chart-wide"`, `<svg class="cmd-chart cmd-chart-narrow"`, "<polyline", "data-print",
				"<details class=\"cmd-data\">", `<td>2020-02-05</td><td class="num">1</td><td class="num">3</td>`,
			} {
				if !strings.Contains(page, want) {
					t.Errorf("county page lacks %s", want)
				}
			}
			if strings.Contains(page, " style=") || strings.Contains(page, "<script>") {
				t.Error("inline style or script: the CSP forbids them")
			}
		})
	})
}

func TestDashboardScopeAndPermissions(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		scenario(t, srv)
		f := srv.Fix
		fh := srv.As(t, apptest.AdminFenghuang)
		want := figures{Cum: 1, Cured: 1, Days: days(25), Risk: "low"}
		if got := summaryOf(t, fh, "date=2020-02-22"); got.String() != want.String() {
			t.Errorf("admin-fenghuang:\n got %v\nwant %v", got, want)
		}
		if got := summaryOf(t, fh, "date=2020-02-22&division=130528100"); got.String() != want.String() {
			t.Errorf("admin-fenghuang, own township by code: %v", got)
		}
		if got := summaryOf(t, srv.As(t, apptest.Commander), "date=2020-02-22&division=130528104"); got.Cum != 1 || got.Days == nil || *got.Days != 17 {
			t.Errorf("commander, 东汪镇 by code: %v", got)
		}
		page := fh.Get("/dashboard?date=2020-02-22")
		if page.Code != 200 || !strings.Contains(page.Body, "凤凰镇疫情防控态势") || !strings.Contains(page.Body, "凤凰村") || strings.Contains(page.Body, "东汪") {
			t.Errorf("admin-fenghuang's dashboard is not 凤凰镇's alone: %d", page.Code)
		}
		for _, path := range []string{
			"/api/v1/surveillance/summary?division=130528104",
			"/api/v1/surveillance/summary?division=999999",
			fmt.Sprintf("/api/v1/dashboard?division=%d", f.Dongwang.ID),
			fmt.Sprintf("/api/v1/dashboard?division=%d", f.County.ID+1000),
		} {
			res := fh.Get(path)
			if res.Code != 404 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s: %d %s", path, res.Code, res.Header.Get("Content-Type"))
			}
		}
		if res := fh.Get(fmt.Sprintf("/dashboard?division=%d", f.Dongwang.ID)); res.Code != 404 {
			t.Errorf("out-of-scope drill-down page: %d", res.Code)
		}

		cadre := srv.As(t, apptest.CadreDongwang)
		for _, path := range []string{"/api/v1/dashboard", "/api/v1/surveillance/summary", "/dashboard"} {
			if res := cadre.Get(path); res.Code != 403 {
				t.Errorf("cadre-dongwang %s: %d", path, res.Code)
			}
		}
		// Users without a dashboard land on their first navigation entry: their work.
		redirects := map[string]string{apptest.CadreDongwang: "/cases", apptest.CheckpointStaff: "/checkpoints", apptest.EnterpriseOfficr: "/enterprises"}
		for user, want := range redirects {
			if res := srv.As(t, user).Get("/"); res.Code != 303 || res.Header.Get("Location") != want {
				t.Errorf("%s GET /: %d → %s, want %s", user, res.Code, res.Header.Get("Location"), want)
			}
		}
		if res := srv.Anon(t).Get("/"); res.Code != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("anonymous GET /: %d → %s", res.Code, res.Header.Get("Location"))
		}
		if res := srv.Anon(t).Get("/api/v1/surveillance/summary"); res.Code != 401 {
			t.Errorf("anonymous summary: %d", res.Code)
		}
		insp := srv.As(t, apptest.Inspector).Get("/dashboard?date=2020-02-22")
		if insp.Code != 200 || !strings.Contains(insp.Body, "低风险") || strings.Contains(insp.Body, "/cases?") {
			t.Errorf("inspector (no case.read) sees figures without record links: %d", insp.Code)
		}
		// Clusters are sets of cases: neither the clusters panel (which would
		// count none in a case.read scope the inspector lacks) nor a link to
		// the cluster list.
		if strings.Contains(insp.Body, "/tracing/clusters") || strings.Contains(insp.Body, `data-figure="clusters_new"`) {
			t.Error("the inspector is shown clusters they cannot read")
		}
		if nav := srv.As(t, apptest.Commander).Get("/dashboard").Body; !strings.Contains(nav, `<a href="/dashboard" aria-current="page">指挥大屏</a>`) {
			t.Error("no current nav item for the dashboard")
		}
	})
}

func TestDashboardBadInput(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		for _, path := range []string{
			"/api/v1/surveillance/summary?date=2020-02-30",
			"/api/v1/surveillance/summary?date=2020-02-23", // tomorrow
			"/api/v1/dashboard?date=22/02/2020",
			"/api/v1/dashboard?date=2021-01-01&division=abc",
		} {
			res := cmd.Get(path)
			var pr struct {
				Errors []struct{ Field string }
			}
			res.Decode(t, &pr)
			if res.Code != 422 || len(pr.Errors) == 0 || pr.Errors[0].Field != "date" {
				t.Errorf("%s: %d %s", path, res.Code, res.Body)
			}
			if strings.Contains(path, "abc") && (len(pr.Errors) != 2 || pr.Errors[1].Field != "division") {
				t.Errorf("%s: both fields should be named: %s", path, res.Body)
			}
		}
		page := cmd.Get("/dashboard?date=2020-02-23")
		if page.Code != 422 || !strings.Contains(page.Body, `value="2020-02-23"`) || !strings.Contains(page.Body, "日期不能晚于今天") {
			t.Errorf("a future date on the page: %d", page.Code)
		}
	})
}

func TestDashboardInEnglish(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		scenario(t, srv)
		c := srv.As(t, apptest.Commander)
		if res := c.Form("/account/lang", url.Values{"lang": {"en"}, "next": {"/dashboard"}}); res.Code != 303 {
			t.Fatalf("switch language: %d", res.Code)
		}
		body := c.Get("/dashboard?date=2020-02-05").Body
		for _, want := range []string{"Medium risk", "Daily new and cumulative confirmed cases", "By township",
			"As of 5 February 2020, 宁晋县: cumulative confirmed 3, cured 0, newly confirmed that day 1."} {
			if !strings.Contains(body, want) {
				t.Errorf("English page lacks %q", want)
			}
		}
		if strings.Contains(body, "低风险") || strings.Contains(body, "中风险") {
			t.Error("Chinese risk level on the English page")
		}
	})
}
