package enterprise_test

import (
	"fmt"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/enterprise"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// TestIndependentScenario builds a small county through the API only, day by
// day (the test moves the server's clock), and checks the resumption rate
// the statistics compute for each day: approvals before and after the
// planned date, a return and refiling, a refusal and a new filing, a
// suspension and its end, an enterprise registered later, a switch to
// notice-and-commitment, and a below-size enterprise that never counts.
func TestIndependentScenario(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		var clk clock
		clk.set("2020-02-03")
		srv.App.Env.Now = clk.now
		addUser(t, srv, "filer", auth.Commander, auth.ScopeNode, srv.Fix.County.ID)
		cmd, filer := srv.As(t, apptest.Commander), srv.As(t, "filer")
		dw, fh := srv.As(t, apptest.AdminDongwang), srv.As(t, apptest.AdminFenghuang)
		vDW, vFH := srv.Fix.DongwangVillage.ID, srv.Fix.FenghuangVillage.ID

		e1 := register(t, cmd, newEnterprise(vDW, "E1", 11, true, 100))
		e2 := register(t, cmd, newEnterprise(vDW, "E2", 12, true, 100))
		e3 := register(t, cmd, newEnterprise(vFH, "E3", 13, true, 100))
		e4 := register(t, cmd, newEnterprise(vFH, "E4", 14, true, 100))
		e5 := register(t, cmd, newEnterprise(vDW, "E5", 15, true, 100))
		e6 := register(t, cmd, newEnterprise(vDW, "E6 below size", 16, false, 20))
		reviewer := map[int64]*apptest.Client{e1: dw, e2: dw, e3: fh, e4: fh, e5: dw, e6: dw}
		approve := func(id, fid int64) {
			step(t, reviewer[id], id, fid, "review", "pass", "")
			step(t, cmd, id, fid, "decision", "approve", "")
		}

		clk.set("2020-02-10") // Monday
		f1 := file(t, filer, e1, "2020-02-13")
		f2 := file(t, filer, e2, "2020-02-11")
		f3 := file(t, filer, e3, "2020-02-17")
		step(t, dw, e2, f2, "review", "pass", "")

		clk.set("2020-02-11")
		step(t, dw, e1, f1, "review", "pass", "")
		step(t, fh, e3, f3, "review", "return", "应急预案不完整")

		clk.set("2020-02-12")
		step(t, cmd, e1, f1, "decision", "approve", "") // resumes on its planned 13th
		f4 := file(t, filer, e4, "2020-02-13")
		f5 := file(t, filer, e5, "2020-02-12")
		approve(e5, f5)
		approve(e6, file(t, filer, e6, "2020-02-12"))

		clk.set("2020-02-13")
		step(t, fh, e4, f4, "review", "pass", "")
		step(t, cmd, e4, f4, "decision", "refuse", "不具备复工条件")

		clk.set("2020-02-14")
		step(t, cmd, e2, f2, "decision", "approve", "") // later than planned: resumes today

		clk.set("2020-02-16")
		suspend := cmd.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/suspend", e5), map[string]string{"day": "2020-02-16", "reason": "员工发热，停产排查"})
		if suspend.Code != 200 {
			t.Fatalf("suspend: %d %s", suspend.Code, suspend.Body)
		}

		clk.set("2020-02-17")
		var old enterprise.Filing
		filer.Get(fmt.Sprintf("/api/v1/enterprises/%d/filings/%d", e3, f3)).Decode(t, &old)
		stale := withVersion(filingBody("2020-02-17"), old.Version-1)
		assertStatus(t, filer.JSON("PUT", fmt.Sprintf("/api/v1/enterprises/%d/filings/%d", e3, f3), stale), 409)
		res := filer.JSON("PUT", fmt.Sprintf("/api/v1/enterprises/%d/filings/%d", e3, f3), withVersion(filingBody("2020-02-17"), old.Version))
		if res.Code != 200 {
			t.Fatalf("refile: %d %s", res.Code, res.Body)
		}
		step(t, fh, e3, f3, "review", "pass", "")

		clk.set("2020-02-18")
		step(t, cmd, e3, f3, "decision", "approve", "")
		e7 := register(t, cmd, newEnterprise(vFH, "E7 registered late", 17, true, 40))

		clk.set("2020-02-19")
		if res := cmd.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/lift", e5), map[string]string{"day": "2020-02-19"}); res.Code != 200 {
			t.Fatalf("lift: %d %s", res.Code, res.Body)
		}
		f4b := file(t, filer, e4, "2020-02-20") // a new filing after the refusal

		clk.set("2020-02-20")
		approve(e4, f4b)

		clk.set("2020-02-21")
		if res := cmd.JSON("PUT", "/api/v1/enterprises/settings", enterprise.SettingsInput{Mode: "commitment", AnswerDays: 2}); res.Code != 200 {
			t.Fatalf("settings: %d %s", res.Code, res.Body)
		}
		apptest.AssertFields(t, filer.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings", e7), filingBody("2020-02-21")), "commitment")
		body := filingBody("2020-02-21")
		body["commitment"] = true
		res = filer.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings", e7), body)
		var f7 enterprise.Filing
		res.Decode(t, &f7)
		if res.Code != 201 || f7.Status != enterprise.FStatusEffective {
			t.Fatalf("commitment filing: %d %s", res.Code, res.Body)
		}

		clk.set("2020-02-22")
		want := []struct {
			day            string
			total, resumed int
			pct            int
		}{
			{"2020-02-09", 5, 0, 0},
			{"2020-02-12", 5, 1, 20},  // E5
			{"2020-02-13", 5, 2, 40},  // E1 on its planned day
			{"2020-02-14", 5, 3, 60},  // E2, approved after its planned day
			{"2020-02-16", 5, 2, 40},  // E5 suspended
			{"2020-02-17", 5, 2, 40},  // E3 refiled, not yet approved
			{"2020-02-18", 6, 3, 50},  // E3 approved; E7 registered
			{"2020-02-19", 6, 4, 67},  // E5 produces again
			{"2020-02-20", 6, 5, 83},  // E4's second filing
			{"2020-02-21", 6, 6, 100}, // E7 effective on commitment
			{"2020-02-22", 6, 6, 100},
		}
		for _, w := range want {
			st := stats(t, srv.As(t, apptest.Leader), w.day)
			if st.AboveSize.Total != w.total || st.AboveSize.Resumed != w.resumed || st.AboveSize.Pct != w.pct {
				t.Errorf("%s: %d/%d %d%%, want %d/%d %d%%", w.day, st.AboveSize.Resumed, st.AboveSize.Total, st.AboveSize.Pct,
					w.resumed, w.total, w.pct)
			}
		}
		var tr enterprise.TrendList
		cmd.Get("/api/v1/enterprises/trend?from=2020-02-12&to=2020-02-21").Decode(t, &tr)
		if len(tr.Items) != 10 || tr.Items[0].Resumed != 1 || tr.Items[4].Resumed != 2 || tr.Items[9].Pct != 100 {
			t.Errorf("trend %+v", tr.Items)
		}
		// The below-size enterprise counts among all enterprises only.
		if st := stats(t, cmd, "2020-02-22"); st.All.Total != 7 || st.All.Resumed != 7 {
			t.Errorf("all enterprises %+v", st.All)
		}
		// Pending at the end of the 10th: E1 and E3 with the township, E2 with the county.
		if st := stats(t, cmd, "2020-02-10"); st.Pending.Township != 2 || st.Pending.County != 1 || st.Pending.Overdue != 0 {
			t.Errorf("pending on the 10th %+v", st.Pending)
		}
		// A township sees its own: 凤凰镇 has E3, E4, E7.
		if st := stats(t, fh, "2020-02-18"); st.AboveSize.Total != 3 || st.AboveSize.Resumed != 1 {
			t.Errorf("凤凰镇 on the 18th %+v", st.AboveSize)
		}
		if st := stats(t, cmd, "2020-02-22"); len(st.ByTownship) != 2 || st.ByTownship[0].AboveSize.Total+st.ByTownship[1].AboveSize.Total != 6 {
			t.Errorf("by township %+v", st.ByTownship)
		}
	})
}

func withVersion(body map[string]any, v int64) map[string]any {
	body["version"] = v
	return body
}
