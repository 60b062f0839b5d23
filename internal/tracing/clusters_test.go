package tracing_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/surveillance"
	"fangkong/internal/tracing"
)

// fillerCases writes n confirmed cases on day in a division, with no setting
// and no person in the register: the cumulative count the high-risk rule
// needs (> 50), not a subject of these tests, so they go in by SQL.
func fillerCases(t *testing.T, db *storage.DB, division int64, n int, day string) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2020, 2, 22, 2, 0, 0, 0, time.UTC)
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		for i := range n {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO cases (division_id, name, id_number, status, status_date, created_at, updated_at)
				VALUES ($1, $2, '', 'confirmed', $3, $4, $4) RETURNING id`, division, fmt.Sprintf("既往%d", i), storage.MustDate(day), now).Scan(&id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_events (case_id, kind, day, note, created_by, created_at)
				VALUES ($1, 'confirmed', $2, '', 'seed', $3)`, id, storage.MustDate(day), now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// caseWithPerson reports a case through the API and registers its person.
func caseWithPerson(t *testing.T, c *apptest.Client, div int64, name string, seq int, status, day, setting string) (caseID, personID int64) {
	t.Helper()
	id := idNumber(seq)
	var cs struct{ ID int64 }
	res := c.JSON("POST", "/api/v1/cases", surveillance.Input{DivisionID: div, Name: name, IDNumber: id, Origin: "local",
		Status: status, StatusDate: day, Setting: setting})
	if res.Code != 201 {
		t.Fatalf("case %s: %d %s", name, res.Code, res.Body)
	}
	res.Decode(t, &cs)
	return cs.ID, register(t, c, div, name, id)
}

type summary struct {
	Clusters            int
	RiskLevel           string `json:"risk_level"`
	CumulativeConfirmed int    `json:"cumulative_confirmed"`
}

func summaryOn(t *testing.T, c *apptest.Client, query string) summary {
	t.Helper()
	var s summary
	res := c.Get("/api/v1/surveillance/summary?" + query)
	if res.Code != 200 {
		t.Fatalf("summary %s: %d %s", query, res.Code, res.Body)
	}
	res.Decode(t, &s)
	return s
}

// TestExposureClusterRaisesTheRiskLevel: 49 earlier cases and two new ones
// in different settings make 51 cumulative, medium risk; an exposure between
// the two new cases makes them a cluster, and the county high risk — in the
// store (both databases), the summary API, the dashboard and its panel, the
// per-township rows, and each viewer's scope.
func TestExposureClusterRaisesTheRiskLevel(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		fix := srv.Fix
		fillerCases(t, db, fix.FenghuangVillage.ID, 49, "2020-02-01")
		caseA, a := caseWithPerson(t, cmd, fix.DongwangVillage.ID, "王甲", 11, "confirmed", "2020-02-15", "")
		caseB, b := caseWithPerson(t, cmd, fix.XiaokouVillage.ID, "李乙", 12, "confirmed", "2020-02-17", "")
		ctx := context.Background()
		st := &surveillance.Store{DB: db, Today: srv.App.Env.Today, ClusterSource: tracing.ClusterSource(srv.App.Env)}
		risk := func(day string) surveillance.Summary {
			t.Helper()
			s, err := st.Summary(ctx, auth.System("test"), storage.MustDate(day), "")
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		if s := risk("2020-02-17"); s.RiskLevel != surveillance.Medium || s.Clusters != 0 || s.CumulativeConfirmed != 51 {
			t.Fatalf("before the exposure: %+v", s)
		}
		// An exposure far from both (another setting, not between them) links nothing.
		other := register(t, cmd, fix.DongwangVillage.ID, "赵丙", idNumber(13))
		exposure(t, cmd, a, other, "2020-02-12", "王家")
		if s := risk("2020-02-17"); s.Clusters != 0 {
			t.Fatalf("an exposure of one case: %+v", s)
		}
		exposure(t, cmd, a, b, "2020-02-13", "鸿达阀门车间")
		s := risk("2020-02-17")
		if s.RiskLevel != surveillance.High || s.Clusters != 1 {
			t.Fatalf("after the exposure: %+v", s)
		}
		// Without the source, the case records alone show no cluster.
		plain := &surveillance.Store{DB: db, Today: srv.App.Env.Today}
		if s, _ := plain.Summary(ctx, auth.System("test"), storage.MustDate("2020-02-17"), ""); s.Clusters != 0 || s.RiskLevel != surveillance.Medium {
			t.Errorf("case records alone: %+v", s)
		}
		// The day before case B was positive there is no cluster yet; 14 days after, none any more.
		if s := risk("2020-02-16"); s.Clusters != 0 {
			t.Errorf("before B: %+v", s)
		}

		t.Run("summary API", func(t *testing.T) {
			if s := summaryOn(t, cmd, "date=2020-02-17"); s.Clusters != 1 || s.RiskLevel != "high" {
				t.Errorf("county: %+v", s)
			}
			if s := summaryOn(t, cmd, "date=2020-02-17&division="+fix.Dongwang.Code); s.Clusters != 1 {
				t.Errorf("Dongwang: %+v", s)
			}
			// Fenghuang's admin sees the 49 earlier cases and no cluster.
			if s := summaryOn(t, srv.As(t, apptest.AdminFenghuang), "date=2020-02-17"); s.Clusters != 0 || s.CumulativeConfirmed != 49 {
				t.Errorf("Fenghuang admin: %+v", s)
			}
			// Dongwang's admin sees the cluster of their two villages.
			if s := summaryOn(t, srv.As(t, apptest.AdminDongwang), "date=2020-02-17"); s.Clusters != 1 {
				t.Errorf("Dongwang admin: %+v", s)
			}
			// A village alone holds one of the two cases: no cluster in its scope.
			if s := summaryOn(t, cmd, "date=2020-02-17&division="+fix.DongwangVillage.Code); s.Clusters != 0 {
				t.Errorf("Dongwang village: %+v", s)
			}
		})

		t.Run("dashboard", func(t *testing.T) {
			var dash struct {
				Summary summary
				Rows    []struct {
					ID int64
					summary
				}
			}
			cmd.Get("/api/v1/dashboard?date=2020-02-17").Decode(t, &dash)
			if dash.Summary.Clusters != 1 || dash.Summary.RiskLevel != "high" || len(dash.Rows) != 2 ||
				dash.Rows[0].Clusters != 0 || dash.Rows[1].Clusters != 1 {
				t.Errorf("dashboard %+v", dash)
			}
			page := cmd.Get("/dashboard?date=2020-02-17")
			if page.Code != 200 || !strings.Contains(page.Body, "高风险") || !strings.Contains(page.Body, `data-figure="clusters_new"`) {
				t.Errorf("dashboard page: %d", page.Code)
			}
		})

		t.Run("new clusters", func(t *testing.T) {
			var l tracing.ClusterList
			cmd.Get("/api/v1/tracing/clusters?date=2020-02-17").Decode(t, &l)
			if len(l.Items) != 1 || l.New != 1 || !l.Items[0].New || fmt.Sprint(l.Items[0].CaseIDs) != fmt.Sprint([]int64{caseA, caseB}) ||
				fmt.Sprint(l.Items[0].Kinds) != "[exposure]" || fmt.Sprint(l.Items[0].Settings) != "[鸿达阀门车间]" {
				t.Fatalf("2020-02-17: %+v", l)
			}
			cmd.Get("/api/v1/tracing/clusters?date=2020-02-18").Decode(t, &l)
			if len(l.Items) != 1 || l.New != 0 || l.Items[0].New {
				t.Errorf("2020-02-18: %+v", l)
			}
			cmd.Get("/api/v1/tracing/clusters?date=2020-02-18&new=1").Decode(t, &l)
			if len(l.Items) != 0 {
				t.Errorf("2020-02-18 new only: %+v", l)
			}
			page := cmd.Get("/tracing/clusters?date=2020-02-17&new=1")
			if page.Code != 200 || !strings.Contains(page.Body, fmt.Sprintf("/tracing/clusters/%d?date=2020-02-17", caseA)) {
				t.Errorf("list page: %d", page.Code)
			}
		})

		t.Run("cluster records", func(t *testing.T) {
			var v tracing.ClusterDetail
			res := cmd.Get(fmt.Sprintf("/api/v1/tracing/clusters/%d?date=2020-02-17", caseB))
			if res.Code != 200 {
				t.Fatalf("%d %s", res.Code, res.Body)
			}
			res.Decode(t, &v)
			if len(v.Cases) != 2 || len(v.Exposures) != 1 || v.Exposures[0].Setting != "鸿达阀门车间" ||
				strings.Contains(res.Body, "王甲") || v.Cases[0].Links != 1 {
				t.Errorf("detail %s", res.Body)
			}
			if page := cmd.Get(fmt.Sprintf("/tracing/clusters/%d?date=2020-02-17", caseA)); page.Code != 200 || !strings.Contains(page.Body, "鸿达阀门车间") {
				t.Errorf("detail page %d", page.Code)
			}
			for _, c := range []struct {
				who, path string
			}{
				{apptest.Commander, fmt.Sprintf("/api/v1/tracing/clusters/%d?date=2020-02-16", caseA)}, // no cluster yet
				{apptest.AdminFenghuang, fmt.Sprintf("/api/v1/tracing/clusters/%d?date=2020-02-17", caseA)},
			} {
				if res := srv.As(t, c.who).Get(c.path); res.Code != 404 || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") {
					t.Errorf("%s %s: %d", c.who, c.path, res.Code)
				}
			}
		})
	})
}

// TestOverlappingClustersCountOnce: two cases whose records name the same
// household, and an exposure from one of them to a third case, are one
// cluster of three, not a case cluster and an exposure cluster.
func TestOverlappingClustersCountOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		fix := srv.Fix
		home := "东汪村三组王家"
		caseWithPerson(t, cmd, fix.DongwangVillage.ID, "王甲", 21, "confirmed", "2020-02-10", home)
		_, b := caseWithPerson(t, cmd, fix.DongwangVillage.ID, "王乙", 22, "asymptomatic", "2020-02-11", home)
		if s := summaryOn(t, cmd, "date=2020-02-12"); s.Clusters != 1 {
			t.Fatalf("case cluster: %+v", s)
		}
		_, c := caseWithPerson(t, cmd, fix.XiaokouVillage.ID, "李丙", 23, "confirmed", "2020-02-12", "")
		exposure(t, cmd, b, c, "2020-02-09", "")
		if s := summaryOn(t, cmd, "date=2020-02-12"); s.Clusters != 1 {
			t.Errorf("overlapping: %+v", s)
		}
		var l tracing.ClusterList
		cmd.Get("/api/v1/tracing/clusters?date=2020-02-12").Decode(t, &l)
		if len(l.Items) != 1 || len(l.Items[0].CaseIDs) != 3 || fmt.Sprint(l.Items[0].Kinds) != "[exposure setting]" || l.Items[0].New {
			t.Errorf("clusters %+v", l)
		}
	})
}

// exposure records a close exposure through the API.
func exposure(t *testing.T, c *apptest.Client, source, contact int64, day, setting string) tracing.Exposure {
	t.Helper()
	var e tracing.Exposure
	res := c.JSON("POST", "/api/v1/tracing/exposures", tracing.ExposureInput{SourceID: source, ContactID: contact,
		Kind: "workplace", Day: day, Setting: setting, Close: true})
	if res.Code != 201 {
		t.Fatalf("exposure %d → %d: %d %s", source, contact, res.Code, res.Body)
	}
	res.Decode(t, &e)
	return e
}
