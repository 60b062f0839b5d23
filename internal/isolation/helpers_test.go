package isolation_test

import (
	"fmt"
	"net/url"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/isolation"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
)

// world is a test server with the fixture site staff's site (id 1, in
// 凤凰镇) holding rooms of the given beds.
type world struct {
	srv   *apptest.Server
	db    *storage.DB
	cmd   *apptest.Client
	site  isolation.Site
	rooms []isolation.Room
	seq   int
}

func newWorld(t *testing.T, db *storage.DB, beds ...int) *world {
	t.Helper()
	srv := apptest.New(t, db)
	w := &world{srv: srv, db: db, cmd: srv.As(t, apptest.Commander)}
	res := w.cmd.JSON("POST", "/api/v1/isolation/sites", isolation.SiteInput{DivisionID: srv.Fix.Fenghuang.ID,
		Name: "凤凰镇集中隔离点", Address: "凤凰镇政府西100米", Hospital: "宁晋县医院"})
	if res.Code != 201 {
		t.Fatalf("site: %d %s", res.Code, res.Body)
	}
	res.Decode(t, &w.site)
	if w.site.ID != 1 {
		t.Fatalf("the fixture's site staff works at site 1; got %d", w.site.ID)
	}
	for i, b := range beds {
		var r isolation.Room
		res := w.cmd.JSON("POST", fmt.Sprintf("/api/v1/isolation/sites/%d/rooms", w.site.ID),
			isolation.RoomInput{Number: fmt.Sprintf("%d", 101+i), Beds: b})
		if res.Code != 201 {
			t.Fatalf("room: %d %s", res.Code, res.Body)
		}
		res.Decode(t, &r)
		w.rooms = append(w.rooms, r)
	}
	return w
}

// person registers someone in 凤凰村 and returns the id.
func (w *world) person(t *testing.T, name string) int64 {
	t.Helper()
	w.seq++
	var c screening.Created
	res := w.cmd.JSON("POST", "/api/v1/persons", screening.PersonInput{DivisionID: w.srv.Fix.FenghuangVillage.ID,
		Name: name, IDNumber: idNumber(100 + w.seq), Address: "凤凰村1号", Tags: []string{"returnee"}})
	if res.Code != 201 {
		t.Fatalf("person: %d %s", res.Code, res.Body)
	}
	res.Decode(t, &c)
	return c.Person.ID
}

// admit stays a person in room i from checkIn, the observation counting
// from basis.
func (w *world) admit(t *testing.T, person int64, i int, checkIn, basis string) isolation.Stay {
	t.Helper()
	var y isolation.Stay
	res := w.cmd.JSON("POST", "/api/v1/isolation/stays", isolation.StayInput{PersonID: person, RoomID: w.rooms[i].ID,
		CheckIn: checkIn, Reason: "returnee", BasisDate: basis})
	if res.Code != 201 {
		t.Fatalf("stay: %d %s", res.Code, res.Body)
	}
	res.Decode(t, &y)
	return y
}

// stayRow reads a stay's check-out and its reason from the database.
func (w *world) stayRow(t *testing.T, id int64) (out storage.Date, reason string) {
	t.Helper()
	if err := w.db.R.QueryRow(`SELECT check_out, out_reason FROM isolation_stays WHERE id = $1`, id).Scan(&out, &reason); err != nil {
		t.Fatal(err)
	}
	return out, reason
}

// obsRow reads an observation's status and kind.
func (w *world) obsRow(t *testing.T, id int64) (status, kind string) {
	t.Helper()
	if err := w.db.R.QueryRow(`SELECT status, kind FROM observations WHERE id = $1`, id).Scan(&status, &kind); err != nil {
		t.Fatal(err)
	}
	return status, kind
}

// count runs a COUNT(*) query.
func (w *world) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.db.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// form is url.Values from pairs.
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
