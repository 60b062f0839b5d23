package isolation_test

import (
	"fmt"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/isolation"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/screening"
)

// Site staff record the follow-ups of the people staying at their site, with
// screening's rules, and of nobody else.
func TestSiteStaffRecordFollowUps(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, 2, 2)
		y := w.admit(t, w.person(t, "住客甲"), 0, "2020-02-20", "2020-02-19")
		y2 := w.admit(t, w.person(t, "住客乙"), 1, "2020-02-20", "2020-02-19")
		// A second site in 东汪镇 with its own guest.
		var other isolation.Site
		res := w.cmd.JSON("POST", "/api/v1/isolation/sites", isolation.SiteInput{DivisionID: w.srv.Fix.Dongwang.ID,
			Name: "东汪镇集中隔离点", Address: "东汪镇", Hospital: "宁晋县医院"})
		res.Decode(t, &other)
		var room isolation.Room
		w.cmd.JSON("POST", fmt.Sprintf("/api/v1/isolation/sites/%d/rooms", other.ID), isolation.RoomInput{Number: "1", Beds: 1}).Decode(t, &room)
		w2 := &world{srv: w.srv, db: db, cmd: w.cmd, rooms: []isolation.Room{room}, seq: 50}
		away := w2.admit(t, w2.person(t, "别处"), 0, "2020-02-20", "2020-02-19")

		staff := w.srv.As(t, apptest.SiteStaff)
		post := func(stay int64, in isolation.SiteFollowUpInput) apptest.Response {
			return staff.JSON("POST", fmt.Sprintf("/api/v1/isolation/stays/%d/followups", stay), in)
		}
		// Screening's own API stays closed to site staff.
		if res := staff.JSON("POST", "/api/v1/followups", screening.FollowUpInput{ObservationID: y.ObservationID, Slot: "am",
			Temperature: "36.5"}); res.Code != 403 {
			t.Errorf("screening follow-up by site staff: %d", res.Code)
		}
		var rec screening.Recorded
		res = post(y.ID, isolation.SiteFollowUpInput{Day: "2020-02-21", Slot: "am", Temperature: "36.6"})
		if res.Code != 201 {
			t.Fatalf("follow-up: %d %s", res.Code, res.Body)
		}
		res.Decode(t, &rec)
		if rec.Alert != nil || rec.FollowUp.ObservationID != y.ObservationID {
			t.Errorf("plain follow-up %+v", rec)
		}
		// Bad input: each a field error, nothing stored.
		for _, c := range []struct {
			in    isolation.SiteFollowUpInput
			field string
		}{
			{isolation.SiteFollowUpInput{Slot: "pm", Temperature: "43.5"}, "temperature"},
			{isolation.SiteFollowUpInput{Slot: "pm", Temperature: "33.9"}, "temperature"},
			{isolation.SiteFollowUpInput{Day: "2020-02-23", Slot: "pm", Temperature: "36.5"}, "day"},
			{isolation.SiteFollowUpInput{Day: "2020-02-19", Slot: "pm", Temperature: "36.5"}, "day"},
			{isolation.SiteFollowUpInput{Day: "2020-02-21", Slot: "am", Temperature: "36.5"}, "slot"},
			{isolation.SiteFollowUpInput{Slot: "noon", Temperature: "36.5"}, "slot"},
		} {
			res := post(y.ID, c.in)
			if res.Code != 422 || !strings.Contains(res.Body, `"field":"`+c.field+`"`) {
				t.Errorf("%+v: %d %s", c.in, res.Code, res.Body)
			}
		}
		if n := w.count(t, `SELECT COUNT(*) FROM followups WHERE observation_id = $1`, y.ObservationID); n != 1 {
			t.Errorf("%d follow-ups stored", n)
		}
		// A fever opens the alert and its transfer task, as for a cadre.
		res = post(y.ID, isolation.SiteFollowUpInput{Slot: "am", Temperature: "37.8", Symptoms: []string{"cough"}})
		res.Decode(t, &rec)
		if res.Code != 201 || rec.Alert == nil || rec.Alert.Stage != screening.StageOpened {
			t.Fatalf("fever: %d %s", res.Code, res.Body)
		}
		var tags string
		db.R.QueryRow(`SELECT tags FROM persons WHERE id = $1`, y.PersonID).Scan(&tags)
		if !strings.Contains(tags, "fever") {
			t.Errorf("fever tag missing: %q", tags)
		}
		// Another site's guest, an unknown stay: not found.
		for _, id := range []int64{away.ID, 9999} {
			if res := post(id, isolation.SiteFollowUpInput{Slot: "am", Temperature: "36.5"}); res.Code != 404 {
				t.Errorf("stay %d: %d", id, res.Code)
			}
		}
		// Once checked out, the person is followed up no more at the site.
		if res := w.cmd.JSON("POST", fmt.Sprintf("/api/v1/isolation/stays/%d/checkout", y2.ID), isolation.CheckoutInput{Reason: "other", Day: "2020-02-21"}); res.Code != 200 {
			t.Fatalf("checkout: %d %s", res.Code, res.Body)
		}
		if res := post(y2.ID, isolation.SiteFollowUpInput{Slot: "am", Temperature: "36.5"}); res.Code != 422 {
			t.Errorf("after check-out: %d %s", res.Code, res.Body)
		}
		if res := post(y2.ID, isolation.SiteFollowUpInput{Day: "2020-02-20", Slot: "pm", Temperature: "36.5"}); res.Code != 201 {
			t.Errorf("a day of the stay, typed late: %d %s", res.Code, res.Body)
		}

		// The round page: the due list on a phone, saved all at once.
		if res := staff.Get("/isolation/sites/1/followups?date=2020-02-22&slot=pm"); res.Code != 200 ||
			!strings.Contains(res.Body, fmt.Sprintf(`name="t.%d"`, y.ID)) {
			t.Fatalf("round page: %d", res.Code)
		}
		bad := form("date", "2020-02-22", "slot", "pm", fmt.Sprintf("t.%d", y.ID), "45")
		if res := staff.Form("/isolation/sites/1/followups", bad); res.Code != 422 ||
			!strings.Contains(res.Body, fmt.Sprintf(`id="e-t.%d"`, y.ID)) || !strings.Contains(res.Body, `value="45"`) {
			t.Errorf("bad round: %d", res.Code)
		}
		good := form("date", "2020-02-22", "slot", "pm", fmt.Sprintf("t.%d", y.ID), "36.9")
		if res := staff.Form("/isolation/sites/1/followups", good); res.Code != 303 {
			t.Errorf("round: %d %s", res.Code, res.Body)
		}
		if res := staff.Form(fmt.Sprintf("/isolation/sites/%d/followups", other.ID),
			form("date", "2020-02-22", "slot", "pm", fmt.Sprintf("t.%d", away.ID), "36.5")); res.Code != 404 {
			t.Errorf("round at another site: %d", res.Code)
		}
		var sd isolation.SiteDay
		staff.Get("/api/v1/isolation/sites/1?date=2020-02-22").Decode(t, &sd)
		if sd.Occupancy.Done != 2 || len(sd.Transfers) != 1 {
			t.Errorf("site day after the round: %+v, %d transfers", sd.Occupancy, len(sd.Transfers))
		}
	})
}
