package org_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// tree is a small county built by the system (nil principal).
type tree struct {
	county, fenghuang, dongwang, fhVillage, dwVillage org.Node
}

func buildTree(t *testing.T, s *org.Store) tree {
	t.Helper()
	mk := func(parent org.Node, code, name string) org.Node {
		n, err := s.Save(context.Background(), auth.System("test"), org.Node{ParentID: parent.ID, Code: code, NameZH: name, Population: 100, Households: 30})
		if err != nil {
			t.Fatalf("save %s: %v", name, err)
		}
		return n
	}
	var tr tree
	tr.county = mk(org.Node{}, "130528", "宁晋县")
	tr.fenghuang = mk(tr.county, "130528100", "凤凰镇")
	tr.dongwang = mk(tr.county, "130528104", "东汪镇")
	tr.fhVillage = mk(tr.fenghuang, "130528100201", "凤凰村")
	tr.dwVillage = mk(tr.dongwang, "130528104201", "东汪村")
	return tr
}

func principal(role auth.Role, n org.Node) *auth.Principal {
	return &auth.Principal{UserID: 99, Username: string(role),
		Grants: []auth.Grant{{Role: role, ScopeKind: auth.ScopeNode, ScopeID: n.ID, NodePath: n.Path}}}
}

func codes(nodes []org.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.Code)
	}
	return out
}

func TestStoreScoping(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := &org.Store{DB: db}
		tr := buildTree(t, s)
		if tr.fhVillage.Level != org.Village || tr.fenghuang.Kind != "镇" || tr.fhVillage.Kind != "村" {
			t.Errorf("levels and kinds: %+v %+v", tr.fenghuang, tr.fhVillage)
		}
		commander := principal(auth.Commander, tr.county)
		fenghuang := principal(auth.TownshipAdmin, tr.fenghuang)
		cadre := principal(auth.VillageCadre, tr.dwVillage)
		outsider := &auth.Principal{UserID: 7, Grants: []auth.Grant{{Role: auth.DepartmentOfficer, ScopeKind: auth.ScopeDepartment, ScopeID: 1}}}

		for _, c := range []struct {
			name string
			p    *auth.Principal
			want []string
		}{
			{"commander", commander, []string{"130528", "130528100", "130528100201", "130528104", "130528104201"}},
			{"township admin", fenghuang, []string{"130528100", "130528100201"}},
			{"village cadre", cadre, []string{"130528104201"}},
			{"department officer", outsider, nil},
			{"nobody", nil, nil},
		} {
			got, err := s.List(ctx, c.p)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := codes(got), c.want; !slices.Equal(g, w) {
				t.Errorf("%s sees %v, want %v", c.name, g, w)
			}
		}
		if _, err := s.Get(ctx, fenghuang, tr.dongwang.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("township admin gets another township: %v", err)
		}
		if _, err := s.Get(ctx, fenghuang, tr.county.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("township admin gets the county: %v", err)
		}
		if n, err := s.Get(ctx, fenghuang, tr.fhVillage.ID); err != nil || n.Code != "130528100201" {
			t.Errorf("township admin's own village: %v %v", n, err)
		}
		kids, err := s.Children(ctx, fenghuang, tr.county.ID)
		if err != nil || len(kids) != 1 || kids[0].ID != tr.fenghuang.ID {
			t.Errorf("children of the county seen from 凤凰镇: %v %v", codes(kids), err)
		}
		up, err := s.Ancestors(ctx, fenghuang, tr.fhVillage)
		if err != nil || len(up) != 1 || up[0].ID != tr.fenghuang.ID {
			t.Errorf("breadcrumb of 凤凰村 for 凤凰镇's admin: %v %v", codes(up), err)
		}
		page, more, err := s.Page(ctx, commander, org.Filter{Limit: 2})
		if err != nil || len(page) != 2 || !more {
			t.Errorf("first page: %v %v %v", codes(page), more, err)
		}
		page, more, err = s.Page(ctx, commander, org.Filter{After: page[1].Code, Level: org.Village})
		if err != nil || len(page) != 2 || more {
			t.Errorf("villages after the cursor: %v %v %v", codes(page), more, err)
		}
	})
}

func TestStoreSaveRules(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := &org.Store{DB: db}
		tr := buildTree(t, s)
		fenghuang := principal(auth.TownshipAdmin, tr.fenghuang)
		cadre := principal(auth.VillageCadre, tr.dwVillage)
		twoHats := &auth.Principal{UserID: 5, Grants: []auth.Grant{
			{Role: auth.TownshipAdmin, ScopeKind: auth.ScopeNode, ScopeID: tr.fenghuang.ID, NodePath: tr.fenghuang.Path},
			{Role: auth.VillageCadre, ScopeKind: auth.ScopeNode, ScopeID: tr.dwVillage.ID, NodePath: tr.dwVillage.Path}}}

		check := func(name string, p *auth.Principal, n org.Node, code errs.Code, field string) {
			t.Helper()
			_, err := s.Save(ctx, p, n)
			if errs.CodeOf(err) != code {
				t.Errorf("%s: %v, want %s", name, err, code)
				return
			}
			if field != "" && (len(errs.As(err).Fields) == 0 || errs.As(err).Fields[0].Field != field) {
				t.Errorf("%s: fields %+v, want %s", name, errs.As(err).Fields, field)
			}
		}
		village := func(parent org.Node, code string) org.Node {
			return org.Node{ParentID: parent.ID, Code: code, NameZH: "新村"}
		}
		check("parent out of scope", fenghuang, village(tr.dongwang, "130528104209"), errs.Invalid, "parent_id")
		check("parent readable, not writable", twoHats, village(tr.dwVillage, "130528104201001"), errs.Forbidden, "")
		check("village under a village", nil, village(tr.fhVillage, "130528100201001"), errs.Invalid, "parent_id")
		check("code of another township", fenghuang, village(tr.fenghuang, "130528104209"), errs.Invalid, "code")
		check("duplicate code", fenghuang, village(tr.fenghuang, "130528100201"), errs.Invalid, "code")
		check("second root", auth.System("test"), org.Node{Code: "130529", NameZH: "别县"}, errs.Invalid, "parent_id")
		check("update outside scope", fenghuang, org.Node{ID: tr.dwVillage.ID, Code: "130528104201", NameZH: "x"}, errs.NotFound, "")
		check("update readable, not writable", cadre, org.Node{ID: tr.dwVillage.ID, Code: "130528104201", NameZH: "x"}, errs.Forbidden, "")

		n, err := s.Save(ctx, fenghuang, village(tr.fenghuang, "130528100202"))
		if err != nil || n.Level != org.Village || n.Path != tr.fenghuang.Path+itoa(n.ID)+"/" {
			t.Fatalf("township admin adds a village: %+v %v", n, err)
		}
		stale := n
		n.NameEN, n.Population = "New Village", 12
		if n, err = s.Save(ctx, fenghuang, n); err != nil || n.NameEN != "New Village" {
			t.Fatalf("update: %+v %v", n, err)
		}
		stale.NameEN = "overwrite"
		check("stale version", fenghuang, stale, errs.Conflict, "")
		got, _ := s.ByID(ctx, n.ID)
		if !got.UpdatedAt.Equal(n.UpdatedAt) {
			t.Errorf("stored time %v, returned %v", got.UpdatedAt, n.UpdatedAt)
		}
	})
}

func TestStoreRecodeSubtree(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := &org.Store{DB: db}
		tr := buildTree(t, s)
		n := tr.fenghuang
		n.Code, n.UpdatedAt = "130528108", time.Time{}
		if _, err := s.Save(ctx, principal(auth.Commander, tr.county), n); err != nil {
			t.Fatal(err)
		}
		v, err := s.ByID(ctx, tr.fhVillage.ID)
		if err != nil || v.Code != "130528108201" {
			t.Errorf("village code after its township's: %q %v", v.Code, err)
		}
		var audits int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'org_node' AND action = 'update'`).Scan(&audits)
		if audits != 2 {
			t.Errorf("%d update audit rows, want 2 (township and village)", audits)
		}
	})
}

func TestStoreDepartments(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := &org.Store{DB: db}
		tr := buildTree(t, s)
		if _, err := s.SaveDepartment(ctx, principal(auth.TownshipAdmin, tr.fenghuang), org.Department{Code: "health", NameZH: "卫健局"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("township admin adds a department: %v", err)
		}
		d, err := s.SaveDepartment(ctx, principal(auth.Commander, tr.county), org.Department{Code: "health", NameZH: "卫健局"})
		if err != nil {
			t.Fatal(err)
		}
		d.NameEN = "Health Commission"
		if _, err := s.SaveDepartment(ctx, auth.System("test"), d); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveDepartment(ctx, auth.System("test"), org.Department{Code: "health", NameZH: "又一个"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("duplicate department code: %v", err)
		}
		list, _ := s.Departments(ctx)
		if len(list) != 1 || list[0].NameEN != "Health Commission" {
			t.Errorf("departments %+v", list)
		}
		var before string
		db.R.QueryRow(`SELECT before_json FROM audit_log WHERE entity = 'department' AND action = 'update'`).Scan(&before)
		if before == "" {
			t.Error("a department update is audited with its before state")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
