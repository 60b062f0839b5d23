package auditlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fangkong/internal/apptest"
	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/surveillance"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

// entry is an API item.
type entry struct {
	ID           int64           `json:"id"`
	Actor        string          `json:"actor"`
	Action       string          `json:"action"`
	Entity       string          `json:"entity"`
	EntityID     string          `json:"entity_id"`
	DivisionID   int64           `json:"division_id"`
	DivisionName string          `json:"division_name"`
	Before       json.RawMessage `json:"before"`
	After        json.RawMessage `json:"after"`
	RemoteAddr   string          `json:"remote_addr"`
}

type page struct {
	Items []entry `json:"items"`
	Next  string  `json:"next_cursor"`
}

type problem struct {
	Status int `json:"status"`
	Errors []struct {
		Field string `json:"field"`
	} `json:"errors"`
}

// world is a test server with writes in both townships: a new village and a
// case in each, a rename in 东汪镇, and a reveal of the 东汪镇 case.
type world struct {
	srv                *apptest.Server
	fhNode, dwNode     org.Node
	fhCase, dwCase     int64
	dongwangDivisions  map[int64]bool
	fenghuangDivisions map[int64]bool
}

func newWorld(t *testing.T, db *storage.DB) world {
	t.Helper()
	srv := apptest.New(t, db)
	_, cmd, err := srv.App.Env.Auth.Login(context.Background(), apptest.Commander, apptest.Password, "198.51.100.7")
	if err != nil {
		t.Fatal(err)
	}
	// Stores take the principal explicitly; audit.Write reads it from ctx, as
	// it does for a request.
	ctx := auth.WithPrincipal(context.Background(), cmd)
	orgs := &org.Store{DB: db}
	w := world{srv: srv}
	mk := func(parent org.Node, code, name string) org.Node {
		n, err := orgs.Save(ctx, cmd, org.Node{ParentID: parent.ID, Code: code, NameZH: name})
		if err != nil {
			t.Fatalf("org node %s: %v", name, err)
		}
		return n
	}
	w.fhNode = mk(srv.Fix.Fenghuang, "130528100299", "凤凰新村")
	w.dwNode = mk(srv.Fix.Dongwang, "130528104299", "东汪新村")
	renamed := w.dwNode
	renamed.NameZH = "东汪新社区"
	if _, err := orgs.Save(ctx, cmd, renamed); err != nil {
		t.Fatalf("rename: %v", err)
	}
	cases := &surveillance.Store{DB: db, Today: srv.App.Env.Today}
	mkCase := func(div int64) int64 {
		c, err := cases.Create(ctx, cmd, surveillance.Input{DivisionID: div, Name: "张三", Phone: "13812345678",
			Address: "一街5号", Status: "confirmed", StatusDate: "2020-02-10"})
		if err != nil {
			t.Fatalf("case: %v", err)
		}
		return c.ID
	}
	w.fhCase, w.dwCase = mkCase(srv.Fix.FenghuangVillage.ID), mkCase(w.dwNode.ID)
	if _, err := cases.Reveal(ctx, cmd, w.dwCase); err != nil {
		t.Fatalf("reveal: %v", err)
	}
	f := srv.Fix
	w.dongwangDivisions = map[int64]bool{f.Dongwang.ID: true, f.DongwangVillage.ID: true, f.XiaokouVillage.ID: true, w.dwNode.ID: true}
	w.fenghuangDivisions = map[int64]bool{f.Fenghuang.ID: true, f.FenghuangVillage.ID: true, w.fhNode.ID: true}
	return w
}

// all walks every page of the API's answer to query.
func all(t *testing.T, c *apptest.Client, query string) []entry {
	t.Helper()
	var out []entry
	path := "/api/v1/audit?" + query
	for range 100 {
		res := c.Get(path)
		if res.Code != 200 {
			t.Fatalf("%s: %d %s", path, res.Code, res.Body)
		}
		var pg page
		res.Decode(t, &pg)
		out = append(out, pg.Items...)
		if pg.Next == "" {
			return out
		}
		path = "/api/v1/audit?" + query + "&cursor=" + url.QueryEscape(pg.Next)
	}
	t.Fatal("paging does not end")
	return nil
}

func has(es []entry, action, entity, id string) bool {
	return slices.ContainsFunc(es, func(e entry) bool { return e.Action == action && e.Entity == entity && e.EntityID == id })
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func TestScopeAndAccess(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		srv := w.srv

		t.Run("county auditor sees everything", func(t *testing.T) {
			es := all(t, srv.As(t, apptest.Auditor), "limit=7")
			for _, want := range [][3]string{
				{"create", "org_node", itoa(w.fhNode.ID)}, {"create", "org_node", itoa(w.dwNode.ID)},
				{"update", "org_node", itoa(w.dwNode.ID)}, {"create", "case", itoa(w.fhCase)},
				{"create", "case", itoa(w.dwCase)}, {"reveal", "case", itoa(w.dwCase)},
				{"login", "session", apptest.Commander}, {"create", "user", apptest.CadreDongwang},
			} {
				if !has(es, want[0], want[1], want[2]) {
					t.Errorf("county auditor misses %v", want)
				}
			}
			for i := 1; i < len(es); i++ {
				if es[i].ID >= es[i-1].ID {
					t.Fatalf("not newest first at %d: %d after %d", i, es[i].ID, es[i-1].ID)
				}
			}
		})

		t.Run("东汪镇 auditor sees 东汪镇 only", func(t *testing.T) {
			es := all(t, srv.As(t, apptest.AuditorDongwang), "")
			for _, e := range es {
				if !w.dongwangDivisions[e.DivisionID] {
					t.Errorf("东汪镇 auditor sees %+v", e)
				}
			}
			for _, want := range [][3]string{{"create", "org_node", itoa(w.dwNode.ID)}, {"update", "org_node", itoa(w.dwNode.ID)},
				{"create", "case", itoa(w.dwCase)}, {"reveal", "case", itoa(w.dwCase)}} {
				if !has(es, want[0], want[1], want[2]) {
					t.Errorf("东汪镇 auditor misses %v", want)
				}
			}
			county := all(t, srv.As(t, apptest.Auditor), "")
			var fh entry
			for _, e := range county {
				if w.fenghuangDivisions[e.DivisionID] {
					fh = e
				}
			}
			dw := srv.As(t, apptest.AuditorDongwang)
			for _, path := range []string{"/api/v1/audit/" + itoa(fh.ID), "/audit/" + itoa(fh.ID)} {
				if res := dw.Get(path); res.Code != 404 {
					t.Errorf("%s (凤凰镇 entry) for 东汪镇 auditor: %d", path, res.Code)
				}
			}
			if res := dw.Get("/audit/" + itoa(es[0].ID)); res.Code != 200 {
				t.Errorf("own entry page: %d", res.Code)
			}
			res := dw.Get("/audit")
			if res.Code != 200 || !strings.Contains(res.Body, "东汪新社区") || strings.Contains(res.Body, "凤凰") {
				t.Errorf("东汪镇 auditor's page: %d, 东汪新社区 %v, 凤凰 %v", res.Code,
					strings.Contains(res.Body, "东汪新社区"), strings.Contains(res.Body, "凤凰"))
			}
		})

		t.Run("roles without audit.read get 403", func(t *testing.T) {
			for _, u := range []string{apptest.CadreDongwang, apptest.Leader, apptest.Commander} {
				c := srv.As(t, u)
				for _, path := range []string{"/audit", "/audit/export.xlsx", "/audit/1", "/api/v1/audit", "/api/v1/audit/1"} {
					res := c.Get(path)
					if res.Code != 403 {
						t.Errorf("%s %s: %d", u, path, res.Code)
					}
					if strings.HasPrefix(path, "/api/") && res.Header.Get("Content-Type") != "application/problem+json" {
						t.Errorf("%s %s: %s", u, path, res.Header.Get("Content-Type"))
					}
				}
				if strings.Contains(c.Get("/account").Body, `href="/audit"`) {
					t.Errorf("%s has the audit nav item", u)
				}
			}
			anon := srv.Anon(t)
			if res := anon.Get("/audit"); res.Code != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("anonymous page: %d %s", res.Code, res.Header.Get("Location"))
			}
			if res := anon.Get("/api/v1/audit"); res.Code != 401 {
				t.Errorf("anonymous API: %d", res.Code)
			}
		})
	})
}

func TestWritesAreRecorded(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		aud := w.srv.As(t, apptest.Auditor)

		logins := all(t, aud, "action=login&actor="+apptest.Auditor)
		if len(logins) != 1 || logins[0].Entity != "session" || logins[0].EntityID != apptest.Auditor || logins[0].RemoteAddr != "127.0.0.1" {
			t.Errorf("auditor's login: %+v", logins)
		}
		node := all(t, aud, "entity=org_node&entity_id="+itoa(w.dwNode.ID))
		if len(node) != 2 || node[0].Action != "update" || node[1].Action != "create" {
			t.Fatalf("org node history: %+v", node)
		}
		upd := node[0]
		if upd.Actor != apptest.Commander || upd.DivisionID != w.dwNode.ID || upd.DivisionName != "东汪新社区" ||
			!strings.Contains(string(upd.Before), `"name_zh":"东汪新村"`) || !strings.Contains(string(upd.After), `"name_zh":"东汪新社区"`) {
			t.Errorf("rename entry: %+v", upd)
		}
		if string(node[1].Before) != "null" || !strings.Contains(string(node[1].After), `"code":"130528104299"`) {
			t.Errorf("create entry: before %s after %s", node[1].Before, node[1].After)
		}
		cs := all(t, aud, "entity=case&entity_id="+itoa(w.dwCase))
		if len(cs) != 2 || cs[0].Action != "reveal" || cs[1].Action != "create" {
			t.Fatalf("case history: %+v", cs)
		}
		if strings.Contains(string(cs[1].After), "张三") || strings.Contains(string(cs[1].After), "13812345678") {
			t.Errorf("personal data in the log: %s", cs[1].After)
		}

		page := aud.Get("/audit?entity=org_node&entity_id=" + itoa(w.dwNode.ID))
		for _, want := range []string{"name_zh:", "东汪新村 → 东汪新社区", "修改", "辖区", `class="table-wrap"`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		detail := aud.Get("/audit/" + itoa(upd.ID))
		if detail.Code != 200 || !strings.Contains(detail.Body, "东汪新村 → 东汪新社区") || !strings.Contains(detail.Body, "130528104299") {
			t.Errorf("detail page: %d", detail.Code)
		}
	})
}

func TestSearchInput(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		aud := w.srv.As(t, apptest.Auditor)
		for q, field := range map[string]string{
			"from=2020-02-30":                "from",
			"to=22.02.2020":                  "to",
			"from=2020-02-22&to=2020-02-21":  "to",
			"cursor=bogus":                   "cursor",
			"limit=9999":                     "limit",
			"from=2020-02-01&to=2020-02-01x": "to",
		} {
			res := aud.Get("/api/v1/audit?" + q)
			var pr problem
			res.Decode(t, &pr)
			if res.Code != 422 || res.Header.Get("Content-Type") != "application/problem+json" || len(pr.Errors) != 1 || pr.Errors[0].Field != field {
				t.Errorf("%s: %d %s", q, res.Code, res.Body)
			}
			page := aud.Get("/audit?" + q)
			if page.Code != 422 || !strings.Contains(page.Body, `id="e-`+field+`"`) && field != "cursor" && field != "limit" {
				t.Errorf("page %s: %d", q, page.Code)
			}
		}
		page := aud.Get("/audit?from=2020-02-30&actor=commander")
		if !strings.Contains(page.Body, `value="2020-02-30"`) || !strings.Contains(page.Body, `value="commander"`) {
			t.Error("a rejected search loses what was typed")
		}

		// Entries carry the real clock (not the test server's 2020 day).
		if es := all(t, aud, "from=2999-01-01"); len(es) != 0 {
			t.Errorf("future window: %d entries", len(es))
		}
		if es := all(t, aud, "to=2000-01-01"); len(es) != 0 {
			t.Errorf("past window: %d entries", len(es))
		}
		if es := all(t, aud, "from=2000-01-01&to=2999-01-01&actor=commander"); len(es) == 0 {
			t.Error("wide window finds nothing")
		}

		// The page pages with the same cursor, keeping the search.
		first := aud.Get("/audit?actor=system&limit=3")
		i := strings.Index(first.Body, `rel="next"`)
		if first.Code != 200 || i < 0 {
			t.Fatalf("no next link: %d", first.Code)
		}
		href := first.Body[strings.LastIndex(first.Body[:i], `href="`)+6 : i-2]
		href = strings.ReplaceAll(href, "&amp;", "&")
		if !strings.Contains(href, "actor=system") || !strings.Contains(href, "cursor=") {
			t.Errorf("next link %q", href)
		}
		if next := aud.Get(href); next.Code != 200 || !strings.Contains(next.Body, "common.first") && !strings.Contains(next.Body, "第一页") {
			t.Errorf("next page: %d", next.Code)
		}
	})
}

func TestExport(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		aud := w.srv.As(t, apptest.Auditor)
		want := all(t, aud, "entity=case")

		res := aud.Get("/audit/export.xlsx?entity=case")
		if res.Code != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
			t.Fatalf("export: %d %v", res.Code, res.Header)
		}
		rows := sheetRows(t, res.Body)
		if got := strings.Join(rows[0], "|"); got != "序号|时间|操作人|操作|对象类型|对象编号|辖区|变更前|变更后|来源地址" {
			t.Errorf("header %s", got)
		}
		if len(rows)-1 != len(want) {
			t.Fatalf("export has %d rows, API %d", len(rows)-1, len(want))
		}
		for i, e := range want {
			if rows[i+1][0] != itoa(e.ID) || rows[i+1][4] != "病例" {
				t.Errorf("row %d: %v, want entry %d", i+1, rows[i+1], e.ID)
			}
		}

		exports := all(t, aud, "action=export&entity=audit_log")
		if len(exports) != 1 || exports[0].Actor != apptest.Auditor || !strings.Contains(string(exports[0].After), `"entity":"case"`) {
			t.Errorf("export not audited: %+v", exports)
		}

		dw := w.srv.As(t, apptest.AuditorDongwang)
		res = dw.Get("/audit/export.xlsx")
		rows = sheetRows(t, res.Body)
		if len(rows) < 2 {
			t.Fatal("东汪镇 export is empty")
		}
		for _, r := range rows[1:] {
			if strings.Contains(strings.Join(r, " "), "凤凰") {
				t.Errorf("东汪镇 export has %v", r)
			}
		}

		if res := aud.Form("/account/lang", url.Values{"lang": {"en"}, "next": {"/audit"}}); res.Code != 303 {
			t.Fatalf("switch language: %d", res.Code)
		}
		res = aud.Get("/audit/export.xlsx?action=reveal")
		rows = sheetRows(t, res.Body)
		if rows[0][1] != "Time" || len(rows) != 2 || rows[1][3] != "View personal data" || rows[1][4] != "Case" {
			t.Errorf("English export: %v", rows)
		}
		if !strings.Contains(res.Header.Get("Content-Disposition"), "audit-log-") {
			t.Errorf("English file name: %s", res.Header.Get("Content-Disposition"))
		}
		if res := aud.Get("/audit/export.xlsx?from=nonsense"); res.Code != 422 || res.Header.Get("Content-Disposition") != "" {
			t.Errorf("bad export search: %d %s", res.Code, res.Header.Get("Content-Disposition"))
		}
		page := aud.Get("/audit")
		for _, s := range []string{"Audit log", "View personal data", "Export"} {
			if !strings.Contains(page.Body, s) {
				t.Errorf("English page lacks %q", s)
			}
		}
	})
}

func sheetRows(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("open export: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
