package enterprise_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/enterprise"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// phoneFiling is the filing form as an officer's phone posts it.
func phoneFiling(planned string) url.Values {
	v := url.Values{"planned_date": {planned}, "expected_local": {"90"}, "expected_outside": {"12"},
		"expected_key_regions": {"1"}, "masks_days": {"14"}, "thermometers": {"6"}, "disinfectant_days": {"21"},
		"isolation_area": {"1"}, "isolation_note": {"门卫室东侧"}}
	for _, m := range enterprise.Measures {
		v.Set("measure_"+string(m), "1")
		v.Set("measure_"+string(m)+"_note", "已落实")
	}
	return v
}

// TestResumptionJourney: an enterprise officer files on the phone form, the
// township reviews, the county approves, and the rate moves; the rules of
// scope, self-decision, reasons and bad input hold on the way.
func TestResumptionJourney(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		hongda := register(t, cmd, newEnterprise(srv.Fix.DongwangVillage.ID, "鸿达阀门有限公司", 1, true, 100))
		tianwei := register(t, cmd, newEnterprise(srv.Fix.FenghuangVillage.ID, "河北天威橡塑有限公司", 2, true, 60))
		addUser(t, srv, "officer-hongda", auth.EnterpriseOfficer, auth.ScopeEnterprise, hongda)
		addUser(t, srv, "commander-2", auth.Commander, auth.ScopeNode, srv.Fix.County.ID)
		officer := srv.As(t, "officer-hongda")

		if st := stats(t, cmd, "2020-02-22"); st.AboveSize.Total != 2 || st.AboveSize.Resumed != 0 {
			t.Fatalf("before: %+v", st.AboveSize)
		}

		t.Run("officer files on the phone form", func(t *testing.T) {
			if res := officer.Get("/enterprises"); res.Code != 303 || res.Header.Get("Location") != fmt.Sprintf("/enterprises/%d", hongda) {
				t.Errorf("officer's list goes to their enterprise: %d %s", res.Code, res.Header.Get("Location"))
			}
			page := officer.Get(fmt.Sprintf("/enterprises/%d/filings/new", hongda))
			for _, want := range []string{`name="viewport" content="width=device-width`, `name="measure_temperature"`,
				`name="measure_contingency_note"`, `inputmode="numeric"`, `type="date"`} {
				if page.Code != 200 || !strings.Contains(page.Body, want) {
					t.Errorf("filing form (%d) lacks %s", page.Code, want)
				}
			}
			// A missing measure: the form comes back with everything typed.
			bad := phoneFiling("2020-02-24")
			bad.Del("measure_masks")
			bad.Set("measure_vehicles_note", "外来车辆一律登记消毒")
			res := officer.Form(fmt.Sprintf("/enterprises/%d/filings", hongda), bad)
			if res.Code != 422 || !strings.Contains(res.Body, `id="e-measure_masks"`) || !strings.Contains(res.Body, "外来车辆一律登记消毒") {
				t.Fatalf("incomplete filing: %d", res.Code)
			}
			res = officer.Form(fmt.Sprintf("/enterprises/%d/filings", hongda), phoneFiling("2020-02-22"))
			if res.Code != 303 {
				t.Fatalf("filing: %d %s", res.Code, res.Body)
			}
			// One filing at a time.
			assertStatus(t, officer.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings", hongda), filingBody("2020-02-23")), 409)
		})

		var fid int64
		t.Run("township reviews from its queue, county approves", func(t *testing.T) {
			var q enterprise.QueueList
			srv.As(t, apptest.AdminDongwang).Get("/api/v1/enterprises/queue?stage=township").Decode(t, &q)
			if len(q.Items) != 1 || q.Items[0].EnterpriseID != hongda || q.Items[0].Age != 0 {
				t.Fatalf("township queue %+v", q.Items)
			}
			fid = q.Items[0].FilingID
			admin := srv.As(t, apptest.AdminDongwang)
			if page := admin.Get("/enterprises/queue"); !strings.Contains(page.Body, "鸿达阀门有限公司") {
				t.Errorf("queue page lacks the filing")
			}
			// The officer has no review permission; another township sees nothing.
			assertStatus(t, officer.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings/%d/review", hongda, fid), map[string]string{"action": "pass"}), 403)
			assertStatus(t, srv.As(t, apptest.AdminFenghuang).JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings/%d/review", hongda, fid), map[string]string{"action": "pass"}), 404)
			// The county cannot skip the township.
			assertStatus(t, cmd.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings/%d/decision", hongda, fid), map[string]string{"action": "approve"}), 409)
			res := admin.Form(fmt.Sprintf("/enterprises/%d/filings/%d/review", hongda, fid), url.Values{"action": {"pass"}})
			if res.Code != 303 {
				t.Fatalf("review: %d %s", res.Code, res.Body)
			}
			res = cmd.Form(fmt.Sprintf("/enterprises/%d/filings/%d/decision", hongda, fid), url.Values{"action": {"approve"}})
			if res.Code != 303 {
				t.Fatalf("decision: %d %s", res.Code, res.Body)
			}
			var f enterprise.Filing
			cmd.Get(fmt.Sprintf("/api/v1/enterprises/%d/filings/%d", hongda, fid)).Decode(t, &f)
			if f.Status != enterprise.FStatusApproved || len(f.Events) != 3 || f.Events[1].Actor != apptest.AdminDongwang ||
				f.Events[2].Actor != apptest.Commander || f.ResumeDay.String() != "2020-02-22" {
				t.Errorf("approved filing %+v", f)
			}
		})

		t.Run("the rate moves", func(t *testing.T) {
			st := stats(t, cmd, "2020-02-22")
			if st.AboveSize.Total != 2 || st.AboveSize.Resumed != 1 || st.AboveSize.Pct != 50 {
				t.Errorf("after approval: %+v", st.AboveSize)
			}
			if st := stats(t, cmd, "2020-02-21"); st.AboveSize.Resumed != 0 {
				t.Errorf("the day before: %+v", st.AboveSize)
			}
			if page := cmd.Get("/enterprises/stats?date=2020-02-22"); page.Code != 200 || !strings.Contains(page.Body, "累计复工复产1家，占比50%") {
				t.Errorf("stats page (%d) lacks the lede", page.Code)
			}
			var e enterprise.Enterprise
			officer.Get(fmt.Sprintf("/api/v1/enterprises/%d", hongda)).Decode(t, &e)
			if e.Status != enterprise.Resumed || e.OfficerPhone != "139****0001" {
				t.Errorf("officer sees %+v", e)
			}
		})

		t.Run("an officer cannot see or file for another enterprise", func(t *testing.T) {
			for _, path := range []string{fmt.Sprintf("/api/v1/enterprises/%d", tianwei), fmt.Sprintf("/enterprises/%d", tianwei),
				fmt.Sprintf("/enterprises/%d/filings/new", tianwei), fmt.Sprintf("/api/v1/enterprises/%d/filings", tianwei)} {
				if res := officer.Get(path); res.Code != 404 {
					t.Errorf("%s: %d", path, res.Code)
				}
			}
			assertStatus(t, officer.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings", tianwei), filingBody("2020-02-22")), 404)
			assertStatus(t, officer.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/reports", tianwei), map[string]any{"day": "2020-02-22", "on_site": 1}), 404)
			var pg enterprise.Page
			officer.Get("/api/v1/enterprises").Decode(t, &pg)
			if len(pg.Items) != 1 || pg.Items[0].ID != hongda {
				t.Errorf("officer's list %+v", pg.Items)
			}
			// Nor register or edit enterprises.
			assertStatus(t, officer.JSON("POST", "/api/v1/enterprises", newEnterprise(srv.Fix.DongwangVillage.ID, "x", 9, true, 1)), 403)
		})

		t.Run("nobody decides their own filing", func(t *testing.T) {
			tfid := file(t, cmd, tianwei, "2020-02-22")
			step(t, srv.As(t, apptest.AdminFenghuang), tianwei, tfid, "review", "pass", "")
			res := cmd.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings/%d/decision", tianwei, tfid), map[string]string{"action": "approve"})
			assertStatus(t, res, 403)
			if !strings.Contains(res.Body, "enterprise.err.own_filing") && !strings.Contains(res.Body, "本人") {
				t.Errorf("own filing: %s", res.Body)
			}
			page := cmd.Get(fmt.Sprintf("/enterprises/%d/filings/%d", tianwei, tfid))
			if strings.Contains(page.Body, `/decision"`) {
				t.Errorf("the filer is offered the decision form")
			}

			t.Run("a return or refusal needs reasons", func(t *testing.T) {
				other := srv.As(t, "commander-2")
				apptest.AssertFields(t, other.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings/%d/decision", tianwei, tfid), map[string]string{"action": "refuse"}), "reasons")
				apptest.AssertFields(t, other.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings/%d/decision", tianwei, tfid), map[string]string{"action": "return", "reasons": " "}), "reasons")
				res := other.Form(fmt.Sprintf("/enterprises/%d/filings/%d/decision", tianwei, tfid), url.Values{"action": {"refuse"}})
				if res.Code != 422 || !strings.Contains(res.Body, `id="e-reasons"`) {
					t.Errorf("decision form without reasons: %d", res.Code)
				}
				f := step(t, other, tianwei, tfid, "decision", "return", "隔离区未设置")
				if f.Status != enterprise.FStatusReturned || f.Events[len(f.Events)-1].Reasons != "隔离区未设置" {
					t.Errorf("returned %+v", f)
				}
			})
		})

		t.Run("bad credit code names the field", func(t *testing.T) {
			body := newEnterprise(srv.Fix.DongwangVillage.ID, "宁晋县宁达棉花有限公司", 3, true, 50)
			body["credit_code"] = creditCode(3)[:17] + "0"
			if body["credit_code"] == creditCode(3) {
				body["credit_code"] = creditCode(3)[:17] + "1"
			}
			apptest.AssertFields(t, cmd.JSON("POST", "/api/v1/enterprises", body), "credit_code")
			body["credit_code"] = creditCode(1) // taken by 鸿达
			apptest.AssertFields(t, cmd.JSON("POST", "/api/v1/enterprises", body), "credit_code")
			body["credit_code"], body["officer_phone"], body["industry"] = "123", "1234", "mining"
			apptest.AssertFields(t, cmd.JSON("POST", "/api/v1/enterprises", body), "credit_code", "officer_phone", "industry")
			form := url.Values{"name": {"宁晋县宁达棉花有限公司"}, "credit_code": {"91130528MA0000003X"}, "industry": {"textile"},
				"division_id": {fmt.Sprint(srv.Fix.DongwangVillage.ID)}, "officer": {"张三"}, "officer_phone": {"13812345678"}, "employees": {"八十"}}
			res := cmd.Form("/enterprises", form)
			if res.Code != 422 || !strings.Contains(res.Body, `value="91130528MA0000003X"`) || !strings.Contains(res.Body, `id="e-credit_code"`) ||
				!strings.Contains(res.Body, `id="e-employees"`) {
				t.Errorf("register form: %d", res.Code)
			}
		})

		t.Run("daily reports are checked", func(t *testing.T) {
			path := fmt.Sprintf("/api/v1/enterprises/%d/reports", hongda)
			apptest.AssertFields(t, officer.JSON("POST", path, map[string]any{"day": "2020-02-21", "on_site": 10}), "day") // filed on the 22nd
			apptest.AssertFields(t, officer.JSON("POST", path, map[string]any{"day": "2020-02-22", "on_site": 106, "returned_today": 5}), "on_site")
			apptest.AssertFields(t, officer.JSON("POST", path, map[string]any{"day": "2020-02-22", "on_site": -1, "fever_cases": -1}), "on_site", "fever_cases")
			apptest.AssertFields(t, officer.JSON("POST", path, map[string]any{"day": "2020-02-23", "on_site": 1}), "day")
			res := officer.JSON("POST", path, map[string]any{"day": "2020-02-22", "on_site": 105, "returned_today": 5, "capacity_pct": 60})
			if res.Code != 201 {
				t.Fatalf("report: %d %s", res.Code, res.Body)
			}
			if res := officer.JSON("POST", path, map[string]any{"day": "2020-02-22", "on_site": 90, "returned_today": 5, "capacity_pct": 65}); res.Code != 200 {
				t.Errorf("correction: %d %s", res.Code, res.Body)
			}
			st := stats(t, cmd, "2020-02-22")
			if st.OnSite != 90 || st.Employees != 100 || st.WorkerPct != 90 || st.CapacityPct != 65 || st.Missing != 0 {
				t.Errorf("workers back %+v", st.Figures)
			}
			form := url.Values{"day": {"2020-02-22"}, "on_site": {"300"}, "returned_today": {"2"}, "note": {"夜班"}}
			page := officer.Form(fmt.Sprintf("/enterprises/%d/reports", hongda), form)
			if page.Code != 422 || !strings.Contains(page.Body, `id="e-on_site"`) || !strings.Contains(page.Body, `value="夜班"`) {
				t.Errorf("report form: %d", page.Code)
			}
		})

		t.Run("every write is audited", func(t *testing.T) {
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'enterprise.filing'`).Scan(&n)
			if n < 6 { // 2 filings, review, approval, review, return
				t.Errorf("%d filing audit entries", n)
			}
			db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'enterprise' AND action = 'create'`).Scan(&n)
			if n != 2 {
				t.Errorf("%d enterprise creates audited", n)
			}
		})
	})
}

// TestRevealAndExport: lists are masked; the full record needs pii.reveal and is logged.
func TestRevealAndExport(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		id := register(t, cmd, newEnterprise(srv.Fix.DongwangVillage.ID, "河北优林科技有限公司", 5, true, 300))
		var pg enterprise.Page
		srv.As(t, apptest.CadreDongwang).Get("/api/v1/enterprises").Decode(t, &pg)
		if len(pg.Items) != 1 || pg.Items[0].Officer != "李*" || pg.Items[0].OfficerPhone != "139****0001" {
			t.Errorf("cadre's list %+v", pg.Items)
		}
		if res := srv.As(t, apptest.Leader).JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/reveal", id), nil); res.Code != 403 {
			t.Errorf("leader reveal: %d", res.Code)
		}
		var e enterprise.Enterprise
		cmd.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/reveal", id), nil).Decode(t, &e)
		if e.OfficerPhone != "13931900001" || e.Principal != "王建国" {
			t.Errorf("revealed %+v", e)
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'reveal' AND entity = 'enterprise'`).Scan(&n)
		if n != 1 {
			t.Errorf("%d reveals logged", n)
		}
		res := cmd.Get("/enterprises/export.xlsx")
		if res.Code != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("export: %d %s", res.Code, res.Header.Get("Content-Type"))
		}
		if res := srv.As(t, apptest.AdminFenghuang).Get(fmt.Sprintf("/api/v1/enterprises/%d", id)); res.Code != 404 {
			t.Errorf("other township: %d", res.Code)
		}
	})
}

// upload posts an .xlsx to the import page as a browser does.
func upload(t *testing.T, c *apptest.Client, file *bytes.Reader) apptest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "企业.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(fw, file)
	mw.Close()
	return c.Do("POST", "/enterprises/import", &body, mw.FormDataContentType())
}

// TestImportPage: the template downloads, a file with a bad row imports
// nothing and names the row, a good file imports every row.
func TestImportPage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		if res := cmd.Get("/enterprises/import/template.xlsx"); res.Code != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("template: %d", res.Code)
		}
		good := []any{"河北天威橡塑有限公司", creditCode(51), "橡胶塑料制品", srv.Fix.DongwangVillage.Code, "", "是", "否", "260", "", "刘敏", "13900000001"}
		bad := []any{"坏企业", "91130528MA00000000", "textile", srv.Fix.Dongwang.Code, "", "是", "", "10", "", "王", "13900000002"}
		res := upload(t, cmd, sheet(t, good, bad))
		if res.Code != 422 || !strings.Contains(res.Body, "第3行") {
			t.Errorf("bad file: %d", res.Code)
		}
		res = upload(t, cmd, sheet(t, good))
		if res.Code != 200 || !strings.Contains(res.Body, "已导入1家企业") {
			t.Errorf("good file: %d", res.Code)
		}
		var pg enterprise.Page
		cmd.Get("/api/v1/enterprises?q=天威").Decode(t, &pg)
		if len(pg.Items) != 1 || pg.Items[0].Industry != "rubber_plastics" || !pg.Items[0].AboveSize {
			t.Errorf("imported %+v", pg.Items)
		}
		if res := srv.As(t, "enterprise-1").Get("/enterprises/import"); res.Code != 403 {
			t.Errorf("officer import page: %d", res.Code)
		}
	})
}

// TestCalendarSettings: the county keeps its holidays and the weekend days
// worked; the API and the settings form refuse bad lists field by field,
// the form keeps what was typed, and leaving the lists out keeps them.
func TestCalendarSettings(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		in := map[string]any{"filing_mode": "approval", "answer_working_days": 2,
			"holidays": []string{"2020-01-27", "2020-01-24"}, "workdays": []string{"2020-01-19"}}
		var got enterprise.SettingsInput
		res := cmd.JSON("PUT", "/api/v1/enterprises/settings", in)
		res.Decode(t, &got)
		if res.Code != 200 || len(got.Holidays) != 2 || got.Holidays[0].String() != "2020-01-24" || len(got.Workdays) != 1 {
			t.Fatalf("save: %d %s", res.Code, res.Body)
		}
		// Left out: kept.
		cmd.JSON("PUT", "/api/v1/enterprises/settings", map[string]any{"filing_mode": "approval", "answer_working_days": 3}).Decode(t, &got)
		if len(got.Holidays) != 2 || got.AnswerDays != 3 {
			t.Errorf("lists left out were not kept: %+v", got)
		}
		apptest.AssertFields(t, cmd.JSON("PUT", "/api/v1/enterprises/settings", map[string]any{"filing_mode": "approval",
			"answer_working_days": 2, "workdays": []string{"2020-01-20"}}), "workdays")
		apptest.AssertFields(t, cmd.JSON("PUT", "/api/v1/enterprises/settings", map[string]any{"filing_mode": "approval",
			"answer_working_days": 2, "holidays": []string{"2020-01-19"}, "workdays": []string{"2020-01-19"}}), "workdays")

		form := url.Values{"mode": {"approval"}, "answer_days": {"2"}, "holidays": {"2020-01-24, 2020-02-31"}, "workdays": {"2020-01-19"}}
		page := cmd.Form("/enterprises/settings", form)
		if page.Code != 422 || !strings.Contains(page.Body, "2020-02-31") || !strings.Contains(page.Body, `id="e-holidays"`) {
			t.Errorf("bad date in the form: %d", page.Code)
		}
		form.Set("holidays", "2020-01-24\n2020-01-28")
		if page := cmd.Form("/enterprises/settings", form); page.Code != 303 {
			t.Fatalf("form save: %d %s", page.Code, page.Body)
		}
		cmd.Get("/api/v1/enterprises/settings").Decode(t, &got)
		if len(got.Holidays) != 2 || got.Holidays[1].String() != "2020-01-28" {
			t.Errorf("after the form: %+v", got.Holidays)
		}
		if res := srv.As(t, apptest.Leader).JSON("PUT", "/api/v1/enterprises/settings", in); res.Code != 403 {
			t.Errorf("a leader changed the calendar: %d", res.Code)
		}
	})
}

// TestPolicyPages: the county adds a relief policy on the policies page and
// changes it on its edit form; a bad period is a field error with the text
// kept, a stale form is refused, and only enterprise.policy edits.
func TestPolicyPages(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		add := url.Values{"name": {"阶段性减免社保费"}, "kind": {"tax_fee"}, "issuer": {"县人社局"}, "valid_from": {"2020-02-01"}, "valid_to": {"2020-06-30"}}
		if res := cmd.Form("/enterprises/policies", add); res.Code != 303 {
			t.Fatalf("add: %d %s", res.Code, res.Body)
		}
		var list enterprise.PolicyList
		cmd.Get("/api/v1/enterprise-policies").Decode(t, &list)
		if len(list.Items) != 1 {
			t.Fatalf("policies %+v", list.Items)
		}
		pl := list.Items[0]
		edit := fmt.Sprintf("/enterprise-policies/%d", pl.ID)
		page := cmd.Get(edit + "/edit")
		if page.Code != 200 || !strings.Contains(page.Body, `value="县人社局"`) || !strings.Contains(page.Body, `action="`+edit+`"`) {
			t.Fatalf("edit page: %d", page.Code)
		}
		change := url.Values{"name": {"阶段性减免企业社保费"}, "kind": {"tax_fee"}, "issuer": {"县人社局"}, "valid_from": {"2020-02-01"},
			"valid_to": {"2020-01-31"}, "version": {fmt.Sprint(pl.Version)}}
		if res := cmd.Form(edit, change); res.Code != 422 || !strings.Contains(res.Body, "阶段性减免企业社保费") || !strings.Contains(res.Body, `id="e-valid_to"`) {
			t.Errorf("bad period: %d", res.Code)
		}
		change.Set("valid_to", "2020-12-31")
		if res := cmd.Form(edit, change); res.Code != 303 {
			t.Fatalf("edit: %d %s", res.Code, res.Body)
		}
		if res := cmd.Form(edit, change); res.Code != 409 || !strings.Contains(res.Body, "阶段性减免企业社保费") {
			t.Errorf("stale form: %d", res.Code)
		}
		cmd.Get("/api/v1/enterprise-policies").Decode(t, &list)
		if got := list.Items[0]; got.Name != "阶段性减免企业社保费" || got.ValidTo.String() != "2020-12-31" {
			t.Errorf("after edit %+v", got)
		}
		if res := srv.As(t, apptest.AdminDongwang).Get(edit + "/edit"); res.Code != 403 {
			t.Errorf("a township admin opens the policy form: %d", res.Code)
		}
	})
}
