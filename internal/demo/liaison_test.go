package demo

import (
	"context"
	"testing"

	"fangkong/internal/liaison"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// TestLiaisonScenario reads the leader's February as of the report's day:
// assigned to 换马店镇 and 南及桥村 (and the four enterprises when the register
// holds them), seven visits, one problem confirmed, one overdue and first on
// the leader's list, one waiting for the leader to confirm.
func TestLiaisonScenario(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		load(t, db)
		ctx := context.Background()
		leader := login(t, db, "leader")
		store := liaison.NewStore(db, &problem.Store{DB: db})
		asOf := storage.MustDate(AsOf)
		as, err := store.Assignments(ctx, leader, leader.UserID, asOf)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, a := range as {
			if a.EnterpriseID == 0 {
				names[a.DivisionName] = true
			}
			if !a.Current {
				t.Errorf("assignment %+v not current on %s", a, AsOf)
			}
		}
		if !names["换马店镇"] || !names["南及桥村"] {
			t.Errorf("assignments %v", names)
		}
		var ents int
		db.R.QueryRow(`SELECT COUNT(*) FROM enterprises WHERE name IN ('鸿达阀门有限公司', '河北优林科技有限公司', '河北天威橡塑有限公司', '宁晋县宁达棉花有限公司')`).Scan(&ents)
		if len(as) != 2+ents {
			t.Errorf("%d assignments, want 2 + %d enterprises", len(as), ents)
		}
		pg, err := store.LeaderProblems(ctx, leader, leader.UserID, asOf, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(pg.Items) != 4 || !pg.Items[0].Overdue || pg.Items[0].Title != "原料运输车辆跨市通行受阻" ||
			pg.Items[1].Status != problem.Resolved {
			t.Fatalf("leader's problems: %+v", pg.Items)
		}
		o, err := store.Overview(ctx, login(t, db, "commander"), asOf)
		if err != nil {
			t.Fatal(err)
		}
		if o.Total.Raised != 4 || o.Total.Overdue != 1 || o.Total.Confirmed != 1 || o.Total.Resolved != 1 || o.Total.Unresolved != 2 {
			t.Errorf("overview total %+v", o.Total)
		}
		if len(o.ByDepartment) != 2 || o.ByDepartment[0].Name != "县交通运输局" || o.ByDepartment[0].Overdue != 1 {
			t.Errorf("by department %+v", o.ByDepartment)
		}
		// A week earlier: two problems raised, neither due yet.
		if o, _ := store.Overview(ctx, leader, storage.MustDate("2020-02-15")); o.Total.Raised != 2 || o.Total.Overdue != 0 || o.Total.Resolved != 1 {
			t.Errorf("as of 2020-02-15: %+v", o.Total)
		}
		vs, err := store.Visits(ctx, leader, liaison.VisitFilter{LeaderID: leader.UserID})
		if err != nil || len(vs.Items) != 7 || vs.Items[0].Day.String() != "2020-02-20" {
			t.Fatalf("visits %+v %v", vs.Items, err)
		}
		photos := 0
		for _, v := range vs.Items {
			photos += len(v.Photos)
		}
		if photos != 3 {
			t.Errorf("%d photos", photos)
		}
		// The health commission's officer sees the three problems assigned to it.
		hp, err := store.Problems.List(ctx, login(t, db, "dept-health"), problem.Filter{AsOf: asOf})
		if err != nil || len(hp.Items) != 3 {
			t.Errorf("dept-health sees %d problems (%v)", len(hp.Items), err)
		}
	})
}
