package audit_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

// node is an org node as the scope checks see it.
type node struct {
	ID   int64
	Path string
}

// tree is a county with two townships and a village in each.
type tree struct{ county, fenghuang, dongwang, fhVillage, dwVillage node }

// seedTree writes the org nodes straight into the table (the org store is
// another module's): audit's tests need ids and paths only.
func seedTree(t *testing.T, db *storage.DB) tree {
	t.Helper()
	ctx := context.Background()
	mk := func(parent node, code, name, level string) node {
		var n node
		var pid any
		if parent.ID != 0 {
			pid = parent.ID
		}
		now := time.Now().UTC()
		err := db.W.QueryRowContext(ctx, `INSERT INTO org_nodes (parent_id, code, name_zh, level, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, pid, code, name, level, now).Scan(&n.ID)
		if err != nil {
			t.Fatalf("seed %s: %v", name, err)
		}
		n.Path = parent.Path + strconv.FormatInt(n.ID, 10) + "/"
		if parent.Path == "" {
			n.Path = "/" + n.Path
		}
		if _, err := db.W.ExecContext(ctx, `UPDATE org_nodes SET path = $1 WHERE id = $2`, n.Path, n.ID); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var tr tree
	tr.county = mk(node{}, "130528", "宁晋县", "county")
	tr.fenghuang = mk(tr.county, "130528100", "凤凰镇", "township")
	tr.dongwang = mk(tr.county, "130528104", "东汪镇", "township")
	tr.fhVillage = mk(tr.fenghuang, "130528100201", "凤凰村", "village")
	tr.dwVillage = mk(tr.dongwang, "130528104201", "东汪村", "village")
	return tr
}

func principal(name string, role auth.Role, n node) *auth.Principal {
	return &auth.Principal{UserID: 1, Username: name, Grants: []auth.Grant{
		{Role: role, ScopeKind: auth.ScopeNode, ScopeID: n.ID, NodePath: n.Path}}}
}

func write(t *testing.T, db *storage.DB, ctx context.Context, action, entity, id string, div int64, before, after any) {
	t.Helper()
	if err := audit.Write(ctx, db.W, action, entity, id, div, before, after); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// entityIDs lists "entity:id" of entries, newest first.
func entityIDs(es []audit.Entry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.Entity+":"+e.EntityID)
	}
	return out
}

func TestScope(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		tr := seedTree(t, db)
		write(t, db, ctx, audit.ActionCreate, "case", "1", tr.fhVillage.ID, nil, map[string]string{"x": "1"})
		write(t, db, ctx, audit.ActionCreate, "case", "2", tr.dwVillage.ID, nil, map[string]string{"x": "2"})
		write(t, db, ctx, audit.ActionLogin, "session", "someone", 0, nil, nil)
		write(t, db, ctx, audit.ActionUpdate, "org_node", "3", tr.dongwang.ID, nil, nil)
		write(t, db, ctx, audit.ActionUpdate, "org_node", "2", tr.fenghuang.ID, nil, nil)
		write(t, db, ctx, audit.ActionUpdate, "org_node", "1", tr.county.ID, nil, nil)
		s := audit.Store{DB: db}

		county, err := s.List(ctx, principal("auditor", auth.Auditor, tr.county), audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"org_node:1", "org_node:2", "org_node:3", "session:someone", "case:2", "case:1"}
		if got := entityIDs(county); !slices.Equal(got, want) {
			t.Errorf("county auditor sees %v, want %v", got, want)
		}

		town, err := s.List(ctx, principal("auditor-dongwang", auth.Auditor, tr.dongwang), audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		want = []string{"org_node:3", "case:2"}
		if got := entityIDs(town); !slices.Equal(got, want) {
			t.Errorf("东汪镇 auditor sees %v, want %v", got, want)
		}
		if town[1].DivisionName != "东汪村" {
			t.Errorf("division name %q", town[1].DivisionName)
		}

		for _, p := range []*auth.Principal{nil, principal("cmd", auth.Commander, tr.county), {Username: "nogrants"}} {
			if _, err := s.List(ctx, p, audit.Filter{}); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("List by %v: %v, want forbidden", p, err)
			}
			if err := s.Each(ctx, p, audit.Filter{}, func(audit.Entry) error { return nil }); errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("Each by %v: %v, want forbidden", p, err)
			}
		}
	})
}

func TestGetIsScoped(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		tr := seedTree(t, db)
		for _, n := range []node{tr.county, tr.fenghuang, tr.dongwang, tr.fhVillage, tr.dwVillage, {}} {
			write(t, db, ctx, audit.ActionCreate, "org_node", strconv.FormatInt(n.ID, 10), n.ID, nil, map[string]int64{"id": n.ID})
		}
		s := audit.Store{DB: db}
		all, err := s.List(ctx, principal("auditor", auth.Auditor, tr.county), audit.Filter{Entity: "org_node"})
		if err != nil || len(all) != 6 {
			t.Fatalf("county auditor: %v %v", all, err)
		}
		town := principal("auditor-dongwang", auth.Auditor, tr.dongwang)
		for _, e := range all {
			got, err := s.Get(ctx, town, e.ID)
			inTown := e.DivisionID == tr.dongwang.ID || e.DivisionID == tr.dwVillage.ID
			switch {
			case inTown && (err != nil || got.ID != e.ID || got.After != e.After):
				t.Errorf("Get %d (in 东汪镇): %+v, %v", e.ID, got, err)
			case !inTown && errs.CodeOf(err) != errs.NotFound:
				t.Errorf("Get %d (outside 东汪镇): %v, want not found", e.ID, err)
			}
		}
		if _, err := s.Get(ctx, principal("leader", auth.Leader, tr.county), all[0].ID); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("leader Get: %v, want forbidden", err)
		}
	})
}

func TestWriteRecordsWhoWhatWhere(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		tr := seedTree(t, db)
		cmd := principal("commander", auth.Commander, tr.county)
		cmd.UserID = 42
		ctx := audit.WithRemoteAddr(auth.WithPrincipal(context.Background(), cmd), "203.0.113.9")
		start := time.Now().UTC().Add(-time.Second)
		write(t, db, ctx, audit.ActionUpdate, "case", "7", tr.fhVillage.ID,
			map[string]string{"status": "suspected"}, map[string]string{"status": "confirmed"})
		es, err := audit.Store{DB: db}.List(ctx, principal("auditor", auth.Auditor, tr.county), audit.Filter{Limit: 1})
		if err != nil || len(es) != 1 {
			t.Fatalf("list: %v %v", es, err)
		}
		e := es[0]
		if e.Actor != "commander" || e.ActorID != 42 || e.Action != "update" || e.Entity != "case" || e.EntityID != "7" ||
			e.DivisionID != tr.fhVillage.ID || e.RemoteAddr != "203.0.113.9" ||
			e.Before != `{"status":"suspected"}` || e.After != `{"status":"confirmed"}` {
			t.Errorf("entry %+v", e)
		}
		if e.At.Before(start) || e.At.After(time.Now().Add(time.Second)) || e.At.Location() != time.UTC {
			t.Errorf("at %v", e.At)
		}
		write(t, db, context.Background(), audit.ActionImport, "person", "", 0, nil, nil)
		es, _ = audit.Store{DB: db}.List(ctx, principal("auditor", auth.Auditor, tr.county), audit.Filter{Limit: 1})
		if es[0].Actor != "system" || es[0].ActorID != 0 || es[0].Before != "" {
			t.Errorf("system entry %+v", es[0])
		}
	})
}

// WriteAll writes entries of several authors in one go, each with its own
// actor and address, across more than one statement's worth.
func TestWriteAllKeepsEachAuthor(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		tr := seedTree(t, db)
		var recs []audit.Record
		for i := range 130 {
			p := principal(fmt.Sprintf("volunteer-%d", i), auth.CheckpointStaff, tr.county)
			p.UserID = int64(1000 + i)
			ctx := audit.WithRemoteAddr(auth.WithPrincipal(context.Background(), p), fmt.Sprintf("10.0.0.%d", i))
			recs = append(recs, audit.Record{Ctx: ctx, Action: audit.ActionCreate, Entity: "passage",
				EntityID: strconv.Itoa(i), DivisionID: tr.fhVillage.ID, After: map[string]int{"count": i}})
		}
		if err := audit.WriteAll(context.Background(), db.W, recs); err != nil {
			t.Fatal(err)
		}
		es, err := audit.Store{DB: db}.List(context.Background(), principal("auditor", auth.Auditor, tr.county), audit.Filter{Limit: 200})
		if err != nil || len(es) != 130 {
			t.Fatalf("list: %d entries, %v", len(es), err)
		}
		for _, e := range es {
			i, _ := strconv.Atoi(e.EntityID)
			if e.Actor != fmt.Sprintf("volunteer-%d", i) || e.ActorID != int64(1000+i) || e.RemoteAddr != fmt.Sprintf("10.0.0.%d", i) ||
				e.After != fmt.Sprintf(`{"count":%d}`, i) {
				t.Fatalf("entry %+v", e)
			}
		}
	})
}

func TestFilters(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		tr := seedTree(t, db)
		ctx := context.Background()
		as := func(name string) context.Context {
			return auth.WithPrincipal(ctx, &auth.Principal{Username: name})
		}
		write(t, db, as("a"), audit.ActionCreate, "case", "1", tr.fhVillage.ID, nil, nil)
		write(t, db, as("b"), audit.ActionUpdate, "case", "1", tr.fhVillage.ID, nil, nil)
		write(t, db, as("b"), audit.ActionReveal, "case", "2", tr.dwVillage.ID, nil, nil)
		s, p := audit.Store{DB: db}, principal("auditor", auth.Auditor, tr.county)
		now := time.Now()
		cases := []struct {
			name string
			f    audit.Filter
			want []string
		}{
			{"actor", audit.Filter{Actor: "b"}, []string{"case:2", "case:1"}},
			{"action", audit.Filter{Action: "create", Entity: "case"}, []string{"case:1"}},
			{"entity id", audit.Filter{Entity: "case", EntityID: "1"}, []string{"case:1", "case:1"}},
			{"actor and action", audit.Filter{Actor: "b", Action: "reveal"}, []string{"case:2"}},
			{"no match", audit.Filter{Actor: "nobody"}, []string{}},
			{"window", audit.Filter{Actor: "b", From: now.Add(-time.Hour), To: now.Add(time.Hour)}, []string{"case:2", "case:1"}},
			{"from later", audit.Filter{Actor: "b", From: now.Add(time.Hour)}, []string{}},
			{"to earlier", audit.Filter{Actor: "b", To: now.Add(-time.Hour)}, []string{}},
		}
		for _, c := range cases {
			got, err := s.List(ctx, p, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !slices.Equal(entityIDs(got), c.want) {
				t.Errorf("%s: got %v, want %v", c.name, entityIDs(got), c.want)
			}
		}
	})
}

func TestPagingWalksEveryEntryOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		tr := seedTree(t, db)
		ctx := context.Background()
		for i := range 7 {
			write(t, db, ctx, audit.ActionCreate, "thing", strconv.Itoa(i), tr.dwVillage.ID, nil, nil)
		}
		s, p := audit.Store{DB: db}, principal("auditor", auth.Auditor, tr.county)
		var got []string
		f := audit.Filter{Entity: "thing", Limit: 3}
		sizes := []int{}
		for range 5 {
			pg, err := s.Page(ctx, p, f)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(pg.Items))
			for _, e := range pg.Items {
				got = append(got, e.EntityID)
			}
			if pg.NextBeforeID == 0 {
				break
			}
			f.BeforeID = pg.NextBeforeID
		}
		if want := []string{"6", "5", "4", "3", "2", "1", "0"}; !slices.Equal(got, want) {
			t.Errorf("walked %v, want %v", got, want)
		}
		if !slices.Equal(sizes, []int{3, 3, 1}) {
			t.Errorf("page sizes %v", sizes)
		}
		var streamed []string
		err := s.Each(ctx, p, audit.Filter{Entity: "thing", BeforeID: 3, Limit: 1}, func(e audit.Entry) error {
			streamed = append(streamed, e.EntityID)
			return nil
		})
		if err != nil || len(streamed) != 7 {
			t.Errorf("Each ignores paging: %v %v", streamed, err)
		}
	})
}

// TestDeletingAnAccountKeepsItsHistory: audit_log has no foreign key that
// could cascade a delete into it; entries name the actor by text as well.
func TestDeletingAnAccountKeepsItsHistory(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		tr := seedTree(t, db)
		ctx := context.Background()
		as := &auth.Store{DB: db, Audit: audit.Write}
		uid, err := as.CreateUser(ctx, auth.NewUser{Username: "gone", Password: "long-enough-password"})
		if err != nil {
			t.Fatal(err)
		}
		write(t, db, auth.WithPrincipal(ctx, &auth.Principal{UserID: uid, Username: "gone"}), audit.ActionCreate, "case", "9", tr.fhVillage.ID, nil, nil)
		if _, err := db.W.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, uid); err != nil {
			t.Fatal(err)
		}
		es, err := audit.Store{DB: db}.List(ctx, principal("auditor", auth.Auditor, tr.county), audit.Filter{Actor: "gone"})
		if err != nil || len(es) != 1 || es[0].ActorID != uid {
			t.Errorf("entries of a deleted account: %+v %v", es, err)
		}
	})
}
