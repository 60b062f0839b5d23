package liaison_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"mime/multipart"
	"net/url"
	"os"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/liaison"
	"fangkong/internal/org"
	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

// county is the test server with two departments: health (id 1, whose
// officer is the fixture's dept-1) and market (with an officer dept-market).
type county struct {
	srv            *apptest.Server
	health, market org.Department
}

func newCounty(t *testing.T, db *storage.DB) county {
	t.Helper()
	ctx := context.Background()
	c := county{srv: apptest.New(t, db)}
	orgs := &org.Store{DB: db}
	var err error
	if c.health, err = orgs.SaveDepartment(ctx, auth.System("t"), org.Department{Code: "01", NameZH: "县卫生健康局", NameEN: "County Health Commission"}); err != nil {
		t.Fatal(err)
	}
	if c.health.ID != 1 {
		t.Fatalf("the fixture's dept-1 works for department 1, the first department is %d", c.health.ID)
	}
	if c.market, err = orgs.SaveDepartment(ctx, auth.System("t"), org.Department{Code: "03", NameZH: "县市场监督管理局", NameEN: "Market Regulation"}); err != nil {
		t.Fatal(err)
	}
	users := &auth.Store{DB: db, Audit: audit.Write}
	if _, err := users.CreateUser(ctx, auth.NewUser{Username: "dept-market", Password: apptest.Password}); err != nil {
		t.Fatal(err)
	}
	if err := users.AddGrant(ctx, "dept-market", auth.Grant{Role: auth.DepartmentOfficer, ScopeKind: auth.ScopeDepartment, ScopeID: c.market.ID}); err != nil {
		t.Fatal(err)
	}
	return c
}

func created[T any](t *testing.T, res apptest.Response) T {
	t.Helper()
	if res.Code != 201 {
		t.Fatalf("want 201, got %d %s", res.Code, res.Body)
	}
	var v T
	res.Decode(t, &v)
	return v
}

func ok[T any](t *testing.T, res apptest.Response) T {
	t.Helper()
	if res.Code != 200 {
		t.Fatalf("want 200, got %d %s", res.Code, res.Body)
	}
	var v T
	res.Decode(t, &v)
	return v
}

func problemBody(division int64, dept int64, title, raised, deadline string) map[string]any {
	return map[string]any{"division_id": division, "category": "workers", "title": title,
		"description": "外省员工返岗需隔离14天，岗位空缺", "department_id": dept, "raised_on": raised, "deadline": deadline}
}

func jpegPhoto(t *testing.T) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// multipartBody is a form with text fields first and files last, as the
// page's form sends it.
func multipartBody(t *testing.T, fields map[string]string, files map[string][]byte) (*bytes.Buffer, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for name, data := range files {
		fw, err := w.CreateFormFile("photo", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	return &b, w.FormDataContentType()
}

func TestLeaderSeesOverdueFirstAndConfirms(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCounty(t, db)
		fix := c.srv.Fix
		leader, officer := c.srv.As(t, apptest.Leader), c.srv.As(t, apptest.DeptOfficer)
		cadre := c.srv.As(t, apptest.CadreDongwang)

		a := created[liaison.Assignment](t, leader.JSON("POST", "/api/v1/liaison/assignments",
			map[string]any{"division_id": fix.Dongwang.ID, "from": "2020-02-01", "to": "2020-02-29", "note": "东汪镇包联"}))
		if a.DivisionName != "东汪镇" || a.LeaderName == "" {
			t.Errorf("assignment %+v", a)
		}
		late := created[problem.Problem](t, leader.JSON("POST", "/api/v1/liaison/problems",
			problemBody(fix.DongwangVillage.ID, c.health.ID, "返岗员工核酸检测排队", "2020-02-10", "2020-02-15")))
		done := created[problem.Problem](t, leader.JSON("POST", "/api/v1/liaison/problems",
			problemBody(fix.XiaokouVillage.ID, c.health.ID, "口罩库存不足", "2020-02-12", "2020-02-28")))
		// Raised by the village cadre for a village of the leader's township:
		// on the leader's list, but the cadre's to confirm.
		byCadre := created[problem.Problem](t, cadre.JSON("POST", "/api/v1/liaison/problems",
			problemBody(fix.DongwangVillage.ID, c.market.ID, "物流车辆通行证", "2020-02-18", "2020-02-25")))

		for _, a := range []string{"start", "resolve"} {
			ok[problem.Problem](t, officer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/%s", done.ID, a), map[string]string{"note": "已协调县医药公司调拨口罩2000只"}))
		}
		var pg problem.Page
		pg = ok[problem.Page](t, leader.Get("/api/v1/liaison/problems?date=2020-02-22"))
		if len(pg.Items) != 3 || pg.Items[0].ID != late.ID || !pg.Items[0].Overdue || pg.Items[1].ID != done.ID || pg.Items[2].ID != byCadre.ID {
			t.Fatalf("leader's list: %+v", pg.Items)
		}
		page := leader.Get("/liaison")
		if page.Code != 200 || strings.Index(page.Body, "返岗员工核酸检测排队") > strings.Index(page.Body, "口罩库存不足") ||
			!strings.Contains(page.Body, "待您确认") {
			t.Errorf("leader's page: %d, overdue not first or nothing to confirm", page.Code)
		}
		// The leader confirms the resolved problem; the cadre's is not theirs to confirm.
		got := ok[problem.Problem](t, leader.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/confirm", done.ID), nil))
		if got.Status != problem.Confirmed || got.ConfirmedOn.String() != "2020-02-22" {
			t.Errorf("confirmed: %+v", got)
		}
		if res := leader.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/confirm", byCadre.ID), nil); res.Code != 403 {
			t.Errorf("leader confirms the cadre's problem: %d", res.Code)
		}
		ov := ok[liaison.Overview](t, c.srv.As(t, apptest.Commander).Get("/api/v1/liaison/overview?date=2020-02-22"))
		if ov.Total.Raised != 3 || ov.Total.Overdue != 1 || ov.Total.Confirmed != 1 || len(ov.ByDepartment) != 2 ||
			ov.ByDepartment[0].DepartmentID != c.health.ID || ov.ByDepartment[0].Overdue != 1 {
			t.Errorf("overview: %+v", ov)
		}
		var line *liaison.LeaderLine
		for i := range ov.ByLeader {
			if ov.ByLeader[i].Username == apptest.Leader {
				line = &ov.ByLeader[i]
			}
		}
		if line == nil || line.Overdue != 1 || line.Unresolved != 2 || line.Confirmed != 1 || line.Assignments != 1 {
			t.Errorf("leader's line: %+v", line)
		}
		// As of the 14th nothing was overdue yet, and the cadre's problem did not exist.
		ov = ok[liaison.Overview](t, leader.Get("/api/v1/liaison/overview?date=2020-02-14"))
		if ov.Total.Raised != 2 || ov.Total.Overdue != 0 || ov.Total.Unresolved != 2 {
			t.Errorf("overview on the 14th: %+v", ov.Total)
		}
		if res := c.srv.As(t, apptest.Commander).Get("/liaison/overview?date=2020-02-22"); res.Code != 200 || !strings.Contains(res.Body, "县卫生健康局") {
			t.Errorf("overview page: %d", res.Code)
		}
	})
}

func TestDepartmentOfficer(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCounty(t, db)
		fix := c.srv.Fix
		leader, officer := c.srv.As(t, apptest.Leader), c.srv.As(t, apptest.DeptOfficer)
		mine := created[problem.Problem](t, leader.JSON("POST", "/api/v1/liaison/problems",
			problemBody(fix.DongwangVillage.ID, c.health.ID, "health", "2020-02-10", "2020-02-20")))
		other := created[problem.Problem](t, leader.JSON("POST", "/api/v1/liaison/problems",
			problemBody(fix.FenghuangVillage.ID, c.market.ID, "market", "2020-02-10", "2020-02-20")))

		pg := ok[problem.Page](t, officer.Get("/api/v1/problems"))
		if len(pg.Items) != 1 || pg.Items[0].ID != mine.ID {
			t.Errorf("officer sees %+v", pg.Items)
		}
		if res := officer.Get(fmt.Sprintf("/api/v1/problems/%d", other.ID)); res.Code != 404 {
			t.Errorf("another department's problem: %d", res.Code)
		}
		if res := officer.Get(fmt.Sprintf("/problems/%d", other.ID)); res.Code != 404 {
			t.Errorf("another department's problem page: %d", res.Code)
		}
		if res := officer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/start", other.ID), nil); res.Code != 404 {
			t.Errorf("start another department's problem: %d", res.Code)
		}
		got := ok[problem.Problem](t, officer.Get(fmt.Sprintf("/api/v1/problems/%d", mine.ID)))
		if len(got.Allowed) != 2 || got.Allowed[0] != problem.Start {
			t.Errorf("officer may %v", got.Allowed)
		}
		ok[problem.Problem](t, officer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/start", mine.ID), nil))
		apptest.AssertFields(t, officer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/resolve", mine.ID), map[string]string{"note": " "}), "note")
		ok[problem.Problem](t, officer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/resolve", mine.ID), map[string]string{"note": "done"}))
		// Only the raiser confirms.
		for _, a := range []string{"confirm", "reopen"} {
			res := officer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/%s", mine.ID, a), map[string]string{"note": "x"})
			if res.Code != 403 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("officer %s: %d %s", a, res.Code, res.Body)
			}
		}
		res := officer.Form(fmt.Sprintf("/problems/%d/steps", mine.ID), url.Values{"action": {"confirm"}})
		if res.Code != 403 {
			t.Errorf("officer confirms on the page: %d", res.Code)
		}
		if res := officer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/resolve", mine.ID), map[string]string{"note": "again"}); res.Code != 409 {
			t.Errorf("resolve twice: %d", res.Code)
		}
		if res := officer.Get("/liaison"); res.Code != 403 {
			t.Errorf("officer on the liaison page: %d", res.Code)
		}
		if res := officer.JSON("POST", "/api/v1/liaison/problems", problemBody(fix.DongwangVillage.ID, c.health.ID, "x", "2020-02-10", "2020-02-20")); res.Code != 403 {
			t.Errorf("officer raises: %d", res.Code)
		}
		// The raiser's page shows the step for them.
		page := leader.Get(fmt.Sprintf("/problems/%d", mine.ID))
		if !strings.Contains(page.Body, `value="confirm"`) || !strings.Contains(page.Body, `value="reopen"`) {
			t.Errorf("raiser's page lacks confirm and reopen")
		}
		if res := leader.Form(fmt.Sprintf("/problems/%d/steps", mine.ID), url.Values{"action": {"reopen"}, "note": {""}}); res.Code != 422 ||
			!strings.Contains(res.Body, `id="e-note"`) {
			t.Errorf("reopen without a reason on the page: %d", res.Code)
		}
		if res := leader.Form(fmt.Sprintf("/problems/%d/steps", mine.ID), url.Values{"action": {"confirm"}}); res.Code != 303 {
			t.Errorf("raiser confirms on the page: %d %s", res.Code, res.Body)
		}
	})
}

func TestBadInput(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCounty(t, db)
		fix := c.srv.Fix
		leader := c.srv.As(t, apptest.Leader)
		t.Run("deadline before the day raised", func(t *testing.T) {
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/problems",
				problemBody(fix.DongwangVillage.ID, c.health.ID, "x", "2020-02-10", "2020-02-09")), "deadline")
			form := url.Values{"division_id": {fmt.Sprint(fix.DongwangVillage.ID)}, "category": {"funds"}, "title": {"流动资金贷款"},
				"department_id": {fmt.Sprint(c.health.ID)}, "raised_on": {"2020-02-20"}, "deadline": {"2020-02-19"}}
			res := leader.Form("/liaison/problems", form)
			if res.Code != 422 || !strings.Contains(res.Body, `value="流动资金贷款"`) || !strings.Contains(res.Body, `id="e-deadline"`) {
				t.Errorf("form: %d, lost the title or the deadline's error", res.Code)
			}
		})
		t.Run("unknown category, target and department", func(t *testing.T) {
			body := problemBody(999999, 999, "x", "2020-02-10", "2020-02-20")
			body["category"] = "weather"
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/problems", body), "category")
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/problems", problemBody(999999, c.health.ID, "x", "2020-02-10", "2020-02-20")), "division_id")
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/problems", problemBody(fix.DongwangVillage.ID, 999, "x", "2020-02-10", "2020-02-20")), "department_id")
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/problems", `{"title": 5}`), "title")
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/problems", `{"severity": "high"}`), "severity")
		})
		t.Run("cadre outside their village", func(t *testing.T) {
			apptest.AssertFields(t, c.srv.As(t, apptest.CadreDongwang).JSON("POST", "/api/v1/liaison/problems",
				problemBody(fix.FenghuangVillage.ID, c.health.ID, "x", "2020-02-10", "2020-02-20")), "division_id")
		})
		t.Run("assignments", func(t *testing.T) {
			body := map[string]any{"division_id": fix.Dongwang.ID, "from": "2020-02-01", "to": "2020-02-29"}
			created[liaison.Assignment](t, leader.JSON("POST", "/api/v1/liaison/assignments", body))
			body["from"] = "2020-02-20"
			body["to"] = "2020-03-20"
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/assignments", body), "from")
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/assignments", map[string]any{"division_id": fix.County.ID, "from": "2020-02-01", "to": "2020-01-01"}), "to")
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/assignments", map[string]any{"division_id": fix.County.ID, "from": "2020-02-01", "to": "2020-02-02"}), "division_id")
			var commander liaison.Leader
			db.R.QueryRow(`SELECT id FROM users WHERE username = $1`, apptest.Commander).Scan(&commander.ID)
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/assignments",
				map[string]any{"leader_id": commander.ID, "division_id": fix.Fenghuang.ID, "from": "2020-02-01", "to": "2020-02-02"}), "leader_id")
			apptest.AssertFields(t, c.srv.As(t, apptest.Commander).JSON("POST", "/api/v1/liaison/assignments",
				map[string]any{"leader_id": commander.ID, "division_id": fix.Fenghuang.ID, "from": "2020-02-01", "to": "2020-02-02"}), "leader_id")
			if res := c.srv.As(t, apptest.CadreDongwang).JSON("POST", "/api/v1/liaison/assignments", body); res.Code != 403 {
				t.Errorf("cadre assigns: %d", res.Code)
			}
		})
		t.Run("visit in the future", func(t *testing.T) {
			apptest.AssertFields(t, leader.JSON("POST", "/api/v1/liaison/visits",
				map[string]any{"division_id": fix.DongwangVillage.ID, "day": "2020-02-23", "kind": "inspect"}), "day")
		})
	})
}

func TestPhotos(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCounty(t, db)
		fix := c.srv.Fix
		leader := c.srv.As(t, apptest.Leader)
		v := created[liaison.Visit](t, leader.JSON("POST", "/api/v1/liaison/visits",
			map[string]any{"division_id": fix.DongwangVillage.ID, "day": "2020-02-20", "kind": "inspect", "notes": "检查卡口值守"}))
		photo := jpegPhoto(t)
		path := fmt.Sprintf("/api/v1/liaison/visits/%d/photos", v.ID)

		body, ct := multipartBody(t, nil, map[string][]byte{"卡口.jpg": photo})
		phs := created[struct{ Items []liaison.Photo }](t, leader.Do("POST", path, body, ct))
		if len(phs.Items) != 1 || phs.Items[0].ContentType != "image/jpeg" || phs.Items[0].Name != "卡口.jpg" {
			t.Fatalf("photos %+v", phs)
		}
		// The image itself as the body, claimed to be a PNG: its bytes say JPEG.
		raw := created[struct{ Items []liaison.Photo }](t, leader.Do("POST", path+"?name=gate.png", bytes.NewReader(photo), "image/png"))
		if raw.Items[0].ContentType != "image/jpeg" {
			t.Errorf("raw upload %+v", raw.Items)
		}
		img := leader.Get(phs.Items[0].URL)
		if img.Code != 200 || img.Header.Get("Content-Type") != "image/jpeg" || img.Body != string(photo) ||
			img.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("photo served: %d %s", img.Code, img.Header.Get("Content-Type"))
		}
		t.Run("wrong type", func(t *testing.T) {
			body, ct := multipartBody(t, nil, map[string][]byte{"fake.jpg": []byte("<html><script>alert(1)</script></html>")})
			apptest.AssertFields(t, leader.Do("POST", path, body, ct), "photo")
			apptest.AssertFields(t, leader.Do("POST", path, strings.NewReader("GIF89a\x01\x00"), "image/gif"), "photo")
		})
		t.Run("too large", func(t *testing.T) {
			big := append(append([]byte{}, photo...), make([]byte, liaison.MaxPhotoBytes)...) // a JPEG over the 5 MB photo limit
			body, ct := multipartBody(t, nil, map[string][]byte{"big.jpg": big})
			apptest.AssertFields(t, leader.Do("POST", path, body, ct), "photo")
			apptest.AssertFields(t, leader.Do("POST", path, bytes.NewReader(big), "image/jpeg"), "photo")
		})
		t.Run("the page keeps what was typed", func(t *testing.T) {
			fields := map[string]string{"division_id": fmt.Sprint(fix.XiaokouVillage.ID), "day": "2020-02-21", "kind": "visit", "notes": "走访洨口村企业"}
			body, ct := multipartBody(t, fields, map[string][]byte{"notes.txt": []byte("plain text")})
			res := leader.Do("POST", "/liaison/visits", body, ct)
			if res.Code != 422 || !strings.Contains(res.Body, "走访洨口村企业") || !strings.Contains(res.Body, `id="e-photo"`) ||
				!strings.Contains(res.Body, "notes.txt") {
				t.Errorf("visit form: %d", res.Code)
			}
			big := append(append([]byte{}, photo...), make([]byte, 2<<20)...)
			body, ct = multipartBody(t, fields, map[string][]byte{"big.jpg": big})
			res = leader.Do("POST", "/liaison/visits", body, ct)
			if res.Code != 422 || !strings.Contains(res.Body, "走访洨口村企业") || !strings.Contains(res.Body, `id="e-photo"`) {
				t.Errorf("visit form with a large photo: %d", res.Code)
			}
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM liaison_visits`).Scan(&n)
			if n != 1 {
				t.Errorf("%d visits stored, want only the first", n)
			}
			body, ct = multipartBody(t, fields, map[string][]byte{"ok.jpg": photo})
			if res := leader.Do("POST", "/liaison/visits", body, ct); res.Code != 303 {
				t.Errorf("valid visit form: %d %s", res.Code, res.Body)
			}
		})
		t.Run("out of scope", func(t *testing.T) {
			admin := c.srv.As(t, apptest.AdminFenghuang)
			for _, p := range []string{fmt.Sprintf("/api/v1/liaison/visits/%d", v.ID), phs.Items[0].URL, fmt.Sprintf("/liaison/visits/%d", v.ID)} {
				if res := admin.Get(p); res.Code != 404 {
					t.Errorf("凤凰镇 admin reads %s: %d", p, res.Code)
				}
			}
			if res := c.srv.As(t, apptest.DeptOfficer).Get(phs.Items[0].URL); res.Code != 403 {
				t.Errorf("department officer reads a photo: %d", res.Code)
			}
		})
		got := ok[liaison.Visit](t, leader.Get(fmt.Sprintf("/api/v1/liaison/visits/%d", v.ID)))
		if len(got.Photos) != 2 {
			t.Errorf("visit has %d photos, want 2", len(got.Photos))
		}
		var audited int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'liaison.photo'`).Scan(&audited)
		if audited != 3 {
			t.Errorf("%d photo audit entries, want 3", audited)
		}
	})
}

func TestOutOfScopeProblem(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCounty(t, db)
		fix := c.srv.Fix
		pr := created[problem.Problem](t, c.srv.As(t, apptest.Leader).JSON("POST", "/api/v1/liaison/problems",
			problemBody(fix.DongwangVillage.ID, c.health.ID, "东汪", "2020-02-10", "2020-02-20")))
		admin := c.srv.As(t, apptest.AdminFenghuang)
		for _, p := range []string{fmt.Sprintf("/api/v1/problems/%d", pr.ID), fmt.Sprintf("/problems/%d", pr.ID), "/api/v1/problems/99999", "/api/v1/problems/abc"} {
			if res := admin.Get(p); res.Code != 404 {
				t.Errorf("%s: %d", p, res.Code)
			}
		}
		for _, a := range []string{"start", "confirm", "comments"} {
			if res := admin.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/%s", pr.ID, a), map[string]string{"note": "x"}); res.Code != 404 {
				t.Errorf("%s out of scope: %d", a, res.Code)
			}
		}
		if pg := ok[problem.Page](t, admin.Get("/api/v1/problems")); len(pg.Items) != 0 {
			t.Errorf("凤凰镇 admin lists %+v", pg.Items)
		}
		if res := c.srv.As(t, apptest.CheckpointStaff).Get("/api/v1/problems"); res.Code != 403 {
			t.Errorf("checkpoint staff lists problems: %d", res.Code)
		}
		// The audit log keeps the raise and its before/after.
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'problem' AND entity_id = $1 AND action = 'create'`, fmt.Sprint(pr.ID)).Scan(&n)
		if n != 1 {
			t.Errorf("%d create entries", n)
		}
	})
}

func TestUpdateAssignmentAndReassign(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		c := newCounty(t, db)
		fix := c.srv.Fix
		leader, cmd := c.srv.As(t, apptest.Leader), c.srv.As(t, apptest.Commander)
		a := created[liaison.Assignment](t, cmd.JSON("POST", "/api/v1/liaison/assignments",
			map[string]any{"leader_id": leaderID(t, db), "division_id": fix.DongwangVillage.ID, "from": "2020-02-01", "to": "2020-02-29"}))
		path := fmt.Sprintf("/api/v1/liaison/assignments/%d", a.ID)
		got := ok[liaison.Assignment](t, leader.JSON("PUT", path, map[string]any{"from": "2020-02-01", "to": "2020-02-15", "note": "提前结束"}))
		if got.To.String() != "2020-02-15" || got.Note != "提前结束" || got.DivisionID != fix.DongwangVillage.ID {
			t.Errorf("updated %+v", got)
		}
		apptest.AssertFields(t, leader.JSON("PUT", path, map[string]any{"from": "2020-02-10", "to": "2020-02-01"}), "to")

		// The same on the edit page: filled in, a bad period kept as typed.
		edit := fmt.Sprintf("/liaison/assignments/%d", a.ID)
		if page := leader.Get(edit + "/edit"); page.Code != 200 || !strings.Contains(page.Body, `value="2020-02-15"`) || !strings.Contains(page.Body, "提前结束") {
			t.Errorf("edit page: %d", page.Code)
		}
		bad := url.Values{"from": {"2020-02-10"}, "to": {"2020-02-03"}, "note": {"延至月底"}}
		if page := leader.Form(edit, bad); page.Code != 422 || !strings.Contains(page.Body, "延至月底") || !strings.Contains(page.Body, `id="e-to"`) {
			t.Errorf("bad period on the page: %d", page.Code)
		}
		if page := leader.Form(edit, url.Values{"from": {"2020-02-01"}, "to": {"2020-02-29"}, "note": {"延至月底"}}); page.Code != 303 {
			t.Fatalf("save on the page: %d %s", page.Code, page.Body)
		}
		if got := ok[liaison.Assignment](t, leader.Get(path)); got.To.String() != "2020-02-29" || got.Note != "延至月底" {
			t.Errorf("after the page: %+v", got)
		}
		if page := c.srv.As(t, apptest.Auditor).Get(edit + "/edit"); page.Code != 403 {
			t.Errorf("the auditor opens the edit page: %d", page.Code)
		}
		if res := c.srv.As(t, apptest.AdminFenghuang).Get(path); res.Code != 404 {
			t.Errorf("凤凰镇 admin reads a 东汪 assignment: %d", res.Code)
		}
		if res := c.srv.As(t, apptest.Auditor).JSON("PUT", path, map[string]any{"from": "2020-02-01", "to": "2020-02-02"}); res.Code != 403 {
			t.Errorf("auditor updates: %d", res.Code)
		}
		as := ok[struct{ Items []liaison.Assignment }](t, c.srv.As(t, apptest.Auditor).Get("/api/v1/liaison/assignments?date=2020-02-10"))
		if len(as.Items) != 1 || !as.Items[0].Current {
			t.Errorf("auditor lists %+v", as.Items)
		}

		pr := created[problem.Problem](t, leader.JSON("POST", "/api/v1/liaison/problems",
			problemBody(fix.DongwangVillage.ID, c.health.ID, "误派", "2020-02-10", "2020-02-20")))
		officer := c.srv.As(t, apptest.DeptOfficer)
		ok[problem.Problem](t, officer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/comments", pr.ID), map[string]string{"note": "不属本局职责"}))
		if res := officer.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/assign", pr.ID), map[string]any{"department_id": c.market.ID, "deadline": "2020-02-25"}); res.Code != 403 {
			t.Errorf("department reassigns: %d", res.Code)
		}
		apptest.AssertFields(t, cmd.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/assign", pr.ID), map[string]any{"department_id": c.market.ID, "deadline": "2020-02-01"}), "deadline")
		moved := ok[problem.Problem](t, cmd.JSON("POST", fmt.Sprintf("/api/v1/problems/%d/assign", pr.ID),
			map[string]any{"department_id": c.market.ID, "deadline": "2020-02-25", "note": "改由市场监管局办理"}))
		if moved.DepartmentID != c.market.ID || moved.Status != problem.Open || len(moved.Events) != 3 {
			t.Errorf("reassigned %+v", moved)
		}
		if res := officer.Get(fmt.Sprintf("/api/v1/problems/%d", pr.ID)); res.Code != 404 {
			t.Errorf("the old department still reads it: %d", res.Code)
		}
		if pg := ok[problem.Page](t, c.srv.As(t, "dept-market").Get("/api/v1/problems")); len(pg.Items) != 1 {
			t.Errorf("market officer sees %+v", pg.Items)
		}
	})
}

func leaderID(t *testing.T, db *storage.DB) int64 {
	t.Helper()
	var id int64
	if err := db.R.QueryRow(`SELECT id FROM users WHERE username = $1`, apptest.Leader).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
