package liaison_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/enterprise"
	"fangkong/internal/liaison"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// TestEnterpriseTargets: a leader assigned to an enterprise answers for the
// problems its officer raises; the officer raises only for their own
// enterprise and sees only its problems.
func TestEnterpriseTargets(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCounty(t, db)
		fix := c.srv.Fix
		ents := &enterprise.Store{DB: db}
		mk := func(div int64, name, code string) enterprise.Enterprise {
			e, err := ents.Create(context.Background(), auth.System("t"), enterprise.Input{DivisionID: div, Name: name,
				CreditCode: code, Industry: "machinery", AboveSize: true, Employees: 120, Officer: "王防控", OfficerPhone: "13812345678"})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		hongda := mk(fix.DongwangVillage.ID, "鸿达阀门有限公司", "91350100M000100Y43")
		if hongda.ID != 1 {
			t.Fatalf("the fixture's enterprise officer works for enterprise 1; the first enterprise got id %d", hongda.ID)
		}
		other := mk(fix.FenghuangVillage.ID, "河北天威橡塑有限公司", "914403001922038216")
		leader, officer := c.srv.As(t, apptest.Leader), c.srv.As(t, apptest.EnterpriseOfficr)

		a := created[liaison.Assignment](t, leader.JSON("POST", "/api/v1/liaison/assignments",
			map[string]any{"enterprise_id": hongda.ID, "from": "2020-02-01", "to": "2020-02-29"}))
		if a.EnterpriseName != "鸿达阀门有限公司" || a.DivisionID != fix.DongwangVillage.ID || a.TargetKind() != "enterprise" {
			t.Errorf("assignment %+v", a)
		}
		body := map[string]any{"enterprise_id": hongda.ID, "category": "materials", "title": "钢材原料到货延迟",
			"department_id": c.market.ID, "raised_on": "2020-02-15", "deadline": "2020-02-20"}
		pr := created[problem.Problem](t, officer.JSON("POST", "/api/v1/liaison/problems", body))
		if pr.EnterpriseName != "鸿达阀门有限公司" || pr.DivisionID != fix.DongwangVillage.ID {
			t.Errorf("raised %+v", pr)
		}
		body["enterprise_id"] = other.ID
		apptest.AssertFields(t, officer.JSON("POST", "/api/v1/liaison/problems", body), "enterprise_id")
		body["enterprise_id"] = 99999
		apptest.AssertFields(t, officer.JSON("POST", "/api/v1/liaison/problems", body), "enterprise_id")
		theirs := created[problem.Problem](t, leader.JSON("POST", "/api/v1/liaison/problems",
			map[string]any{"enterprise_id": other.ID, "category": "funds", "title": "流动资金", "department_id": c.market.ID,
				"raised_on": "2020-02-15", "deadline": "2020-02-25"}))

		pg := ok[problem.Page](t, leader.Get("/api/v1/liaison/problems?date=2020-02-22"))
		if len(pg.Items) != 2 || pg.Items[0].ID != pr.ID || !pg.Items[0].Overdue {
			t.Errorf("leader's list %+v", pg.Items)
		}
		mine := ok[problem.Page](t, officer.Get("/api/v1/problems"))
		if len(mine.Items) != 1 || mine.Items[0].ID != pr.ID {
			t.Errorf("enterprise officer sees %+v", mine.Items)
		}
		if res := officer.Get(fmt.Sprintf("/api/v1/problems/%d", theirs.ID)); res.Code != 404 {
			t.Errorf("another enterprise's problem: %d", res.Code)
		}
		// The officer raised it, so the officer confirms it; the leader cannot.
		marketOfficer := c.srv.As(t, "dept-market")
		ok[problem.Problem](t, marketOfficer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/start", pr.ID), nil))
		ok[problem.Problem](t, marketOfficer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/resolve", pr.ID), map[string]string{"note": "协调供货商优先发货"}))
		if res := leader.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/confirm", pr.ID), nil); res.Code != 403 {
			t.Errorf("leader confirms the officer's problem: %d", res.Code)
		}
		ok[problem.Problem](t, officer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/confirm", pr.ID), nil))
		if page := leader.Get("/liaison"); page.Code != 200 {
			t.Errorf("leader's page: %d", page.Code)
		}
		// Enterprise choices on the forms follow scope.
		if res := officer.Get("/liaison/problems/new"); res.Code != 200 || !strings.Contains(res.Body, "鸿达阀门有限公司") || strings.Contains(res.Body, "河北天威橡塑有限公司") {
			t.Errorf("officer's form: %d", res.Code)
		}
	})
}
