package apptest

import (
	"context"
	"testing"

	"fangkong/internal/org"
	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// Password is every fixture account's password.
const Password = "test-password-1"

// Fixture is a small county: 宁晋县 with two townships and their villages.
type Fixture struct {
	County, Fenghuang, Dongwang, DongwangVillage, XiaokouVillage, FenghuangVillage org.Node
}

// Fixture accounts, one per role, named after their role and place.
const (
	Commander        = "commander"
	Leader           = "leader"
	Auditor          = "auditor"
	AdminFenghuang   = "admin-fenghuang"
	AdminDongwang    = "admin-dongwang"
	CadreDongwang    = "cadre-dongwang"
	AuditorDongwang  = "auditor-dongwang"
	CheckpointStaff  = "checkpoint-1"
	SiteStaff        = "site-1"
	DeptOfficer      = "dept-1"
	Inspector        = "inspector-1"
	EnterpriseOfficr = "enterprise-1"
)

// Seed creates the fixture tree and accounts.
func Seed(t testing.TB, db *storage.DB) Fixture {
	t.Helper()
	ctx := context.Background()
	orgs := &org.Store{DB: db}
	var f Fixture
	mk := func(parent org.Node, code, name string) org.Node {
		n, err := orgs.Save(ctx, auth.System("fixture"), org.Node{ParentID: parent.ID, Code: code, NameZH: name})
		if err != nil {
			t.Fatalf("seed %s: %v", name, err)
		}
		return n
	}
	f.County = mk(org.Node{}, "130528", "宁晋县")
	f.Fenghuang = mk(f.County, "130528100", "凤凰镇")
	f.Dongwang = mk(f.County, "130528104", "东汪镇")
	f.FenghuangVillage = mk(f.Fenghuang, "130528100201", "凤凰村")
	f.DongwangVillage = mk(f.Dongwang, "130528104201", "东汪村")
	f.XiaokouVillage = mk(f.Dongwang, "130528104202", "洨口村")
	as := &auth.Store{DB: db, Audit: audit.Write}
	users := []struct {
		name string
		role auth.Role
		kind auth.ScopeKind
		node org.Node
		id   int64
	}{
		{Commander, auth.Commander, auth.ScopeNode, f.County, 0},
		{Leader, auth.Leader, auth.ScopeNode, f.County, 0},
		{Auditor, auth.Auditor, auth.ScopeNode, f.County, 0},
		{AdminFenghuang, auth.TownshipAdmin, auth.ScopeNode, f.Fenghuang, 0},
		{AdminDongwang, auth.TownshipAdmin, auth.ScopeNode, f.Dongwang, 0},
		{CadreDongwang, auth.VillageCadre, auth.ScopeNode, f.DongwangVillage, 0},
		{AuditorDongwang, auth.Auditor, auth.ScopeNode, f.Dongwang, 0},
		{CheckpointStaff, auth.CheckpointStaff, auth.ScopeCheckpoint, org.Node{}, 1},
		{SiteStaff, auth.SiteStaff, auth.ScopeSite, org.Node{}, 1},
		{DeptOfficer, auth.DepartmentOfficer, auth.ScopeDepartment, org.Node{}, 1},
		{Inspector, auth.Inspector, auth.ScopeNode, f.County, 0},
		{EnterpriseOfficr, auth.EnterpriseOfficer, auth.ScopeEnterprise, org.Node{}, 1},
	}
	for _, u := range users {
		if _, err := as.CreateUser(ctx, auth.NewUser{Username: u.name, Password: Password, Lang: i18n.ZH}); err != nil {
			t.Fatal(err)
		}
		id := u.id
		if u.kind == auth.ScopeNode {
			id = u.node.ID
		}
		if err := as.AddGrant(ctx, u.name, auth.Grant{Role: u.role, ScopeKind: u.kind, ScopeID: id}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// EnglishNames are the fixture divisions' English names by code. Seed leaves
// name_en empty, so most tests see one name in both languages;
// Server.NameInEnglish sets these for tests of English pages.
var EnglishNames = map[string]string{
	"130528":       "Ningjin County",
	"130528100":    "Fenghuang Town",
	"130528104":    "Dongwang Town",
	"130528100201": "Fenghuang Village",
	"130528104201": "Dongwang Village",
	"130528104202": "Xiaokou Village",
}

// NameInEnglish gives the fixture's divisions their English names
// (EnglishNames), in the database and in s.Fix.
func (s *Server) NameInEnglish(t testing.TB) {
	t.Helper()
	for _, n := range []*org.Node{&s.Fix.County, &s.Fix.Fenghuang, &s.Fix.Dongwang, &s.Fix.FenghuangVillage,
		&s.Fix.DongwangVillage, &s.Fix.XiaokouVillage} {
		n.NameEN = EnglishNames[n.Code]
		if _, err := s.DB.W.Exec(`UPDATE org_nodes SET name_en = $1 WHERE id = $2`, n.NameEN, n.ID); err != nil {
			t.Fatalf("name %s in English: %v", n.Code, err)
		}
	}
}
