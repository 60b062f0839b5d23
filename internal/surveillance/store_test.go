package surveillance_test

import (
	"context"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/surveillance"
)

func commander(f apptest.Fixture) *auth.Principal {
	return &auth.Principal{Username: "t", Grants: []auth.Grant{{Role: auth.Commander, ScopeKind: auth.ScopeNode, ScopeID: f.County.ID, NodePath: f.County.Path}}}
}

func TestSummaryFromRecords(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := &surveillance.Store{DB: db, Today: func() storage.Date { return storage.MustDate("2020-02-22") }}
		p := commander(fix)
		mk := func(div int64, status, day string) surveillance.Case {
			c, err := st.Create(ctx, p, surveillance.Input{DivisionID: div, Name: "王五", Status: status, StatusDate: day})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		a := mk(fix.FenghuangVillage.ID, "confirmed", "2020-01-28")
		mk(fix.DongwangVillage.ID, "confirmed", "2020-02-05")
		s := mk(fix.DongwangVillage.ID, "confirmed", "2020-02-07")
		if _, err := st.AddEvent(ctx, p, a.ID, surveillance.Cured, "2020-02-14", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddEvent(ctx, p, s.ID, surveillance.Struck, "2020-02-09", "核减"); err != nil {
			t.Fatal(err)
		}
		sum, err := st.Summary(ctx, p, storage.MustDate("2020-02-22"), "")
		if err != nil {
			t.Fatal(err)
		}
		if sum.CumulativeConfirmed != 2 || sum.Cured != 1 || *sum.DaysWithoutNewConfirmed != 17 || sum.RiskLevel != surveillance.Low {
			t.Errorf("2020-02-22: %+v", sum)
		}
		// Before the correction the struck case still counted.
		sum, _ = st.Summary(ctx, p, storage.MustDate("2020-02-08"), "")
		if sum.CumulativeConfirmed != 3 || *sum.DaysWithoutNewConfirmed != 1 || sum.RiskLevel != surveillance.Medium {
			t.Errorf("2020-02-08: %+v", sum)
		}
		sum, _ = st.Summary(ctx, p, storage.MustDate("2020-02-22"), fix.Dongwang.Code)
		if sum.CumulativeConfirmed != 1 || sum.Cured != 0 {
			t.Errorf("东汪镇: %+v", sum)
		}
		admin := &auth.Principal{Username: "a", Grants: []auth.Grant{{Role: auth.TownshipAdmin, ScopeKind: auth.ScopeNode, ScopeID: fix.Fenghuang.ID, NodePath: fix.Fenghuang.Path}}}
		sum, _ = st.Summary(ctx, admin, storage.MustDate("2020-02-22"), "")
		if sum.CumulativeConfirmed != 1 || sum.Cured != 1 {
			t.Errorf("凤凰镇 admin: %+v", sum)
		}
		if _, err := st.Summary(ctx, admin, storage.MustDate("2020-02-22"), fix.Dongwang.Code); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("out-of-scope division: %v", err)
		}
	})
}

func TestOptimisticConcurrency(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := &surveillance.Store{DB: db, Today: func() storage.Date { return storage.MustDate("2020-02-22") }}
		p := commander(fix)
		c, err := st.Create(ctx, p, surveillance.Input{DivisionID: fix.DongwangVillage.ID, Name: "赵六", Status: "suspected", StatusDate: "2020-02-10"})
		if err != nil {
			t.Fatal(err)
		}
		in := surveillance.Input{DivisionID: fix.DongwangVillage.ID, Name: "赵六", Version: c.Version}
		if _, err := st.Update(ctx, p, c.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Update(ctx, p, c.ID, in); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("stale version: %v", err)
		}
	})
}
