package screening_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/platform/web"
	"fangkong/internal/screening"
)

// created reads the record id from a 303 to /screening/<kind>/<id>.
func created(t *testing.T, res apptest.Response, prefix string) int64 {
	t.Helper()
	loc := res.Header.Get("Location")
	if res.Code != 303 || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("want 303 to %s…, got %d %s\n%s", prefix, res.Code, loc, res.Body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, prefix), 10, 64)
	if err != nil {
		t.Fatalf("location %s", loc)
	}
	return id
}

// problemFields asserts a problem+json answer with status code naming fields.
func problemFields(t *testing.T, res apptest.Response, code int, fields ...string) web.Problem {
	t.Helper()
	if res.Code != code || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("want %d problem+json, got %d %s %s", code, res.Code, res.Header.Get("Content-Type"), res.Body)
	}
	var pr web.Problem
	res.Decode(t, &pr)
	got := map[string]bool{}
	for _, f := range pr.Errors {
		got[f.Field] = true
	}
	for _, f := range fields {
		if !got[f] {
			t.Errorf("field %q not in %s", f, res.Body)
		}
	}
	return pr
}

func returneeForm(div int64, name, id, arrived string) url.Values {
	return url.Values{"division_id": {fmt.Sprint(div)}, "name": {name}, "id_number": {id}, "phone": {"13812345678"},
		"address": {"东汪村三街12号"}, "tags": {"returnee", "key_region"}, "screened_on": {"2020-02-22"},
		"travel.from": {"湖北武汉"}, "travel.via": {"石家庄"}, "travel.transport": {"train"}, "travel.transport_no": {"G512"},
		"travel.arrived_on": {arrived}, "observe.kind": {"home"}, "observe.reason": {"returnee"}, "observe.start_date": {"2020-02-22"}}
}

// TestCadreJourney: a village cadre registers a returnee on the form,
// records two follow-ups, and the fever raises an alert the commander sees.
func TestCadreJourney(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cadre := srv.As(t, apptest.CadreDongwang)
		cmd := srv.As(t, apptest.Commander)
		village := srv.Fix.DongwangVillage.ID
		if res := cadre.Get("/screening/persons/new"); res.Code != 200 || !strings.Contains(res.Body, `name="travel.arrived_on"`) {
			t.Fatalf("form: %d", res.Code)
		}
		pid := created(t, cadre.Form("/screening/persons", returneeForm(village, "张建国", idNumber("19800101", 1), "2020-02-15")), "/screening/persons/")
		var p screening.Person
		cadre.Get(fmt.Sprintf("/api/v1/persons/%d", pid)).Decode(t, &p)
		if len(p.Observations) != 1 || p.Observations[0].PlannedEnd != storage.MustDate("2020-02-29") || p.Name != "张**" {
			t.Fatalf("person %+v", p)
		}
		obs := p.Observations[0].ID

		t.Run("two follow-ups, the second a fever", func(t *testing.T) {
			path := fmt.Sprintf("/screening/observations/%d/followups", obs)
			res := cadre.Form(path, url.Values{"temperature": {"36.6"}, "slot": {"am"}, "day": {"2020-02-22"}})
			if res.Code != 303 {
				t.Fatalf("am: %d %s", res.Code, res.Body)
			}
			res = cadre.Form(path, url.Values{"temperature": {"38.1℃"}, "slot": {"pm"}, "day": {"2020-02-22"}, "symptoms": {"cough"}})
			if res.Code != 303 || !strings.Contains(res.Header.Get("Set-Cookie"), "screening.followup.alert_opened") {
				t.Fatalf("pm: %d %v", res.Code, res.Header)
			}
			page := cadre.Get(fmt.Sprintf("/screening/observations/%d", obs))
			if !strings.Contains(page.Body, "38.1℃") || !strings.Contains(page.Body, "/screening/alerts/") {
				t.Errorf("observation page lacks the fever or its alert")
			}
		})
		t.Run("the commander sees the alert on the API and the overview", func(t *testing.T) {
			var alerts screening.AlertList
			cmd.Get("/api/v1/alerts?state=open").Decode(t, &alerts)
			if len(alerts.Items) != 1 || alerts.Items[0].DivisionID != village || alerts.Items[0].Temperature != 38.1 || alerts.Items[0].PersonName != "张**" {
				t.Fatalf("alerts %+v", alerts.Items)
			}
			var ov screening.Overview
			cmd.Get("/api/v1/screening/overview").Decode(t, &ov)
			if ov.Total.OpenAlerts != 1 || ov.Total.UnderHome != 1 || ov.Total.Done != 2 || ov.Total.New != 1 {
				t.Errorf("overview %+v", ov.Total)
			}
			page := cmd.Get("/screening/overview")
			if page.Code != 200 || !strings.Contains(page.Body, `href="/screening/alerts?date=2020-02-22&amp;state=open"`) {
				t.Errorf("overview page: %d", page.Code)
			}
			alert := cmd.Get(fmt.Sprintf("/screening/alerts/%d", alerts.Items[0].ID))
			if alert.Code != 200 || !strings.Contains(alert.Body, `action="/screening/alerts/`) {
				t.Errorf("alert page: %d", alert.Code)
			}
		})
		t.Run("a second registration of the same ID number is refused with a pointer", func(t *testing.T) {
			form := returneeForm(village, "张建国", idNumber("19800101", 1), "2020-02-16")
			form.Set("phone", "13900000000")
			res := cadre.Form("/screening/persons", form)
			if res.Code != 409 || !strings.Contains(res.Body, fmt.Sprintf(`href="/screening/persons/%d"`, pid)) ||
				!strings.Contains(res.Body, `value="13900000000"`) {
				t.Errorf("form: %d", res.Code)
			}
			body := map[string]any{"division_id": village, "name": "张建国", "id_number": idNumber("19800101", 1)}
			res = cadre.JSON("POST", "/api/v1/persons", body)
			problemFields(t, res, 409, "id_number")
			if !strings.Contains(res.Body, fmt.Sprintf(`"existing":{"id":%d,"by":"id_number","href":"/api/v1/persons/%d"`, pid, pid)) {
				t.Errorf("no pointer: %s", res.Body)
			}
		})
		t.Run("bad follow-ups are field errors", func(t *testing.T) {
			problemFields(t, cadre.JSON("POST", "/api/v1/followups", map[string]any{"observation_id": obs, "slot": "am", "day": "2020-02-21", "temperature": 44}), 422, "temperature")
			problemFields(t, cadre.JSON("POST", "/api/v1/followups", map[string]any{"observation_id": obs, "slot": "am", "day": "2020-02-23", "temperature": 36.5}), 422, "day")
			problemFields(t, cadre.JSON("POST", "/api/v1/followups", `{"observation_id": "x"}`), 422, "observation_id")
			res := cadre.Form(fmt.Sprintf("/screening/observations/%d/followups", obs), url.Values{"temperature": {"3.65"}, "slot": {"am"}, "day": {"2020-02-21"}})
			if res.Code != 422 || !strings.Contains(res.Body, `value="3.65"`) || !strings.Contains(res.Body, `id="e-temperature"`) {
				t.Errorf("form keeps input: %d", res.Code)
			}
		})
		t.Run("scope and roles", func(t *testing.T) {
			if res := srv.As(t, apptest.AdminFenghuang).Get(fmt.Sprintf("/api/v1/persons/%d", pid)); res.Code != 404 {
				t.Errorf("other township: %d", res.Code)
			}
			if res := srv.As(t, apptest.Leader).JSON("POST", "/api/v1/persons", map[string]any{}); res.Code != 403 {
				t.Errorf("leader writes: %d", res.Code)
			}
			var pg screening.PersonList
			srv.As(t, apptest.AdminFenghuang).Get("/api/v1/persons").Decode(t, &pg)
			if len(pg.Items) != 0 {
				t.Errorf("other township lists %d", len(pg.Items))
			}
		})
	})
}

func TestNoticesMergeAndSelfRegistration(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cadre := srv.As(t, apptest.CadreDongwang)
		village := srv.Fix.DongwangVillage.ID
		var ids []int64
		for i, arrived := range []string{"2020-02-01", "2020-02-03", "2020-02-05"} {
			form := returneeForm(village, []string{"刘一", "陈二", "杨三"}[i], idNumber("19900101", 10+i), arrived)
			form.Set("observe.start_date", arrived)
			form.Set("phone", fmt.Sprintf("1391234000%d", i))
			ids = append(ids, created(t, cadre.Form("/screening/persons", form), "/screening/persons/"))
		}
		var due screening.DueList
		cadre.Get(fmt.Sprintf("/api/v1/followups/due?division=%d", village)).Decode(t, &due)
		if len(due.Rows) != 3 || due.ReleaseDue != 3 {
			t.Fatalf("due %+v", due)
		}
		var release []int64
		for _, r := range due.Rows {
			release = append(release, r.Observation.ID)
		}
		res := cadre.JSON("POST", "/api/v1/observations/release", map[string]any{"ids": release, "day": "2020-02-22"})
		if res.Code != 200 {
			t.Fatalf("release: %d %s", res.Code, res.Body)
		}

		t.Run("bulk release notices print one per person", func(t *testing.T) {
			page := cadre.Get(fmt.Sprintf("/screening/notices?kind=release&division=%d&date=2020-02-22", village))
			if page.Code != 200 || strings.Count(page.Body, `<article class="sc-notice">`) != 3 {
				t.Fatalf("%d, %d notices", page.Code, strings.Count(page.Body, `<article class="sc-notice">`))
			}
			for _, name := range []string{"刘一", "陈二", "杨三", idNumber("19900101", 10)} {
				if !strings.Contains(page.Body, name) {
					t.Errorf("notice lacks %s", name)
				}
			}
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'reveal' AND entity = 'observation.release'`).Scan(&n)
			if n != 1 {
				t.Errorf("%d print audit entries", n)
			}
			if res := srv.As(t, apptest.Leader).Get(fmt.Sprintf("/screening/notices?kind=release&division=%d", village)); res.Code != 403 {
				t.Errorf("leader prints personal data: %d", res.Code)
			}
		})
		t.Run("merging two duplicates keeps both histories", func(t *testing.T) {
			res := cadre.JSON("POST", fmt.Sprintf("/api/v1/persons/%d/merge", ids[0]), map[string]any{"other_id": ids[1], "reason": "同一人"})
			if res.Code != 200 {
				t.Fatalf("merge: %d %s", res.Code, res.Body)
			}
			var p screening.Person
			cadre.Get(fmt.Sprintf("/api/v1/persons/%d", ids[0])).Decode(t, &p)
			if len(p.Observations) != 2 || len(p.Travels) != 2 || len(p.Merges) != 1 {
				t.Errorf("kept %+v", p)
			}
			page := cadre.Get(fmt.Sprintf("/screening/persons/%d", ids[1]))
			if page.Code != 200 || !strings.Contains(page.Body, fmt.Sprintf(`href="/screening/persons/%d"`, ids[0])) {
				t.Errorf("merged record page: %d", page.Code)
			}
		})
		t.Run("a resident registers through the village link", func(t *testing.T) {
			var links struct {
				Items []struct {
					URL string `json:"url"`
				} `json:"items"`
			}
			cadre.Get("/api/v1/screening/links").Decode(t, &links)
			if len(links.Items) != 1 {
				t.Fatalf("links %+v", links)
			}
			u, _ := url.Parse(links.Items[0].URL)
			anon := srv.Anon(t)
			if res := anon.Get(u.Path); res.Code != 200 || !strings.Contains(res.Body, "东汪村") {
				t.Fatalf("public form: %d", res.Code)
			}
			form := url.Values{"name": {"吴九"}, "id_number": {idNumber("19990909", 90)}, "phone": {"13512345678"}, "address": {"东汪村9号"},
				"travel.from": {"深圳"}, "travel.transport": {"flight"}, "travel.arrived_on": {"2020-02-21"}, "tags": {"returnee"}}
			bad := url.Values{"name": {"吴九"}, "id_number": {badCheck("19990909", 90)}}
			if res := anon.Form(u.Path, bad); res.Code != 422 || !strings.Contains(res.Body, `value="吴九"`) {
				t.Errorf("bad self-registration: %d", res.Code)
			}
			if res := anon.Form(u.Path, form); res.Code != 303 || !strings.HasSuffix(res.Header.Get("Location"), "?done=1") {
				t.Fatalf("self-registration: %d %s", res.Code, res.Body)
			}
			if res := anon.Get("/r/1.1.AAAAAAAAAAAAAAAA"); res.Code != 404 {
				t.Errorf("forged link: %d", res.Code)
			}
			var q screening.RegistrationList
			cadre.Get("/api/v1/persons/registrations").Decode(t, &q)
			if len(q.Items) != 1 || q.Items[0].Name != "吴*" {
				t.Fatalf("queue %+v", q.Items)
			}
			res := cadre.Form(fmt.Sprintf("/screening/queue/%d/accept", q.Items[0].ID), url.Values{"observe_kind": {"home"}, "arrived_on": {"2020-02-21"}})
			pid := created(t, res, "/screening/persons/")
			var p screening.Person
			cadre.Get(fmt.Sprintf("/api/v1/persons/%d", pid)).Decode(t, &p)
			if p.Source != screening.SourceSelf || len(p.Observations) != 1 || p.Observations[0].PlannedEnd != storage.MustDate("2020-03-06") {
				t.Errorf("accepted %+v", p)
			}
		})
	})
}

func TestImportThroughTheWeb(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cadre := srv.As(t, apptest.CadreDongwang)
		file := registerFile(t, [][]any{
			{"张三", idNumber("19800101", 11), "13812340001", "", "东汪村1号", "武汉", "高铁", "G512", "2020-02-10", "返乡"},
			{"李四", badCheck("19800101", 12), "13812340002", "", "东汪村2号", "", "", "", "", ""},
			{"王五", idNumber("19800101", 13), "", "", "", "", "", "", "", ""},
		})
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("division_id", fmt.Sprint(srv.Fix.DongwangVillage.ID))
		fw, _ := mw.CreateFormFile("file", "东汪村.xlsx")
		fw.Write(file)
		mw.Close()
		job := created(t, cadre.Do("POST", "/screening/import", &body, mw.FormDataContentType()), "/screening/import/")
		var j screening.ImportJob
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			cadre.Get(fmt.Sprintf("/api/v1/persons/import/%d", job)).Decode(t, &j)
			if j.Finished() {
				break
			}
		}
		if j.Status != "done" || j.Result == nil || j.Result.Created != 2 || j.Result.Bad != 1 || j.Result.Problems[0].Row != 3 {
			t.Fatalf("job %+v", j)
		}
		page := cadre.Get(fmt.Sprintf("/screening/import/%d", job))
		if page.Code != 200 || !strings.Contains(page.Body, "校验位") || strings.Contains(page.Body, "data-refresh") {
			t.Errorf("report page: %d", page.Code)
		}
		if res := cadre.Get(fmt.Sprintf("/screening/import/%d/report.xlsx", job)); res.Code != 200 || len(res.Body) < 1000 {
			t.Errorf("report sheet: %d", res.Code)
		}
		if res := srv.As(t, apptest.Commander).Get(fmt.Sprintf("/screening/import/%d", job)); res.Code != 404 {
			t.Errorf("someone else's import: %d", res.Code)
		}
		if res := cadre.Get("/screening/import/template.xlsx"); res.Code != 200 {
			t.Errorf("template: %d", res.Code)
		}
	})
}

// TestPagesRender opens every screening page as the commander and as a
// village cadre, in both languages.
func TestPagesRender(t *testing.T) {
	srv := apptest.New(t, storagetest.SQLite(t))
	cadre := srv.As(t, apptest.CadreDongwang)
	village := srv.Fix.DongwangVillage.ID
	form := returneeForm(village, "赵六", idNumber("19700707", 7), "2020-02-20")
	pid := created(t, cadre.Form("/screening/persons", form), "/screening/persons/")
	var p screening.Person
	cadre.Get(fmt.Sprintf("/api/v1/persons/%d", pid)).Decode(t, &p)
	obs := p.Observations[0].ID
	cadre.Form(fmt.Sprintf("/screening/observations/%d/followups", obs), url.Values{"temperature": {"37.9"}, "slot": {"am"}, "day": {"2020-02-22"}})
	pages := []string{"/screening", "/screening/overview", fmt.Sprintf("/screening/overview?division=%d", srv.Fix.Dongwang.ID),
		"/screening/persons", fmt.Sprintf("/screening/persons/%d", pid), fmt.Sprintf("/screening/persons/%d/edit", pid),
		fmt.Sprintf("/screening/persons/%d/observe", pid), "/screening/observations?state=active",
		fmt.Sprintf("/screening/observations/%d", obs), "/screening/followups", "/screening/followups?slot=pm",
		"/screening/alerts", "/screening/alerts/1", "/screening/import", "/screening/links", "/screening/queue",
		"/screening/households", "/screening/rules", fmt.Sprintf("/screening/observations/%d/notice", obs),
		"/screening/notices?kind=notice"}
	for _, user := range []string{apptest.Commander, apptest.CadreDongwang} {
		for _, lang := range []string{"zh", "en"} {
			c := srv.As(t, user)
			c.Lang = lang
			c.Form("/account/lang", url.Values{"lang": {lang}, "next": {"/"}})
			for _, path := range pages {
				res := c.Get(path)
				if res.Code != 200 && !(path == "/screening" && res.Code == 303) {
					t.Errorf("%s %s %s: %d", user, lang, path, res.Code)
				}
				if strings.Contains(res.Body, "screening.") {
					i := strings.Index(res.Body, "screening.")
					t.Errorf("%s %s %s: untranslated key near %q", user, lang, path, res.Body[i:min(len(res.Body), i+60)])
				}
			}
		}
	}
}
