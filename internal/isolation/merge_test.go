package isolation_test

import (
	"fmt"
	"testing"

	"fangkong/internal/isolation"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/tracing"
)

// Merging two records of one person keeps everything: the stays and the
// exposures (at both ends) move to the kept record in the merge's
// transaction; an exposure between the two records goes, audited.
func TestMergeKeepsStaysAndExposures(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, 1, 1, 1)
		a, b := w.person(t, "重复甲"), w.person(t, "重复乙")
		x, y, c := w.person(t, "来源"), w.person(t, "接触"), w.person(t, "另一来源")
		ya := w.admit(t, a, 0, "2020-02-01", "2020-02-01")
		if res := w.cmd.JSON("POST", fmt.Sprintf("/api/v1/isolation/stays/%d/checkout", ya.ID), isolation.CheckoutInput{Day: "2020-02-16"}); res.Code != 200 {
			t.Fatalf("checkout: %d %s", res.Code, res.Body)
		}
		yb := w.admit(t, b, 1, "2020-02-17", "2020-02-16")
		exposures := map[string][2]int64{"x-a": {x, a}, "a-y": {a, y}, "a-b": {a, b}, "c-b": {c, b}, "b-a": {b, a}}
		ids := map[string]int64{}
		for k, e := range exposures {
			var ex tracing.Exposure
			res := w.cmd.JSON("POST", "/api/v1/tracing/exposures", tracing.ExposureInput{SourceID: e[0], ContactID: e[1],
				Kind: "household", Day: "2020-02-05"})
			if res.Code != 201 {
				t.Fatalf("exposure %s: %d %s", k, res.Code, res.Body)
			}
			res.Decode(t, &ex)
			ids[k] = ex.ID
		}

		// The kept record b's open stay and a's closed one: the merge goes through.
		res := w.cmd.JSON("POST", fmt.Sprintf("/api/v1/persons/%d/merge", b), map[string]any{"other_id": a, "reason": "重复登记"})
		if res.Code != 200 {
			t.Fatalf("merge: %d %s", res.Code, res.Body)
		}
		for _, st := range []int64{ya.ID, yb.ID} {
			if n := w.count(t, `SELECT COUNT(*) FROM isolation_stays WHERE id = $1 AND person_id = $2`, st, b); n != 1 {
				t.Errorf("stay %d did not move to the kept record", st)
			}
		}
		want := map[string][2]int64{"x-a": {x, b}, "a-y": {b, y}, "c-b": {c, b}}
		for k, e := range want {
			if n := w.count(t, `SELECT COUNT(*) FROM tracing_exposures WHERE id = $1 AND source_id = $2 AND contact_id = $3`,
				ids[k], e[0], e[1]); n != 1 {
				t.Errorf("exposure %s is not %d→%d", k, e[0], e[1])
			}
		}
		if n := w.count(t, `SELECT COUNT(*) FROM tracing_exposures WHERE source_id = $1 OR contact_id = $1 OR source_id = contact_id`, a); n != 0 {
			t.Errorf("%d exposures still name the merged record or one person twice", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'tracing_exposure' AND action = 'delete'`); n != 2 {
			t.Errorf("%d audited deletions of self-exposures, want 2", n)
		}
		for _, entity := range []string{"isolation_stay", "tracing_exposure", "person"} {
			if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND action = 'merge'`, entity); n != 1 {
				t.Errorf("%d merge audit entries for %s", n, entity)
			}
		}
		// The site's page still shows b staying.
		var sd isolation.SiteDay
		w.cmd.Get("/api/v1/isolation/sites/1").Decode(t, &sd)
		if len(sd.Rows) != 1 || sd.Rows[0].Stay.PersonID != b {
			t.Errorf("site rows after the merge: %+v", sd.Rows)
		}
	})
}

// A step refusing the merge undoes all of it: screening's moves too.
func TestRefusedMergeStepUndoesTheMerge(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, 1, 1)
		a, b := w.person(t, "甲"), w.person(t, "乙")
		ya := w.admit(t, a, 0, "2020-02-17", "2020-02-16")
		w.admit(t, b, 1, "2020-02-17", "2020-02-16")
		// Old data: a's observation ended without its stay (before stays and
		// observations followed each other).
		if _, err := db.W.Exec(`UPDATE observations SET status = 'released', end_date = '2020-02-21' WHERE id = $1`, ya.ObservationID); err != nil {
			t.Fatal(err)
		}
		res := w.cmd.JSON("POST", fmt.Sprintf("/api/v1/persons/%d/merge", b), map[string]any{"other_id": a})
		if res.Code != 409 {
			t.Fatalf("merge of two people in two beds: %d %s", res.Code, res.Body)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM persons WHERE merged_into IS NOT NULL`); n != 0 {
			t.Errorf("%d records marked merged", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM observations WHERE id = $1 AND person_id = $2`, ya.ObservationID, a); n != 1 {
			t.Errorf("the observation moved")
		}
	})
}
