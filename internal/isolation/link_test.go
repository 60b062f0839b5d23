package isolation_test

import (
	"fmt"
	"testing"

	"fangkong/internal/isolation"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/screening"
)

// A stay and the centralized observation it belongs to follow each other,
// whichever side acts, in one transaction.
func TestStaysAndObservationsFollowEachOther(t *testing.T) {
	type want struct {
		code      int
		out       string // the stay's check-out day, "" while open
		reason    string // its out_reason
		status    string // the observation's status
		kind      string // and kind
		auditStay int    // audit entries updating the stay
	}
	cases := []struct {
		name           string
		checkIn, basis string
		act            func(t *testing.T, w *world, y isolation.Stay) int
		want           want
	}{
		{"check-out as released releases the observation", "2020-02-06", "2020-02-05",
			func(t *testing.T, w *world, y isolation.Stay) int {
				return w.cmd.JSON("POST", fmt.Sprintf("/api/v1/isolation/stays/%d/checkout", y.ID), isolation.CheckoutInput{Day: "2020-02-21"}).Code
			}, want{200, "2020-02-21", "released", "released", "centralized", 1}},
		{"a release before the planned end changes nothing", "2020-02-20", "2020-02-20",
			func(t *testing.T, w *world, y isolation.Stay) int {
				return w.cmd.JSON("POST", fmt.Sprintf("/api/v1/isolation/stays/%d/checkout", y.ID), isolation.CheckoutInput{Reason: "released"}).Code
			}, want{422, "", "", "active", "centralized", 0}},
		{"releasing the observation closes the stay", "2020-02-06", "2020-02-05",
			func(t *testing.T, w *world, y isolation.Stay) int {
				return w.cmd.JSON("POST", fmt.Sprintf("/api/v1/observations/%d/release", y.ObservationID), screening.ReleaseInput{Day: "2020-02-20"}).Code
			}, want{200, "2020-02-20", "released", "released", "centralized", 1}},
		{"a release of many closes each stay", "2020-02-06", "2020-02-05",
			func(t *testing.T, w *world, y isolation.Stay) int {
				return w.cmd.JSON("POST", "/api/v1/observations/release", map[string]any{"ids": []int64{y.ObservationID}, "day": "2020-02-22"}).Code
			}, want{200, "2020-02-22", "released", "released", "centralized", 1}},
		{"check-out to hospital keeps the observation", "2020-02-18", "2020-02-17",
			func(t *testing.T, w *world, y isolation.Stay) int {
				return w.cmd.JSON("POST", fmt.Sprintf("/api/v1/isolation/stays/%d/checkout", y.ID), isolation.CheckoutInput{Reason: "transfer"}).Code
			}, want{200, "2020-02-22", "transfer", "active", "centralized", 1}},
		{"a fever transferred to hospital closes the stay; the result ends the observation as transferred", "2020-02-18", "2020-02-17",
			func(t *testing.T, w *world, y isolation.Stay) int {
				var rec screening.Recorded
				res := w.cmd.JSON("POST", "/api/v1/followups", screening.FollowUpInput{ObservationID: y.ObservationID, Day: "2020-02-22",
					Slot: "am", Temperature: "38.6"})
				res.Decode(t, &rec)
				if res.Code != 201 || rec.Alert == nil {
					t.Fatalf("fever: %d %s", res.Code, res.Body)
				}
				path := fmt.Sprintf("/api/v1/alerts/%d/events", rec.Alert.ID)
				if res := w.cmd.JSON("POST", path, screening.AlertEventInput{Kind: "notified"}); res.Code != 201 {
					t.Fatalf("notified: %d %s", res.Code, res.Body)
				}
				if res := w.cmd.JSON("POST", path, screening.AlertEventInput{Kind: "transferred", Hospital: "宁晋县医院"}); res.Code != 201 {
					t.Fatalf("transferred: %d %s", res.Code, res.Body)
				}
				if out, reason := w.stayRow(t, y.ID); out.String() != "2020-02-22" || reason != "transfer" {
					t.Errorf("after the transfer the stay is out %s (%s)", out, reason)
				}
				if st, _ := w.obsRow(t, y.ObservationID); st != "active" {
					t.Errorf("the transfer ended the observation: %s", st)
				}
				return w.cmd.JSON("POST", path, screening.AlertEventInput{Kind: "result", Result: "confirmed"}).Code
			}, want{201, "2020-02-22", "transfer", "transferred", "centralized", 1}},
		{"moving the observation home closes the stay", "2020-02-18", "2020-02-17",
			func(t *testing.T, w *world, y isolation.Stay) int {
				return w.cmd.JSON("POST", fmt.Sprintf("/api/v1/observations/%d/kind", y.ObservationID), map[string]string{"kind": "home", "reason": "居家条件具备"}).Code
			}, want{200, "2020-02-22", "home", "active", "home", 1}},
		{"check-out home makes it home observation", "2020-02-18", "2020-02-17",
			func(t *testing.T, w *world, y isolation.Stay) int {
				return w.cmd.JSON("POST", fmt.Sprintf("/api/v1/isolation/stays/%d/checkout", y.ID), isolation.CheckoutInput{Reason: "home"}).Code
			}, want{200, "2020-02-22", "home", "active", "home", 1}},
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		beds := make([]int, len(cases))
		for i := range beds {
			beds[i] = 1
		}
		w := newWorld(t, db, beds...)
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				y := w.admit(t, w.person(t, fmt.Sprintf("隔离%d", i)), i, c.checkIn, c.basis)
				if code := c.act(t, w, y); code != c.want.code {
					t.Fatalf("status %d, want %d", code, c.want.code)
				}
				out, reason := w.stayRow(t, y.ID)
				status, kind := w.obsRow(t, y.ObservationID)
				got := want{c.want.code, out.String(), reason, status, kind,
					w.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'isolation_stay' AND entity_id = $1 AND action = 'update'`,
						fmt.Sprint(y.ID))}
				if got != c.want {
					t.Errorf("got %+v\nwant %+v", got, c.want)
				}
				// A closed stay frees its bed for today; an open one holds it.
				free := w.count(t, `SELECT COUNT(*) FROM isolation_stays WHERE room_id = $1 AND check_out IS NULL`, w.rooms[i].ID) == 0
				if free != (c.want.out != "") {
					t.Errorf("room free %v with stay out %q", free, c.want.out)
				}
			})
		}
	})
}

// A stay refused for a full room leaves the person's observation as it was:
// the stay and the observation are one transaction.
func TestRefusedStayLeavesTheObservation(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, 1)
		w.admit(t, w.person(t, "先住"), 0, "2020-02-20", "2020-02-19")
		p := w.person(t, "居家")
		var o screening.Observation
		res := w.cmd.JSON("POST", "/api/v1/observations", screening.ObservationInput{PersonID: p, Kind: "home", Reason: "returnee",
			BasisDate: "2020-02-19", StartDate: "2020-02-20"})
		if res.Code != 201 {
			t.Fatalf("observation: %d %s", res.Code, res.Body)
		}
		res.Decode(t, &o)
		versionBefore := w.count(t, `SELECT version FROM observations WHERE id = $1`, o.ID)
		res = w.cmd.JSON("POST", "/api/v1/isolation/stays", isolation.StayInput{PersonID: p, RoomID: w.rooms[0].ID, CheckIn: "2020-02-21"})
		if res.Code != 422 {
			t.Fatalf("full room: %d %s", res.Code, res.Body)
		}
		hasField(t, res, "room_id")
		if st, kind := w.obsRow(t, o.ID); st != "active" || kind != "home" {
			t.Errorf("observation %s %s after a refused stay", st, kind)
		}
		if v := w.count(t, `SELECT version FROM observations WHERE id = $1`, o.ID); v != versionBefore {
			t.Errorf("observation version %d, was %d", v, versionBefore)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM observation_changes WHERE observation_id = $1 AND kind <> 'opened'`, o.ID); n != 0 {
			t.Errorf("%d changes recorded for a refused stay", n)
		}
		// A person without an observation gets none either.
		q := w.person(t, "无观察")
		res = w.cmd.JSON("POST", "/api/v1/isolation/stays", isolation.StayInput{PersonID: q, RoomID: w.rooms[0].ID, CheckIn: "2020-02-21",
			Reason: "returnee", BasisDate: "2020-02-20"})
		if res.Code != 422 || w.count(t, `SELECT COUNT(*) FROM observations WHERE person_id = $1`, q) != 0 {
			t.Errorf("refused stay of a person without observation: %d, %s", res.Code, res.Body)
		}
	})
}
