package org_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/org"
	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func nodeForm(n org.Node, changes map[string]string) url.Values {
	v := url.Values{"code": {n.Code}, "name_zh": {n.NameZH}, "name_en": {n.NameEN}, "kind": {n.Kind},
		"population": {"0"}, "households": {"0"}}
	for k, x := range changes {
		v.Set(k, x)
	}
	return v
}

func TestEditNeedsOrgWriteOverTheNode(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		f := srv.Fix
		v := f.DongwangVillage
		body := map[string]any{"code": v.Code, "name_zh": "改名"}
		for _, user := range []string{apptest.CadreDongwang, apptest.Leader, apptest.Auditor, apptest.AuditorDongwang} {
			cl := srv.As(t, user)
			if res := cl.Form("/org/"+id(v), nodeForm(v, map[string]string{"name_zh": "改名"})); res.Code != 403 {
				t.Errorf("%s posts the edit form: %d", user, res.Code)
			}
			if res := cl.JSON("PUT", "/api/v1/org/nodes/"+id(v), body); res.Code != 403 {
				t.Errorf("%s PUTs the node: %d", user, res.Code)
			}
			if res := cl.Get("/org/" + id(v)); res.Code != 200 || strings.Contains(res.Body, `action="/org/`+id(v)+`"`) {
				t.Errorf("%s sees an edit form (%d)", user, res.Code)
			}
		}
		fh := srv.As(t, apptest.AdminFenghuang)
		if res := fh.Form("/org/"+id(v), nodeForm(v, map[string]string{"name_zh": "改名"})); res.Code != 404 {
			t.Errorf("凤凰镇's admin edits 东汪村: %d", res.Code)
		}
		if res := fh.JSON("PUT", "/api/v1/org/nodes/"+id(v), body); res.Code != 404 {
			t.Errorf("凤凰镇's admin PUTs 东汪村: %d", res.Code)
		}
		if res := fh.Get("/org/new?parent=" + id(f.Dongwang)); res.Code != 404 {
			t.Errorf("凤凰镇's admin opens a new-village form under 东汪镇: %d", res.Code)
		}
		// Readable but not writable: 凤凰镇's admin also audits 东汪镇.
		as := &auth.Store{DB: db, Audit: audit.Write}
		if err := as.AddGrant(t.Context(), apptest.AdminFenghuang, auth.Grant{Role: auth.Auditor, ScopeKind: auth.ScopeNode, ScopeID: f.Dongwang.ID}); err != nil {
			t.Fatal(err)
		}
		fh = srv.As(t, apptest.AdminFenghuang)
		res := fh.JSON("POST", "/api/v1/org/nodes", map[string]any{"parent_id": f.Dongwang.ID, "code": "130528104209", "name_zh": "新村"})
		if res.Code != 403 {
			t.Errorf("create under a parent readable but not writable: %d %s", res.Code, res.Body)
		}
		if res := fh.JSON("PUT", "/api/v1/org/nodes/"+id(v), body); res.Code != 403 {
			t.Errorf("update a node readable but not writable: %d", res.Code)
		}
		before := auditCount(t, db, "update", "org_node")
		res = fh.Form("/org/"+id(f.FenghuangVillage), nodeForm(f.FenghuangVillage, map[string]string{"name_en": "Fenghuang Village", "population": "1,200", "households": "400"}))
		if res.Code != 303 || res.Header.Get("Location") != "/org/"+id(f.FenghuangVillage) {
			t.Fatalf("own village: %d %s", res.Code, res.Body)
		}
		var got org.Item
		fh.Get("/api/v1/org/nodes/"+id(f.FenghuangVillage)).Decode(t, &got)
		if got.NameEN != "Fenghuang Village" || got.Population != 1200 || got.Households != 400 || got.Kind != "村" {
			t.Errorf("saved %+v", got)
		}
		if auditCount(t, db, "update", "org_node") != before+1 {
			t.Error("the edit left no audit row")
		}
	})
}

func TestCommanderCreatesAVillage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		f := srv.Fix
		cl := srv.As(t, apptest.Commander)
		creates := auditCount(t, db, "create", "org_node")
		res := cl.JSON("POST", "/api/v1/org/nodes", map[string]any{"parent_id": f.Fenghuang.ID, "code": "130528100202",
			"name_zh": "南凤凰社区", "population": 830, "households": 260})
		if res.Code != 201 {
			t.Fatalf("create: %d %s", res.Code, res.Body)
		}
		var n org.Item
		res.Decode(t, &n)
		if n.Level != org.Village || n.Kind != "社区" || n.ParentID != f.Fenghuang.ID || res.Header.Get("Location") != "/api/v1/org/nodes/"+id(n.Node) {
			t.Errorf("created %+v, Location %q", n, res.Header.Get("Location"))
		}
		form := url.Values{"parent_id": {id(f.Fenghuang)}, "code": {"130528100203"}, "name_zh": {"北凤凰村"}, "kind": {"村"}, "population": {"500"}}
		res = cl.Form("/org", form)
		if res.Code != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/org/") {
			t.Fatalf("form create: %d %s", res.Code, res.Body)
		}
		if page := cl.Get(res.Header.Get("Location")); !strings.Contains(page.Body, "北凤凰村") || !strings.Contains(page.Body, "130528100203") {
			t.Error("the new village's page does not show it")
		}
		if got := listCodes(t, cl, "?parent="+id(f.Fenghuang)); !slices.Equal(got, []string{"130528100201", "130528100202", "130528100203"}) {
			t.Errorf("villages of 凤凰镇: %v", got)
		}
		if auditCount(t, db, "create", "org_node") != creates+2 {
			t.Error("a create left no audit row")
		}
		if page := cl.Get("/org/new?parent=" + id(f.Fenghuang)); page.Code != 200 || !strings.Contains(page.Body, `value="130528100"`) {
			t.Errorf("the new-village form starts from the township's code (%d)", page.Code)
		}
		if page := cl.Get("/org/new"); page.Code != 422 {
			t.Errorf("a second county: %d", page.Code)
		}
		if page := cl.Get("/org/new?parent=" + id(f.FenghuangVillage)); page.Code != 422 {
			t.Errorf("a new node under a village: %d", page.Code)
		}
	})
}

func TestWrongCodeNamesTheField(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		f := srv.Fix
		cl := srv.As(t, apptest.Commander)
		nodes := nodeCount(t, db)
		for _, c := range []struct {
			name   string
			body   string
			fields []string
		}{
			{"letters", `{"parent_id": %d, "code": "13052810020A", "name_zh": "甲村"}`, []string{"code"}},
			{"other township's prefix", `{"parent_id": %d, "code": "130528104203", "name_zh": "乙村"}`, []string{"code"}},
			{"too short", `{"parent_id": %d, "code": "13052810020", "name_zh": "乙村"}`, []string{"code"}},
			{"duplicate", `{"parent_id": %d, "code": "130528100201", "name_zh": "丙村"}`, []string{"code"}},
			{"several at once", `{"parent_id": %d, "code": "x", "name_zh": "", "population": -1}`, []string{"code", "name_zh", "population"}},
			{"unknown field", `{"parent_id": %d, "code": "130528100209", "name_zh": "丁村", "mayor": "x"}`, []string{"mayor"}},
			{"wrong type", `{"parent_id": %d, "code": 130528100209, "name_zh": "丁村"}`, []string{"code"}},
		} {
			res := cl.JSON("POST", "/api/v1/org/nodes", strings.Replace(c.body, "%d", id(f.Fenghuang), 1))
			if res.Code != 422 {
				t.Errorf("%s: %d %s", c.name, res.Code, res.Body)
				continue
			}
			if got := problemFields(t, res); !slices.Equal(got, c.fields) {
				t.Errorf("%s: fields %v, want %v", c.name, got, c.fields)
			}
		}
		// A parent outside the scope is a field error that reveals nothing.
		fh := srv.As(t, apptest.AdminFenghuang)
		res := fh.JSON("POST", "/api/v1/org/nodes", map[string]any{"parent_id": f.Dongwang.ID, "code": "130528104209", "name_zh": "新村"})
		if res.Code != 422 || !slices.Equal(problemFields(t, res), []string{"parent_id"}) || strings.Contains(res.Body, "130528104") {
			t.Errorf("parent out of scope: %d %s", res.Code, res.Body)
		}
		// The form keeps what was typed and marks every wrong field.
		form := url.Values{"parent_id": {id(f.Fenghuang)}, "code": {"13052810020A"}, "name_zh": {"甲村"}, "population": {"很多"}}
		res = cl.Form("/org", form)
		if res.Code != 422 || !strings.Contains(res.Body, `value="13052810020A"`) || !strings.Contains(res.Body, `value="很多"`) ||
			strings.Count(res.Body, `aria-invalid="true"`) != 2 {
			t.Errorf("form: %d, typed values or marks missing", res.Code)
		}
		edit := nodeForm(f.FenghuangVillage, map[string]string{"code": "130528104201", "households": "-3"})
		res = cl.Form("/org/"+id(f.FenghuangVillage), edit)
		if res.Code != 422 || !strings.Contains(res.Body, `value="-3"`) || strings.Count(res.Body, `aria-invalid="true"`) != 2 {
			t.Errorf("edit form: %d", res.Code)
		}
		if nodeCount(t, db) != nodes {
			t.Error("a rejected create wrote a node")
		}
	})
}

func TestScriptInANameIsText(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cl := srv.As(t, apptest.Commander)
		name := `<script>alert("x")</script>村`
		res := cl.JSON("POST", "/api/v1/org/nodes", map[string]any{"parent_id": srv.Fix.Dongwang.ID, "code": "130528104203", "name_zh": name})
		if res.Code != 201 {
			t.Fatalf("%d %s", res.Code, res.Body)
		}
		var n org.Item
		res.Decode(t, &n)
		if n.NameZH != name {
			t.Errorf("stored %q", n.NameZH)
		}
		for _, path := range []string{"/org", "/org/" + id(n.Node), "/org/" + id(srv.Fix.Dongwang)} {
			page := cl.Get(path)
			if strings.Contains(page.Body, "<script>alert") || !strings.Contains(page.Body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
				t.Errorf("%s does not escape the name", path)
			}
		}
	})
}

func TestStaleEditIsAConflict(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cl := srv.As(t, apptest.Commander)
		v := srv.Fix.XiaokouVillage
		var first org.Item
		cl.Get("/api/v1/org/nodes/"+id(v)).Decode(t, &first)
		put := func(name string) int {
			return cl.JSON("PUT", "/api/v1/org/nodes/"+id(v), map[string]any{"code": v.Code, "name_zh": name, "updated_at": first.UpdatedAt}).Code
		}
		if code := put("洨口村一"); code != 200 {
			t.Fatalf("first PUT %d", code)
		}
		if code := put("洨口村二"); code != 409 {
			t.Errorf("second PUT with the old updated_at: %d", code)
		}
		form := nodeForm(v, map[string]string{"name_zh": "洨口村三", "version": first.UpdatedAt.Format("2006-01-02T15:04:05.999999999Z07:00")})
		if res := cl.Form("/org/"+id(v), form); res.Code != 409 || !strings.Contains(res.Body, "洨口村三") || !strings.Contains(res.Body, "洨口村一") {
			t.Errorf("stale form: %d", res.Code)
		}
	})
}

func TestDepartments(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		res := cmd.Form("/departments", url.Values{"code": {"health"}, "name_zh": {"县卫健局"}, "name_en": {"Health Commission"}})
		if res.Code != 303 {
			t.Fatalf("add: %d %s", res.Code, res.Body)
		}
		res = cmd.JSON("POST", "/api/v1/departments", map[string]string{"code": "market", "name_zh": "市场监管局"})
		if res.Code != 201 {
			t.Fatalf("API add: %d %s", res.Code, res.Body)
		}
		var market org.Department
		res.Decode(t, &market)
		if res := cmd.JSON("POST", "/api/v1/departments", map[string]string{"code": "market", "name_zh": "又一个"}); res.Code != 422 ||
			!slices.Equal(problemFields(t, res), []string{"code"}) {
			t.Errorf("duplicate code: %d %s", res.Code, res.Body)
		}
		if res := cmd.Form("/departments/"+id(org.Node{ID: market.ID}), url.Values{"code": {"market"}, "name_zh": {""}}); res.Code != 422 || !strings.Contains(res.Body, `aria-invalid="true"`) {
			t.Errorf("blank name: %d", res.Code)
		}
		res = cmd.JSON("PUT", "/api/v1/departments/"+id(org.Node{ID: market.ID}), map[string]string{"code": "market", "name_zh": "县市场监管局", "name_en": "Market Regulation"})
		if res.Code != 200 {
			t.Errorf("API update: %d %s", res.Code, res.Body)
		}
		for _, user := range []string{apptest.AdminFenghuang, apptest.CadreDongwang, apptest.Leader} {
			cl := srv.As(t, user)
			if res := cl.Form("/departments", url.Values{"code": {"x"}, "name_zh": {"x"}}); res.Code != 403 {
				t.Errorf("%s adds a department: %d", user, res.Code)
			}
			if res := cl.JSON("POST", "/api/v1/departments", map[string]string{"code": "x", "name_zh": "x"}); res.Code != 403 {
				t.Errorf("%s adds a department by API: %d", user, res.Code)
			}
			page := cl.Get("/departments")
			if page.Code != 200 || !strings.Contains(page.Body, "县市场监管局") || strings.Contains(page.Body, `action="/departments"`) {
				t.Errorf("%s's department list: %d", user, page.Code)
			}
		}
		var list struct{ Items []org.Department }
		srv.As(t, apptest.EnterpriseOfficr).Get("/api/v1/departments").Decode(t, &list)
		if len(list.Items) != 2 || list.Items[0].Code != "health" {
			t.Errorf("departments %+v", list.Items)
		}
		if auditCount(t, db, "create", "department") != 2 || auditCount(t, db, "update", "department") != 1 {
			t.Error("department writes are not all audited")
		}
	})
}
