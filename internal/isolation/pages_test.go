package isolation_test

import (
	"fmt"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/isolation"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// Sites and rooms are kept on pages by the command and the townships: forms
// that keep what was typed and mark each wrong field; site staff read their
// site and cannot change it.
func TestSiteAndRoomPages(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		fix := srv.Fix
		admin := srv.As(t, apptest.AdminFenghuang)
		if res := admin.Get("/isolation"); res.Code != 200 || !strings.Contains(res.Body, `href="/isolation/sites/new"`) {
			t.Fatalf("sites list without the new-site link: %d", res.Code)
		}
		if res := admin.Get("/isolation/sites/new"); res.Code != 200 || !strings.Contains(res.Body, `value="site-1"`) {
			t.Fatalf("new-site form without the staff account: %d %s", res.Code, res.Body)
		}
		// A bad form comes back with what was typed and each wrong field.
		bad := form("name", "凤凰镇集中隔离点", "division_id", fmt.Sprint(fix.FenghuangVillage.ID), "address", "",
			"hospital", "宁晋县医院", "phone", "12345", "staff", "commander")
		res := admin.Form("/isolation/sites", bad)
		if res.Code != 422 {
			t.Fatalf("bad site: %d", res.Code)
		}
		for _, want := range []string{`id="e-address"`, `id="e-phone"`, `id="e-division_id"`, `id="e-staff"`, `value="凤凰镇集中隔离点"`, `value="12345"`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("bad site form lacks %s", want)
			}
		}
		// Another township is outside the admin's area.
		res = admin.Form("/isolation/sites", form("name", "东汪镇隔离点", "division_id", fmt.Sprint(fix.Dongwang.ID),
			"address", "东汪镇", "hospital", "宁晋县医院"))
		if res.Code != 422 || !strings.Contains(res.Body, `id="e-division_id"`) {
			t.Errorf("other township: %d", res.Code)
		}
		res = admin.Form("/isolation/sites", form("name", "凤凰镇集中隔离点", "division_id", fmt.Sprint(fix.Fenghuang.ID),
			"address", "凤凰镇政府西100米", "hospital", "宁晋县医院", "phone", "13903190100", "staff", apptest.SiteStaff))
		if res.Code != 303 || res.Header.Get("Location") != "/isolation/sites/1" {
			t.Fatalf("create site: %d %s", res.Code, res.Header.Get("Location"))
		}
		// Rooms: one at a time, "save and add another" returns to the form.
		res = admin.Form("/isolation/sites/1/rooms", form("number", "101", "beds", "2", "status", "open", "again", "1"))
		if res.Code != 303 || res.Header.Get("Location") != "/isolation/sites/1/rooms/new" {
			t.Fatalf("room: %d %s", res.Code, res.Header.Get("Location"))
		}
		res = admin.Form("/isolation/sites/1/rooms", form("number", "101", "beds", "9", "notes", "朝南"))
		if res.Code != 422 || !strings.Contains(res.Body, `id="e-number"`) || !strings.Contains(res.Body, `id="e-beds"`) ||
			!strings.Contains(res.Body, "朝南") {
			t.Errorf("bad room: %d", res.Code)
		}
		if res := admin.Form("/isolation/sites/1/rooms", form("number", "102", "beds", "1")); res.Code != 303 {
			t.Fatalf("room 102: %d", res.Code)
		}
		var site isolation.SiteDay
		admin.Get("/api/v1/isolation/sites/1").Decode(t, &site)
		st := site.Occupancy.Site
		if st.Capacity != 3 || len(st.Rooms) != 2 || len(st.Staff) != 1 || st.Staff[0].Username != apptest.SiteStaff {
			t.Fatalf("site %+v", st)
		}

		// The site staff now reads the site, and cannot keep it.
		staff := srv.As(t, apptest.SiteStaff)
		if res := staff.Get("/isolation/sites/1"); res.Code != 200 || strings.Contains(res.Body, "/isolation/sites/1/edit") ||
			strings.Contains(res.Body, "/rooms/new") {
			t.Errorf("staff site page: %d", res.Code)
		}
		room := st.Rooms[1]
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/isolation/sites/1/edit", nil},
			{"GET", fmt.Sprintf("/isolation/rooms/%d/edit", room.ID), nil},
			{"PUT", "/api/v1/isolation/sites/1", isolation.SiteInput{DivisionID: fix.Fenghuang.ID, Name: "x", Address: "x", Hospital: "x"}},
			{"PUT", fmt.Sprintf("/api/v1/isolation/rooms/%d", room.ID), isolation.RoomInput{Number: "102", Beds: 8}},
			{"POST", "/api/v1/isolation/sites/1/rooms", isolation.RoomInput{Number: "103", Beds: 1}},
		} {
			var code int
			if c.body == nil {
				code = staff.Get(c.path).Code
			} else {
				code = staff.JSON(c.method, c.path, c.body).Code
			}
			if code != 403 {
				t.Errorf("site staff %s %s: %d, want 403", c.method, c.path, code)
			}
		}
		// Another township's admin does not see the site at all.
		other := srv.As(t, apptest.AdminDongwang)
		if res := other.Get("/isolation/sites/1/edit"); res.Code != 404 {
			t.Errorf("other township edit: %d", res.Code)
		}

		// Edit: the form shows the stored values; a stale version is refused.
		res = admin.Get("/isolation/sites/1/edit")
		if res.Code != 200 || !strings.Contains(res.Body, `value="13903190100"`) || !strings.Contains(res.Body, `value="site-1" checked`) {
			t.Fatalf("edit form: %d", res.Code)
		}
		edit := form("name", "凤凰镇集中隔离点（凤凰宾馆）", "division_id", fmt.Sprint(fix.Fenghuang.ID), "address", "凤凰大街88号",
			"hospital", "宁晋县医院", "version", fmt.Sprint(st.Version))
		if res := admin.Form("/isolation/sites/1", edit); res.Code != 303 {
			t.Fatalf("edit: %d %s", res.Code, res.Body)
		}
		if res := admin.Form("/isolation/sites/1", edit); res.Code != 409 || !strings.Contains(res.Body, "凤凰大街88号") {
			t.Errorf("stale edit: %d", res.Code)
		}
		// No staff ticked: the site has none, and site-1, left with no grant
		// at all, may not open isolation pages.
		if res := staff.Get("/isolation/sites/1"); res.Code != 403 {
			t.Errorf("unassigned staff: %d", res.Code)
		}

		// A room with someone staying keeps its beds and stays open.
		cmd := srv.As(t, apptest.Commander)
		w := &world{srv: srv, db: db, cmd: cmd, site: st, rooms: st.Rooms}
		w.admit(t, w.person(t, "住客"), 1, "2020-02-21", "2020-02-20")
		res = admin.Form(fmt.Sprintf("/isolation/rooms/%d", room.ID), form("number", "102", "beds", "1", "status", "closed"))
		if res.Code != 422 || !strings.Contains(res.Body, `id="e-status"`) {
			t.Errorf("closing an occupied room: %d", res.Code)
		}
		res = admin.Form(fmt.Sprintf("/isolation/rooms/%d", st.Rooms[0].ID), form("number", "101", "beds", "2", "status", "closed"))
		if res.Code != 303 {
			t.Fatalf("closing an empty room: %d %s", res.Code, res.Body)
		}
		admin.Get("/api/v1/isolation/sites/1").Decode(t, &site)
		if site.Occupancy.Site.Capacity != 1 || site.Occupancy.Beds != 1 || site.Occupancy.FreeBeds != 0 {
			t.Errorf("after closing room 101: capacity %d, %+v", site.Occupancy.Site.Capacity, site.Occupancy)
		}
		// The day before, room 101 still counted.
		var before isolation.SiteDay
		admin.Get("/api/v1/isolation/sites/1?date=2020-02-21").Decode(t, &before)
		if before.Occupancy.Beds != 3 {
			t.Errorf("the day before the closure: %+v", before.Occupancy)
		}
		res = cmd.JSON("POST", "/api/v1/isolation/stays", isolation.StayInput{PersonID: w.person(t, "后来"), RoomID: st.Rooms[0].ID})
		if res.Code != 422 {
			t.Errorf("admission to a closed room: %d %s", res.Code, res.Body)
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity IN ('isolation_site', 'isolation_site.staff', 'isolation_room')`).Scan(&n)
		if n < 6 {
			t.Errorf("%d audit entries for sites and rooms", n)
		}
	})
}

// The check-out form: the reason decides what happens to the observation; a
// refusal keeps what was typed.
func TestCheckoutPage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, 1)
		y := w.admit(t, w.person(t, "住客"), 0, "2020-02-20", "2020-02-19")
		staff := w.srv.As(t, apptest.SiteStaff)
		path := fmt.Sprintf("/isolation/stays/%d/checkout", y.ID)
		if res := staff.Get("/isolation/sites/1"); !strings.Contains(res.Body, path) {
			t.Errorf("site page without the check-out link")
		}
		if res := staff.Get(path + "?day=2020-02-21"); res.Code != 200 || !strings.Contains(res.Body, `value="2020-02-21"`) {
			t.Fatalf("check-out form: %d", res.Code)
		}
		res := staff.Form(path, form("reason", "released", "day", "2020-02-22", "note", "期满"))
		if res.Code != 422 || !strings.Contains(res.Body, `id="e-day"`) || !strings.Contains(res.Body, `value="期满"`) {
			t.Errorf("early release: %d", res.Code)
		}
		res = staff.Form(path, form("reason", "transfer", "day", "2020-02-22", "note", "转定点医院"))
		if res.Code != 303 || res.Header.Get("Location") != "/isolation/sites/1" {
			t.Fatalf("transfer: %d %s", res.Code, res.Body)
		}
		if res := staff.Get(path); res.Code != 200 || strings.Contains(res.Body, `<form method="post" action="`+path) {
			t.Errorf("a checked-out stay still offers the form: %d", res.Code)
		}
	})
}
