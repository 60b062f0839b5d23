package demo

import (
	"context"
	"testing"

	"fangkong/internal/enterprise"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/platform/validate"
)

// TestEnterpriseResumption: the statistics computed over the demo's records
// give the report's "规模以上企业累计复工复产223家，占比93%" on 22 February,
// and fewer on the days before, on both databases.
func TestEnterpriseResumption(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		sum := load(t, db)
		ctx := context.Background()
		st := &enterprise.Store{DB: db}
		cmd := login(t, db, "commander")
		s, err := st.Stats(ctx, cmd, storage.MustDate(AsOf))
		if err != nil {
			t.Fatal(err)
		}
		if s.AboveSize.Total != 240 || s.AboveSize.Resumed != 223 || s.AboveSize.Pct != 93 {
			t.Errorf("as of %s: %d of %d above-size enterprises resumed (%d%%), want 223 of 240 (93%%)",
				AsOf, s.AboveSize.Resumed, s.AboveSize.Total, s.AboveSize.Pct)
		}
		if s.All.Total != 300 || s.Missing == 0 || s.FeverEnterprises != 1 || s.Pending.Overdue == 0 || len(s.ByTownship) != 18 {
			t.Errorf("as of %s: all %+v, missing %d, fever %d, pending %+v, %d townships", AsOf, s.All, s.Missing,
				s.FeverEnterprises, s.Pending, len(s.ByTownship))
		}
		trend, err := st.Trend(ctx, cmd, storage.MustDate("2020-02-03"), storage.MustDate(AsOf))
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(trend); i++ {
			if trend[i].Resumed > 223 || (i == len(trend)-1) != (trend[i].Resumed == 223) {
				t.Errorf("%s: %d resumed; only the 22nd has 223", trend[i].Date, trend[i].Resumed)
			}
		}
		if trend[0].Resumed != 0 || trend[7].Resumed >= 100 || trend[15].Resumed <= trend[7].Resumed {
			t.Errorf("trend %+v", trend)
		}
		found := false
		for _, f := range sum.Facts {
			found = found || f.ZH == "规模以上企业累计复工复产223家，占比93%"
		}
		if !found {
			t.Errorf("banner facts %+v", sum.Facts)
		}
		checkNamedEnterprises(t, db, st)
	})
}

// checkNamedEnterprises: the report's enterprises are registered with valid
// credit codes, and the demo officer of 鸿达 sees nothing else.
func checkNamedEnterprises(t *testing.T, db *storage.DB, st *enterprise.Store) {
	t.Helper()
	ctx := context.Background()
	var hongda int64
	for _, n := range namedEnterprises {
		var id int64
		var code string
		var above bool
		if err := db.R.QueryRowContext(ctx, `SELECT id, credit_code, above_size FROM enterprises WHERE name = $1`, n.name).
			Scan(&id, &code, &above); err != nil {
			t.Fatalf("%s: %v", n.name, err)
		}
		if _, err := validate.CreditCode(code); err != nil || !above {
			t.Errorf("%s: code %s (%v), above size %v", n.name, code, err, above)
		}
		if n.name == "鸿达阀门有限公司" {
			hongda = id
		}
	}
	rows, err := db.R.QueryContext(ctx, `SELECT credit_code FROM enterprises`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		rows.Scan(&code)
		if _, err := validate.CreditCode(code); err != nil {
			t.Errorf("credit code %s: %v", code, err)
		}
	}
	officer := login(t, db, "enterprise-hongda")
	pg, err := st.List(ctx, officer, enterprise.Filter{})
	if err != nil || len(pg.Items) != 1 || pg.Items[0].ID != hongda || pg.Items[0].Status != enterprise.Resumed {
		t.Errorf("enterprise-hongda sees %+v (%v)", pg.Items, err)
	}
	if _, err := st.Get(ctx, officer, hongda+1); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("enterprise-hongda reads another enterprise: %v", err)
	}
}
