package isolation_test

import (
	"fmt"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/isolation"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/platform/validate"
	"fangkong/internal/screening"
)

// idNumber is a valid Ningjin ID number for a sequence.
func idNumber(seq int) string {
	body := fmt.Sprintf("130528198503%02d%03d", 1+seq%28, seq%1000)
	c, ok := validate.ResidentIDCheckDigit(body)
	if !ok {
		panic(body)
	}
	return body + string(c)
}

func hasField(t *testing.T, res apptest.Response, field string) {
	t.Helper()
	var f map[string]any
	res.Decode(t, &f)
	if fmt.Sprint(f) == "" || !contains(fmt.Sprint(f), field) {
		t.Errorf("no field %s in %s", field, res.Body)
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestSitesStaysAndStaffScope(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		fix := srv.Fix
		var sites [2]isolation.Site
		for i, name := range []string{"凤凰镇集中隔离点", "东汪镇集中隔离点"} {
			res := cmd.JSON("POST", "/api/v1/isolation/sites", isolation.SiteInput{DivisionID: fix.Fenghuang.ID, Name: name,
				Address: "凤凰镇政府西100米", Hospital: "宁晋县医院"})
			if res.Code != 201 {
				t.Fatalf("site: %d %s", res.Code, res.Body)
			}
			res.Decode(t, &sites[i])
		}
		if sites[0].ID != 1 {
			t.Fatalf("the fixture's site staff works at site 1; got %d", sites[0].ID)
		}
		var room isolation.Room
		res := cmd.JSON("POST", fmt.Sprintf("/api/v1/isolation/sites/%d/rooms", sites[0].ID), isolation.RoomInput{Number: "101", Beds: 1})
		if res.Code != 201 {
			t.Fatalf("room: %d %s", res.Code, res.Body)
		}
		res.Decode(t, &room)
		if res := cmd.JSON("POST", fmt.Sprintf("/api/v1/isolation/sites/%d/rooms", sites[0].ID), isolation.RoomInput{Number: "102", Beds: 10}); res.Code != 422 {
			t.Errorf("beyond capacity: %d %s", res.Code, res.Body)
		}
		var persons []int64
		for i := range 2 {
			var c screening.Created
			res := cmd.JSON("POST", "/api/v1/persons", screening.PersonInput{DivisionID: fix.FenghuangVillage.ID,
				Name: fmt.Sprintf("隔离%d", i), IDNumber: idNumber(i + 1), Address: "凤凰村1号", Tags: []string{"returnee"}})
			if res.Code != 201 {
				t.Fatalf("person: %d %s", res.Code, res.Body)
			}
			res.Decode(t, &c)
			persons = append(persons, c.Person.ID)
		}
		// The first stay takes the only bed and makes a centralized observation.
		var y isolation.Stay
		res = cmd.JSON("POST", "/api/v1/isolation/stays", isolation.StayInput{PersonID: persons[0], RoomID: room.ID,
			CheckIn: "2020-02-20", Reason: "returnee", BasisDate: "2020-02-19"})
		if res.Code != 201 {
			t.Fatalf("stay: %d %s", res.Code, res.Body)
		}
		res.Decode(t, &y)
		if y.ObservationID == 0 || y.PlannedOut != storage.MustDate("2020-03-04") || y.PersonName == "隔离0" {
			t.Errorf("stay %+v", y)
		}
		var kind string
		db.R.QueryRow(`SELECT kind FROM observations WHERE id = $1`, y.ObservationID).Scan(&kind)
		if kind != "centralized" {
			t.Errorf("observation kind %q", kind)
		}
		// A stay in the full room is a field error on room_id.
		res = cmd.JSON("POST", "/api/v1/isolation/stays", isolation.StayInput{PersonID: persons[1], RoomID: room.ID, CheckIn: "2020-02-21"})
		if res.Code != 422 {
			t.Fatalf("full room: %d %s", res.Code, res.Body)
		}
		hasField(t, res, "room_id")
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM observations WHERE person_id = $1`, persons[1]).Scan(&n)
		if n != 0 {
			t.Errorf("a refused stay opened an observation")
		}

		// Site staff see their site and only it.
		staff := srv.As(t, apptest.SiteStaff)
		var list struct{ Items []isolation.Occupancy }
		res = staff.Get("/api/v1/isolation/sites?date=2020-02-22")
		res.Decode(t, &list)
		if res.Code != 200 || len(list.Items) != 1 || list.Items[0].Site.ID != sites[0].ID {
			t.Fatalf("staff list: %d %s", res.Code, res.Body)
		}
		o := list.Items[0]
		if o.Occupied != 1 || o.Beds != 1 || o.FreeBeds != 0 || o.Due != 2 || o.Done != 0 {
			t.Errorf("occupancy %+v", o)
		}
		for path, want := range map[string]int{
			fmt.Sprintf("/api/v1/isolation/sites/%d", sites[0].ID): 200,
			fmt.Sprintf("/api/v1/isolation/sites/%d", sites[1].ID): 404,
			fmt.Sprintf("/isolation/sites/%d", sites[0].ID):        200,
			fmt.Sprintf("/isolation/sites/%d", sites[1].ID):        404,
			fmt.Sprintf("/api/v1/isolation/stays/%d", y.ID):        200,
			"/isolation": 200,
		} {
			if res := staff.Get(path); res.Code != want {
				t.Errorf("site staff %s: %d, want %d", path, res.Code, want)
			}
		}
		// A township admin elsewhere sees neither site.
		if res := srv.As(t, apptest.AdminDongwang).Get(fmt.Sprintf("/api/v1/isolation/sites/%d", sites[0].ID)); res.Code != 404 {
			t.Errorf("other township: %d", res.Code)
		}
		// Check-out frees the bed for the next day.
		if res := staff.JSON("POST", fmt.Sprintf("/api/v1/isolation/stays/%d/checkout", y.ID), isolation.CheckoutInput{Day: "2020-02-21", Reason: "other"}); res.Code != 200 {
			t.Fatalf("checkout: %d %s", res.Code, res.Body)
		}
		if res := cmd.JSON("POST", "/api/v1/isolation/stays", isolation.StayInput{PersonID: persons[1], RoomID: room.ID, CheckIn: "2020-02-21"}); res.Code != 201 {
			t.Errorf("after checkout: %d %s", res.Code, res.Body)
		}
		// The dashboard carries the panel.
		if res := cmd.Get("/?date=2020-02-22"); res.Code != 200 || !contains(res.Body, "site_free_beds") {
			t.Errorf("dashboard: %d", res.Code)
		}
	})
}
