package auth

import (
	"strings"
	"testing"

	"fangkong/internal/platform/storage"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash format %s", h)
	}
	if !CheckPassword(h, "correct horse battery") || CheckPassword(h, "correct horse batterY") {
		t.Error("check")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$x$y$z$w", h[:len(h)-4]} {
		if CheckPassword(bad, "correct horse battery") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("salt not random")
	}
}

func TestScope(t *testing.T) {
	p := &Principal{Grants: []Grant{
		{Role: TownshipAdmin, ScopeKind: ScopeNode, NodePath: "/1/4/"},
		{Role: Auditor, ScopeKind: ScopeNode, NodePath: "/1/"},
		{Role: CheckpointStaff, ScopeKind: ScopeCheckpoint, ScopeID: 7},
	}}
	if s := p.Scope(PermCaseWrite); len(s.Paths) != 1 || s.Paths[0] != "/1/4/" {
		t.Errorf("case.write scope %v", s)
	}
	if s := p.Scope(PermAuditRead); !s.Contains("/1/9/33/") {
		t.Errorf("audit scope %v", s)
	}
	if p.Scope(PermCaseWrite).Contains("/1/5/") || !p.Scope(PermCaseWrite).Contains("/1/4/12/") {
		t.Error("Contains")
	}
	if p.Scope(PermCaseWrite).Contains("/1/40/") {
		t.Error("prefix /1/4/ must not cover /1/40/")
	}
	var nobody *Principal
	if nobody.Can(PermCaseRead) || !nobody.Scope(PermCaseRead).Empty() {
		t.Error("nil principal must be able to do nothing")
	}
	var args storage.Args
	if got := (Scope{}).SQL("x", &args); got != "1=0" {
		t.Errorf("empty scope SQL %q", got)
	}
	got := p.Scope(PermCaseRead).SQL("c.division_id", &args)
	if !strings.Contains(got, "path LIKE $1") || len(args) != 2 {
		t.Errorf("SQL %q args %v", got, args)
	}
	if n := (Scope{Paths: []string{"/1/"}}).Narrow("/1/4/"); len(n.Paths) != 1 || n.Paths[0] != "/1/4/" {
		t.Errorf("narrow down %v", n)
	}
	if n := (Scope{Paths: []string{"/1/4/7/"}}).Narrow("/1/4/"); len(n.Paths) != 1 || n.Paths[0] != "/1/4/7/" {
		t.Errorf("narrow to the part below %v", n)
	}
	if n := (Scope{Paths: []string{"/1/4/"}}).Narrow("/1/5/"); !n.Empty() {
		t.Errorf("narrow outside %v", n)
	}
	if ids := p.ScopeIDs(ScopeCheckpoint, PermOrgRead); len(ids) != 1 || ids[0] != 7 {
		t.Errorf("checkpoint ids %v", ids)
	}
}

// TestRolePermissionTable pins who may do what: a change here is a change of
// policy and must be deliberate.
func TestRolePermissionTable(t *testing.T) {
	cases := []struct {
		role Role
		perm Perm
		want bool
	}{
		{Commander, PermCaseWrite, true}, {Commander, PermAuditRead, false}, {Commander, PermUserAdmin, true},
		{Leader, PermDashboard, true}, {Leader, PermCaseWrite, false}, {Leader, PermPIIReveal, false},
		{TownshipAdmin, PermCaseWrite, true}, {TownshipAdmin, PermUserAdmin, false},
		{VillageCadre, PermCaseRead, true}, {VillageCadre, PermCaseWrite, false}, {VillageCadre, PermPIIReveal, true},
		{Auditor, PermAuditRead, true}, {Auditor, PermCaseWrite, false}, {Auditor, PermPIIReveal, false},
		{EnterpriseOfficer, PermCaseRead, false}, {CheckpointStaff, PermCaseRead, false},
	}
	for _, c := range cases {
		if got := c.role.Has(c.perm); got != c.want {
			t.Errorf("%s has %s = %v", c.role, c.perm, got)
		}
	}
	if Role("janitor").Valid() {
		t.Error("unknown role valid")
	}
}

func TestSystemPrincipal(t *testing.T) {
	s := System("demo")
	if !s.Can(PermCaseWrite) || !s.Scope(PermCaseWrite).Contains("/9/9/") {
		t.Error("system principal must cover everything")
	}
}
