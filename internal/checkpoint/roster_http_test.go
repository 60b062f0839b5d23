package checkpoint_test

import (
	"fmt"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// rosterWeek is the Monday-to-Sunday week of the test servers' "now".
var rosterWeek = map[string]any{"from": "2020-02-17", "to": "2020-02-23"}

func addPeople(t *testing.T, c *apptest.Client, div int64, n int, prefix string) []checkpoint.DutyPerson {
	t.Helper()
	var out []checkpoint.DutyPerson
	for i := range n {
		res := c.JSON("POST", "/api/v1/duty-people", map[string]any{"division_id": div, "name": fmt.Sprintf("%s%d", prefix, i+1),
			"phone": fmt.Sprintf("1381234%04d", i), "kind": "volunteer", "available": true})
		assertResponse(t, res, 201)
		var p checkpoint.DutyPerson
		res.Decode(t, &p)
		out = append(out, p)
	}
	return out
}

func getRoster(t *testing.T, c *apptest.Client, cp int64) checkpoint.Roster {
	t.Helper()
	res := c.Get(fmt.Sprintf("/api/v1/checkpoints/%d/roster?from=2020-02-17&to=2020-02-23", cp))
	assertResponse(t, res, 200)
	var r checkpoint.Roster
	res.Decode(t, &r)
	return r
}

func TestRosterThroughTheRouter(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, apptest.New(t, db))
		addPeople(t, w.cmd, w.srv.Fix.Dongwang.ID, 8, "东汪志愿者")
		gen := fmt.Sprintf("/api/v1/checkpoints/%d/roster/generate", w.dongwang.ID)

		t.Run("a week is generated with no gaps and the rules held", func(t *testing.T) {
			res := w.cmd.JSON("POST", gen, rosterWeek)
			assertResponse(t, res, 200)
			var g checkpoint.GenerateResult
			res.Decode(t, &g)
			if len(g.Gaps) != 0 || len(g.Duties) != 42 {
				t.Fatalf("generated %d duties, gaps %+v", len(g.Duties), g.Gaps)
			}
			r := getRoster(t, w.cmd, w.dongwang.ID)
			if len(r.Shifts) != 21 || r.Gaps != 0 || r.Breaks != 0 {
				t.Fatalf("roster: %d shifts, %d gaps, %d breaks", len(r.Shifts), r.Gaps, r.Breaks)
			}
			for _, s := range r.Shifts {
				if len(s.People) < 2 {
					t.Errorf("shift %v has %d people", s.Start, len(s.People))
				}
				for _, p := range s.People {
					if p.Phone == "" || p.Phone[3:7] != "****" {
						t.Errorf("phone not masked: %q", p.Phone)
					}
				}
			}
			res = w.cmd.JSON("POST", gen, rosterWeek)
			res.Decode(t, &g)
			if len(g.Duties) != 0 {
				t.Errorf("a second run added %d duties", len(g.Duties))
			}
		})

		t.Run("an edit that breaks the rest rule is refused, or kept and flagged when overridden", func(t *testing.T) {
			r := getRoster(t, w.cmd, w.dongwang.ID)
			first, next := r.Shifts[0], r.Shifts[1]
			person := first.People[0].PersonID
			for _, p := range next.People {
				if p.PersonID == person {
					t.Fatal("the generator put one person on back-to-back shifts")
				}
			}
			path := fmt.Sprintf("/api/v1/shifts/%d/assignments", next.ID)
			assertResponse(t, w.cmd.JSON("POST", path, map[string]any{"person_id": person}), 422, "person_id")
			res := w.cmd.JSON("POST", path, map[string]any{"person_id": person, "override": true})
			assertResponse(t, res, 201)
			if r := getRoster(t, w.cmd, w.dongwang.ID); r.Breaks != 1 || len(r.Shifts[1].Issues) != 1 || r.Shifts[1].Issues[0].Kind != "rest" {
				t.Errorf("override not flagged: %d breaks, %+v", r.Breaks, r.Shifts[1].Issues)
			}
			var a checkpoint.Assignment
			res.Decode(t, &a)
			assertResponse(t, w.cmd.Do("DELETE", fmt.Sprintf("/api/v1/assignments/%d", a.ID), nil, ""), 204)
			if r := getRoster(t, w.cmd, w.dongwang.ID); r.Breaks != 0 {
				t.Errorf("still %d breaks after removing", r.Breaks)
			}
		})

		t.Run("a checkpoint account cannot edit another checkpoint's roster, nor its own", func(t *testing.T) {
			staff := w.srv.As(t, apptest.CheckpointStaff)
			fengGen := fmt.Sprintf("/api/v1/checkpoints/%d/roster/generate", w.feng.ID)
			assertResponse(t, staff.JSON("POST", fengGen, rosterWeek), 403) // the route's permission
			assertResponse(t, staff.Get(fmt.Sprintf("/api/v1/checkpoints/%d/roster", w.feng.ID)), 404)
			assertResponse(t, staff.Get(fmt.Sprintf("/api/v1/checkpoints/%d/roster?from=2020-02-17", w.dongwang.ID)), 200)
			admin := w.srv.As(t, apptest.AdminFenghuang)
			assertResponse(t, admin.JSON("POST", gen, rosterWeek), 404)
			r := getRoster(t, w.cmd, w.dongwang.ID)
			assertResponse(t, admin.JSON("POST", fmt.Sprintf("/api/v1/shifts/%d/assignments", r.Shifts[0].ID),
				map[string]any{"person_id": r.Shifts[0].People[0].PersonID}), 404)
			res := w.srv.As(t, apptest.AdminDongwang).JSON("POST", fmt.Sprintf("/checkpoints/%d/roster/generate", w.feng.ID), nil)
			if res.Code != 404 && res.Code != 403 {
				t.Errorf("admin of another township generating by the page: %d", res.Code)
			}
		})

		t.Run("duty check-in from the phone", func(t *testing.T) {
			staff := w.srv.As(t, apptest.CheckpointStaff)
			in := fmt.Sprintf("/api/v1/checkpoints/%d/duty/checkin", w.dongwang.ID)
			assertResponse(t, staff.JSON("POST", in, nil), 409) // linked to nobody yet
			res := w.cmd.JSON("POST", "/api/v1/duty-people", map[string]any{"division_id": w.srv.Fix.Dongwang.ID, "name": "卡口值守员",
				"kind": "cadre", "username": apptest.CheckpointStaff, "available": true})
			assertResponse(t, res, 201)
			var me checkpoint.DutyPerson
			res.Decode(t, &me)
			var mine checkpoint.MyDuty // linked, no shift yet: the page says who, not "ask for a link"
			staff.Get(fmt.Sprintf("/api/v1/checkpoints/%d/duty", w.dongwang.ID)).Decode(t, &mine)
			if mine.Person == nil || mine.Person.ID != me.ID || mine.Current != nil || len(mine.Next) != 0 {
				t.Errorf("linked without shifts: %+v", mine)
			}
			r := getRoster(t, w.cmd, w.dongwang.ID)
			var now checkpoint.RosterShift // 2020-02-22 10:00 UTC is 18:00, the 16–24 shift
			for _, s := range r.Shifts {
				if !s.Start.After(apptest.Today) && s.End.After(apptest.Today) {
					now = s
				}
			}
			assertResponse(t, w.cmd.JSON("POST", fmt.Sprintf("/api/v1/shifts/%d/assignments", now.ID), map[string]any{"person_id": me.ID}), 201)
			var fig checkpoint.DutyFigures
			w.cmd.Get("/api/v1/duty/figures?date=2020-02-22").Decode(t, &fig)
			if len(fig.Unattended) != 2 || fig.GapsNow != 0 {
				t.Errorf("before check-in: %+v", fig)
			}
			assertResponse(t, staff.JSON("POST", in, nil), 200)
			w.cmd.Get("/api/v1/duty/figures?date=2020-02-22").Decode(t, &fig)
			if len(fig.Unattended) != 1 || fig.Unattended[0].ID != w.feng.ID {
				t.Errorf("after check-in, unattended: %+v", fig.Unattended)
			}
			if fig.GapsNext != 0 {
				t.Errorf("gaps in the next 24 h: %d", fig.GapsNext)
			}
			if res := staff.Get(fmt.Sprintf("/checkpoints/%d/duty", w.dongwang.ID)); res.Code != 200 {
				t.Errorf("duty page: %d", res.Code)
			}
			assertResponse(t, staff.JSON("POST", fmt.Sprintf("/api/v1/checkpoints/%d/duty/checkout", w.dongwang.ID), nil), 200)
			assertResponse(t, staff.JSON("POST", fmt.Sprintf("/api/v1/checkpoints/%d/duty/checkout", w.dongwang.ID), nil), 409)
		})

		t.Run("the roster, print and pool pages render", func(t *testing.T) {
			for _, path := range []string{"/checkpoints/1/roster?week=2020-02-17", "/checkpoints/1/roster/print?week=2020-02-17", "/duty-people"} {
				if res := w.cmd.Get(path); res.Code != 200 {
					t.Errorf("%s: %d %s", path, res.Code, res.Body)
				}
			}
			res := w.cmd.Get("/checkpoints/1/roster/print?week=2020-02-17")
			if body := string(res.Body); !strings.Contains(body, "东汪志愿者") {
				t.Error("print page without names")
			}
		})
	})
}
