package enterprise_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"fangkong/internal/apptest"
	"fangkong/internal/enterprise"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func commander(f apptest.Fixture) *auth.Principal {
	return &auth.Principal{Username: "cmd", Grants: []auth.Grant{{Role: auth.Commander, ScopeKind: auth.ScopeNode, ScopeID: f.County.ID, NodePath: f.County.Path}}}
}

func townshipAdmin(n string, path string, id int64) *auth.Principal {
	return &auth.Principal{Username: n, Grants: []auth.Grant{{Role: auth.TownshipAdmin, ScopeKind: auth.ScopeNode, ScopeID: id, NodePath: path}}}
}

func officerOf(id int64) *auth.Principal {
	return &auth.Principal{Username: fmt.Sprintf("officer-%d", id), Grants: []auth.Grant{{Role: auth.EnterpriseOfficer, ScopeKind: auth.ScopeEnterprise, ScopeID: id}}}
}

func newStore(db *storage.DB) *enterprise.Store {
	return &enterprise.Store{DB: db, Now: func() time.Time { return apptest.Today }}
}

// sheet writes an import file with the register's Chinese headers.
func sheet(t *testing.T, rows ...[]any) *bytes.Reader {
	t.Helper()
	cols := make([]excel.Column, len(enterprise.ImportFields))
	for i, f := range enterprise.ImportFields {
		cols[i] = excel.Column{Header: i18n.Msg{Key: f.Headers[0]}}
	}
	var buf bytes.Buffer
	err := excel.Export(&buf, i18n.ZH, "企业", cols, func(yield func([]any) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(buf.Bytes())
}

func TestImportAllOrNothing(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st, p := newStore(db), commander(fix)
		good := []any{"宁晋县润博达医疗防护用品有限公司", creditCode(21), "医药及医疗防护", fix.Dongwang.Code, "东汪镇", "是", "是", "120", "赵", "钱多", "13800000001"}
		second := []any{"宁晋县宁达棉花有限公司", creditCode(22), "textile", fix.XiaokouVillage.Code, "", "否", "", "35", "", "孙立", "13800000002"}
		bad := []any{"坏行企业", creditCode(23)[:17] + "Z", "采矿", "999999", "", "也许", "", "-3", "", "某", "123"}
		dup := append([]any{}, second...)
		dup[0] = "重复代码企业"

		res, err := st.Import(ctx, p, sheet(t, good, second, bad, dup))
		if err != nil {
			t.Fatal(err)
		}
		if res.Committed || res.Report.Total != 4 || res.Report.Bad != 2 || res.Report.OK != 2 {
			t.Fatalf("bad file: %+v", res)
		}
		rows := map[int][]string{}
		for _, pr := range res.Report.Errors {
			rows[pr.Row] = append(rows[pr.Row], pr.Column)
		}
		if len(rows[4]) < 6 || len(rows[5]) != 1 || rows[2] != nil {
			t.Errorf("problems by row %v", rows)
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM enterprises`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d enterprises written by a rejected import", n)
		}

		res, err = st.Import(ctx, p, sheet(t, good, second))
		if err != nil || !res.Committed || res.Created != 2 {
			t.Fatalf("good file: %+v %v", res, err)
		}
		pg, err := st.List(ctx, p, enterprise.Filter{})
		if err != nil || len(pg.Items) != 2 || !pg.Items[0].AboveSize || !pg.Items[0].KeyProject || pg.Items[0].Industry != "medical" ||
			pg.Items[1].DivisionID != fix.XiaokouVillage.ID || pg.Items[1].Employees != 35 {
			t.Errorf("imported %+v %v", pg.Items, err)
		}
		// The same file again: every row is already registered.
		res, _ = st.Import(ctx, p, sheet(t, good))
		if res.Committed || res.Report.Bad != 1 {
			t.Errorf("re-import %+v", res)
		}
		// A township administrator imports only into their township.
		res, _ = st.Import(ctx, townshipAdmin("a", fix.Fenghuang.Path, fix.Fenghuang.ID), sheet(t,
			[]any{"凤凰企业", creditCode(24), "food", fix.Dongwang.Code, "", "", "", "5", "", "周", "13800000003"}))
		if res.Committed || len(res.Report.Errors) != 1 || res.Report.Errors[0].Msg.Key != "enterprise.err.division_out_of_scope" {
			t.Errorf("out-of-scope import %+v", res.Report.Errors)
		}
	})
}

func TestScopeAndUniqueness(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st, p := newStore(db), commander(fix)
		mk := func(div int64, name string, n int) enterprise.Enterprise {
			e, err := st.Create(ctx, p, enterprise.Input{DivisionID: div, Name: name, CreditCode: creditCode(n), Industry: "cable",
				AboveSize: true, Employees: 10, Officer: "周", OfficerPhone: "13800000009"})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		a := mk(fix.DongwangVillage.ID, "东汪企业", 31)
		b := mk(fix.Fenghuang.ID, "凤凰镇直属企业", 32)
		if b.TownshipID != fix.Fenghuang.ID || a.TownshipID != fix.Dongwang.ID || a.Place("zh") != "东汪镇 · 东汪村" {
			t.Errorf("townships %+v %+v", a, b)
		}
		_, err := st.Create(ctx, p, enterprise.Input{DivisionID: fix.Dongwang.ID, Name: "同码", CreditCode: creditCode(31),
			Industry: "cable", Officer: "周", OfficerPhone: "13800000009"})
		if e := errs.As(err); e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "credit_code" {
			t.Errorf("duplicate code: %v", err)
		}
		if _, err := st.Create(ctx, p, enterprise.Input{DivisionID: fix.County.ID, Name: "县直", CreditCode: creditCode(33),
			Industry: "cable", Officer: "周", OfficerPhone: "13800000009"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("an enterprise on the county node: %v", err)
		}
		dw := townshipAdmin("dw", fix.Dongwang.Path, fix.Dongwang.ID)
		pg, _ := st.List(ctx, dw, enterprise.Filter{})
		if len(pg.Items) != 1 || pg.Items[0].ID != a.ID {
			t.Errorf("东汪镇 sees %+v", pg.Items)
		}
		if _, err := st.Get(ctx, dw, b.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("out of scope: %v", err)
		}
		if _, err := st.Get(ctx, officerOf(a.ID), a.ID); err != nil {
			t.Errorf("officer's own: %v", err)
		}
		if _, err := st.Get(ctx, officerOf(a.ID), b.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("officer, other: %v", err)
		}
		if _, err := st.Update(ctx, officerOf(a.ID), a.ID, enterprise.Input{}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("officer update with bad input: %v", err)
		}
		in := enterprise.Input{DivisionID: a.DivisionID, Name: "东汪企业（改）", CreditCode: a.CreditCode, Industry: "cable",
			Officer: "周", OfficerPhone: "13800000009", Version: a.Version}
		if _, err := st.Update(ctx, officerOf(a.ID), a.ID, in); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("officer edits the register: %v", err)
		}
		if _, err := st.Update(ctx, dw, a.ID, in); err != nil {
			t.Errorf("township edit: %v", err)
		}
		if _, err := st.Update(ctx, dw, a.ID, in); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("stale edit: %v", err)
		}
		pg, _ = st.List(ctx, p, enterprise.Filter{Q: "改"})
		if len(pg.Items) != 1 {
			t.Errorf("search %+v", pg.Items)
		}
		pg, _ = st.List(ctx, p, enterprise.Filter{Q: creditCode(32)[:12]})
		if len(pg.Items) != 2 {
			t.Errorf("code prefix search %d", len(pg.Items))
		}
		pg, _ = st.List(ctx, p, enterprise.Filter{Status: enterprise.NotFiled, DivisionID: fix.Fenghuang.ID})
		if len(pg.Items) != 1 || pg.Items[0].ID != b.ID {
			t.Errorf("filter %+v", pg.Items)
		}
		pg, _ = st.List(ctx, p, enterprise.Filter{Limit: 1})
		if len(pg.Items) != 1 || pg.Next == "" {
			t.Fatalf("page 1 %+v", pg)
		}
		pg, _ = st.List(ctx, p, enterprise.Filter{Limit: 1, Cursor: pg.Next})
		if len(pg.Items) != 1 || pg.Items[0].ID != b.ID || pg.Next != "" {
			t.Errorf("page 2 %+v", pg)
		}
	})
}

func TestPolicies(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st, p := newStore(db), commander(fix)
		e, err := st.Create(ctx, p, enterprise.Input{DivisionID: fix.DongwangVillage.ID, Name: "鸿达阀门有限公司",
			CreditCode: creditCode(41), Industry: "machinery", AboveSize: true, Employees: 100, Officer: "李", OfficerPhone: "13800000010"})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := st.SavePolicy(ctx, p, 0, enterprise.PolicyInput{Name: "阶段性减免社会保险费", Kind: "tax_fee", Issuer: "县人社局",
			ValidFrom: "2020-02-01", ValidTo: "2020-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SavePolicy(ctx, officerOf(e.ID), 0, enterprise.PolicyInput{Name: "x", Kind: "rent"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("officer creates a policy: %v", err)
		}
		if _, err := st.SavePolicy(ctx, p, 0, enterprise.PolicyInput{Name: "", Kind: "gift", ValidFrom: "2020-03-01", ValidTo: "2020-02-01"}); len(errs.As(err).Fields) != 3 {
			t.Errorf("bad policy: %v", err)
		}
		a, err := st.Apply(ctx, officerOf(e.ID), e.ID, enterprise.ApplicationInput{PolicyID: pl.ID, AmountApplied: "12,500.50"})
		if err != nil || a.Status != enterprise.AppApplied || a.AmountApplied != 1250050 || a.AppliedYuan != "12500.50" {
			t.Fatalf("apply %+v %v", a, err)
		}
		if _, err := st.Apply(ctx, officerOf(e.ID), e.ID, enterprise.ApplicationInput{PolicyID: pl.ID}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("second application: %v", err)
		}
		if _, err := st.Apply(ctx, officerOf(e.ID), e.ID, enterprise.ApplicationInput{PolicyID: pl.ID, Status: "granted"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("officer grants: %v", err)
		}
		dw := townshipAdmin("dw", fix.Dongwang.Path, fix.Dongwang.ID)
		if _, err := st.Grant(ctx, dw, e.ID, a.ID, enterprise.GrantInput{Status: "granted", AmountGranted: "100"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("township grants: %v", err)
		}
		g, err := st.Grant(ctx, p, e.ID, a.ID, enterprise.GrantInput{Status: "granted", AmountGranted: "12000"})
		if err != nil || g.Status != enterprise.AppGranted || g.AmountGranted != 1200000 {
			t.Fatalf("grant %+v %v", g, err)
		}
		if _, err := st.Grant(ctx, p, e.ID, a.ID, enterprise.GrantInput{Status: "rejected"}); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("second decision: %v", err)
		}
		list, _ := st.Policies(ctx, p)
		if len(list) != 1 || list[0].Applications != 1 || list[0].Granted != 1 || list[0].GrantedYuan != "12000.00" {
			t.Errorf("policies %+v", list)
		}
		list, _ = st.Policies(ctx, townshipAdmin("fh", fix.Fenghuang.Path, fix.Fenghuang.ID))
		if len(list) != 1 || list[0].Applications != 0 {
			t.Errorf("another township counts %+v", list)
		}
	})
}
