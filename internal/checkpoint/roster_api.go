package checkpoint

import (
	"context"
	"strconv"
	"time"

	"net/http"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// registerRosters adds the duty pool, shift patterns, rosters, duty
// check-in and the dashboard panel (SPEC §5 "24小时轮流做好值守").
func registerRosters(rt *web.Router, h *handlers) {
	rt.Page("GET /duty-people", PermRosterWrite, h.peoplePage)
	rt.Page("POST /duty-people", PermRosterWrite, h.peopleAdd)
	rt.Page("POST /duty-people/{id}", PermRosterWrite, h.peopleToggle)
	rt.Page("GET /checkpoints/{id}/roster", auth.PermCheckpointRead, h.rosterPage)
	rt.Page("GET /checkpoints/{id}/roster/print", auth.PermCheckpointRead, h.rosterPrint)
	rt.Page("POST /checkpoints/{id}/roster/pattern", PermRosterWrite, h.rosterPattern)
	rt.Page("POST /checkpoints/{id}/roster/generate", PermRosterWrite, h.rosterGenerate)
	rt.Page("POST /checkpoints/{id}/roster/assign", PermRosterWrite, h.rosterAssign)
	rt.Page("POST /checkpoints/{id}/roster/unassign", PermRosterWrite, h.rosterUnassign)
	rt.Page("GET /checkpoints/{id}/duty", PermDutyCheckin, h.dutyPage)
	rt.Page("POST /checkpoints/{id}/duty", PermDutyCheckin, h.dutyPunch)

	rt.API("GET /api/v1/duty-people", PermRosterWrite, h.apiPeople, web.Doc{Summary: "The duty pool (volunteers, cadres, police) of the caller's territory, phones masked; ?division= narrows to a subtree.",
		Query: []string{"division"}, Out: PersonList{}})
	rt.API("POST /api/v1/duty-people", PermRosterWrite, h.apiPersonCreate, web.Doc{Summary: "Add a person to a township's duty pool.",
		In: PersonInput{}, Out: DutyPerson{}, Status: http.StatusCreated})
	rt.API("PUT /api/v1/duty-people/{id}", PermRosterWrite, web.WithID(http.StatusOK, h.store.SavePerson), web.Doc{Summary: "Change a duty person (availability, linked account …); version must match (409 otherwise).",
		In: PersonInput{}, Out: DutyPerson{}})
	rt.API("GET /api/v1/checkpoints/{id}/pattern", auth.PermCheckpointRead, web.ByID(h.store.Pattern), web.Doc{Summary: "A checkpoint's shift pattern (3x8 by default).", Out: Pattern{}})
	rt.API("PUT /api/v1/checkpoints/{id}/pattern", PermRosterWrite, web.WithID(http.StatusOK, h.store.SavePattern), web.Doc{Summary: "Set a checkpoint's shift pattern: 3x8, 2x12 or custom windows (\"06:00-14:00,14:00-22:00\"), and the minimum staff per shift.",
		In: PatternInput{}, Out: Pattern{}})
	rt.API("GET /api/v1/checkpoints/{id}/roster", auth.PermCheckpointRead, h.apiRoster, web.Doc{Summary: "A checkpoint's roster from..to (at most 31 days; default the current week), each shift with its people (phones masked), gaps and rule breaks.",
		Query: []string{"from", "to"}, Out: Roster{}})
	rt.API("POST /api/v1/checkpoints/{id}/roster/generate", PermRosterWrite, h.apiGenerate, web.Doc{Summary: "Lay the shift pattern over from..to and fill every short shift fairly from the pool (hours balanced, rest and weekly maximum held); answers the duties added and the gaps left.",
		In: GenerateRequest{}, Out: GenerateResult{}})
	rt.API("POST /api/v1/shifts/{id}/assignments", PermRosterWrite, h.apiAssign, web.Doc{Summary: "Put a pool person on a shift by hand. A duty breaking the rest rule, overlapping another or over the weekly maximum is refused (422 on person_id) unless override is true; an overridden duty stays flagged.",
		In: AssignInput{}, Out: Assignment{}, Status: http.StatusCreated})
	rt.API("DELETE /api/v1/assignments/{id}", PermRosterWrite, h.apiUnassign, web.Doc{Summary: "Take a person off a shift.", Status: http.StatusNoContent})
	rt.API("GET /api/v1/checkpoints/{id}/duty", PermDutyCheckin, web.ByID(h.store.Duty), web.Doc{Summary: "The caller's own current and next shifts at the checkpoint.", Out: MyDuty{}})
	rt.API("POST /api/v1/checkpoints/{id}/duty/checkin", PermDutyCheckin, h.apiCheckIn, web.Doc{Summary: "Check in for the caller's shift in progress (or starting within 30 minutes); 409 when not rostered now.",
		Out: Assignment{}})
	rt.API("POST /api/v1/checkpoints/{id}/duty/checkout", PermDutyCheckin, h.apiCheckOut, web.Doc{Summary: "Check out of the caller's checked-in shift; 409 when not checked in.",
		Out: Assignment{}})
	rt.API("GET /api/v1/duty/figures", auth.PermCheckpointRead, h.apiDutyFigures, web.Doc{Summary: "Roster gaps now and in the next 24 h, and open checkpoints with nobody checked in, in the caller's scope (now for today, the end of an earlier day).",
		Query: []string{"date"}, Out: DutyFigures{}})
	rt.Panel(dutyPanel(h.store))
	rt.Nav(web.NavItem{Key: "checkpoint_roster.nav", Href: "/duty-people", Perm: PermRosterWrite, Order: 31})
}

// PersonList is the duty pool answer.
type PersonList struct {
	Items []DutyPerson `json:"items"`
}

// GenerateRequest is the days to generate a roster for.
type GenerateRequest struct {
	From storage.Date `json:"from"`
	To   storage.Date `json:"to"`
}

func (h *handlers) apiPeople(w http.ResponseWriter, r *http.Request) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	list, err := h.store.People(r.Context(), auth.From(r.Context()), div)
	if err != nil {
		return err
	}
	for i := range list {
		list[i] = list[i].Masked()
	}
	return web.JSON(w, http.StatusOK, PersonList{Items: list})
}

func (h *handlers) apiPersonCreate(w http.ResponseWriter, r *http.Request) error {
	var in PersonInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	d, err := h.store.SavePerson(r.Context(), auth.From(r.Context()), 0, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, d)
}

// weekRange reads ?from=&to=, defaulting to the week (Monday–Sunday) of the
// as-of day.
func (h *handlers) weekRange(r *http.Request, fromKey, toKey string) (storage.Date, storage.Date, error) {
	q := r.URL.Query()
	if q.Get(fromKey) == "" {
		day, err := h.env.AsOf(r)
		if err != nil {
			day = h.env.Today()
		}
		mon := DefaultRosterRules(h.env.Zone).weekOf(time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, h.env.Zone))
		return mon, mon.AddDays(6), nil
	}
	from, err := storage.ParseDate(q.Get(fromKey))
	if err != nil {
		return from, from, errs.Field(fromKey, "errs.bad_date")
	}
	to := from.AddDays(6)
	if q.Get(toKey) != "" {
		if to, err = storage.ParseDate(q.Get(toKey)); err != nil {
			return from, to, errs.Field(toKey, "errs.bad_date")
		}
	}
	return from, to, nil
}

func (h *handlers) apiRoster(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	from, to, err := h.weekRange(r, "from", "to")
	if err != nil {
		return err
	}
	ro, err := h.store.Roster(r.Context(), auth.From(r.Context()), id, from, to)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, ro)
}

func (h *handlers) apiGenerate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in GenerateRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	res, err := h.store.GenerateRoster(authored(r), auth.From(r.Context()), id, in.From, in.To)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, res)
}

func (h *handlers) apiAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in AssignInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	a, err := h.store.Assign(authored(r), auth.From(r.Context()), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, a)
}

func (h *handlers) apiUnassign(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.store.Unassign(authored(r), auth.From(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *handlers) apiCheckIn(w http.ResponseWriter, r *http.Request) error {
	return h.apiPunch(w, r, true)
}
func (h *handlers) apiCheckOut(w http.ResponseWriter, r *http.Request) error {
	return h.apiPunch(w, r, false)
}

func (h *handlers) apiPunch(w http.ResponseWriter, r *http.Request, in bool) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	var a Assignment
	if in {
		a, err = h.store.CheckIn(authored(r), p, id)
	} else {
		a, err = h.store.CheckOut(authored(r), p, id)
	}
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, a)
}

func (h *handlers) apiDutyFigures(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	f, err := h.store.DutyFigures(r.Context(), auth.From(r.Context()), d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, f)
}

// dutyPanel puts the roster gaps and the unattended checkpoints on the
// command dashboard.
func dutyPanel(st *Store) web.PanelSource {
	return web.PanelSource{Order: 31, Perm: auth.PermCheckpointRead,
		Load: func(ctx context.Context, p *auth.Principal, d storage.Date) (web.Panel, error) {
			f, err := st.DutyFigures(ctx, p, d)
			if err != nil {
				return web.Panel{}, err
			}
			return web.Panel{Title: i18n.Msg{Key: "checkpoint_roster.panel.title"}, More: "/checkpoints?date=" + d.String(), Tiles: []web.Tile{
				{Label: i18n.Msg{Key: "checkpoint_roster.panel.gaps_now"}, Value: strconv.Itoa(f.GapsNow), Hot: f.GapsNow > 0, Fig: "roster_gaps_now", Href: "/checkpoints"},
				{Label: i18n.Msg{Key: "checkpoint_roster.panel.gaps_next"}, Value: strconv.Itoa(f.GapsNext), Hot: f.GapsNext > 0, Fig: "roster_gaps_next24h", Href: "/checkpoints"},
				{Label: i18n.Msg{Key: "checkpoint_roster.panel.unattended"}, Value: strconv.Itoa(len(f.Unattended)), Hot: len(f.Unattended) > 0, Fig: "checkpoints_unattended", Href: "/checkpoints"},
			}}, nil
		}}
}
