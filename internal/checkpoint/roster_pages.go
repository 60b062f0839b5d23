package checkpoint

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// rosterDay is one day of the roster page.
type rosterDay struct {
	Date   storage.Date
	Shifts []shiftRow
}

// shiftRow is a shift as the page shows it, times in county time.
type shiftRow struct {
	RosterShift
	Label string // "08:00–16:00"
	Now   bool   // in progress
}

type rosterData struct {
	Roster         Roster
	Days           []rosterDay
	Pool           []DutyPerson
	CanEdit        bool
	Week, Prev     string
	Next           string
	Kinds          []PatternKind
	RestH, WeekMax int
}

// rosterData builds the roster page's data for the week asked for.
func (h *handlers) rosterData(r *http.Request) (rosterData, error) {
	var d rosterData
	id, err := web.PathID(r, "id")
	if err != nil {
		return d, err
	}
	from, _, err := h.weekRange(r, "week", "")
	if err != nil {
		return d, err
	}
	from = DefaultRosterRules(h.env.Zone).weekOf(time.Date(from.Year(), from.Month(), from.Day(), 12, 0, 0, 0, h.env.Zone))
	p := auth.From(r.Context())
	ro, err := h.store.Roster(r.Context(), p, id, from, from.AddDays(6))
	if err != nil {
		return d, err
	}
	rules := h.store.RosterRules(r.Context())
	d = rosterData{Roster: ro, Week: from.String(), Prev: from.AddDays(-7).String(), Next: from.AddDays(7).String(),
		Kinds: []PatternKind{ThreeEight, TwoTwelve, Custom}, RestH: int(rules.Rest.Hours()), WeekMax: int(rules.WeekMax.Hours())}
	d.CanEdit = may(p, PermRosterWrite, ro.Checkpoint.ID, ro.Checkpoint.divisionPath)
	now := h.env.Now()
	for i := range 7 {
		d.Days = append(d.Days, rosterDay{Date: from.AddDays(i)})
	}
	for _, sh := range ro.Shifts {
		day := storage.DateOf(sh.Start, h.env.Zone).DaysSince(from)
		if day < 0 || day > 6 {
			continue
		}
		l := sh.Start.In(h.env.Zone).Format("15:04") + "–" + clockEnd(sh.End.In(h.env.Zone))
		d.Days[day].Shifts = append(d.Days[day].Shifts, shiftRow{RosterShift: sh, Label: l, Now: !now.Before(sh.Start) && now.Before(sh.End)})
	}
	if d.CanEdit {
		c := ro.Checkpoint
		pool, err := h.store.poolOf(r.Context(), h.env.DB.R, c)
		if err != nil {
			return d, err
		}
		for _, x := range pool {
			if x.Available {
				d.Pool = append(d.Pool, x.Masked())
			}
		}
	}
	return d, nil
}

// clockEnd writes an end time, midnight as 24:00.
func clockEnd(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 {
		return "24:00"
	}
	return t.Format("15:04")
}

func (h *handlers) rosterPage(w http.ResponseWriter, r *http.Request) error {
	return h.rosterRender(w, r, http.StatusOK, nil)
}

func (h *handlers) rosterRender(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	d, err := h.rosterData(r)
	if err != nil {
		return err
	}
	if f == nil {
		pt := d.Roster.Pattern
		f = web.NewForm(url.Values{"kind": {string(pt.Kind)}, "custom": {pt.Custom}, "min_staff": {strconv.Itoa(pt.MinStaff)}})
	}
	title := web.T(r, "checkpoint_roster.title", d.Roster.Checkpoint.Name)
	return h.env.Render.PageForm(w, r, status, "checkpoint_roster", title, d, f)
}

func (h *handlers) rosterPrint(w http.ResponseWriter, r *http.Request) error {
	d, err := h.rosterData(r)
	if err != nil {
		return err
	}
	title := web.T(r, "checkpoint_roster.title", d.Roster.Checkpoint.Name)
	return h.env.Render.Page(w, r, http.StatusOK, "checkpoint_roster_print", title, d)
}

// rosterBack is the roster page of the week a form was posted from.
func rosterBack(id int64, f *web.Form) string {
	u := "/checkpoints/" + itoa(id) + "/roster"
	if wk := f.Get("week"); wk != "" {
		u += "?week=" + url.QueryEscape(wk)
	}
	return u
}

// rosterFail re-renders the roster page with the form's error, or fails.
func (h *handlers) rosterFail(w http.ResponseWriter, r *http.Request, f *web.Form, err error) error {
	if !f.SetError(err) || errs.CodeOf(err) == errs.NotFound || errs.CodeOf(err) == errs.Forbidden {
		return err
	}
	q := r.URL.Query()
	q.Set("week", f.Get("week"))
	r.URL.RawQuery = q.Encode()
	return h.rosterRender(w, r, web.Status(errs.CodeOf(err)), f)
}

func (h *handlers) rosterPattern(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	min, _ := strconv.Atoi(f.Get("min_staff"))
	if _, err := h.store.SavePattern(authored(r), auth.From(r.Context()), id, PatternInput{Kind: f.Get("kind"), Custom: f.Get("custom"), MinStaff: min}); err != nil {
		return h.rosterFail(w, r, f, err)
	}
	web.Redirect(w, r, rosterBack(id, f), "checkpoint_roster.pattern_saved")
	return nil
}

func (h *handlers) rosterGenerate(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	from, err := storage.ParseDate(f.Get("week"))
	if err != nil {
		return h.rosterFail(w, r, f, errs.Field("week", "errs.bad_date"))
	}
	res, err := h.store.GenerateRoster(authored(r), auth.From(r.Context()), id, from, from.AddDays(6))
	if err != nil {
		return h.rosterFail(w, r, f, err)
	}
	key := "checkpoint_roster.generated"
	if len(res.Gaps) > 0 {
		key = "checkpoint_roster.generated_gaps"
	}
	web.Redirect(w, r, rosterBack(id, f), key)
	return nil
}

func (h *handlers) rosterAssign(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	shift, _ := strconv.ParseInt(f.Get("shift_id"), 10, 64)
	person, _ := strconv.ParseInt(f.Get("person_id"), 10, 64)
	sh, err := h.store.shiftAt(r.Context(), h.env.DB.R, shift)
	if err != nil || sh.CheckpointID != id {
		return errs.NotFoundf()
	}
	in := AssignInput{PersonID: person, Override: f.Get("override") != ""}
	if _, err := h.store.Assign(authored(r), auth.From(r.Context()), shift, in); err != nil {
		return h.rosterFail(w, r, f, err)
	}
	web.Redirect(w, r, rosterBack(id, f), "checkpoint_roster.assigned")
	return nil
}

func (h *handlers) rosterUnassign(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	aid, _ := strconv.ParseInt(f.Get("assignment_id"), 10, 64)
	if err := h.store.Unassign(authored(r), auth.From(r.Context()), aid); err != nil {
		return h.rosterFail(w, r, f, err)
	}
	web.Redirect(w, r, rosterBack(id, f), "checkpoint_roster.unassigned")
	return nil
}

// idForm reads the {id} path segment and the posted form.
func idForm(r *http.Request) (int64, *web.Form, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	f, err := web.ParseForm(r)
	return id, f, err
}

type dutyData struct {
	Checkpoint Checkpoint
	Duty       MyDuty
	Label      string
	Next       []string
}

func (h *handlers) dutyPage(w http.ResponseWriter, r *http.Request) error {
	return h.dutyRender(w, r, http.StatusOK, nil)
}

func (h *handlers) dutyRender(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	c, err := h.store.Get(r.Context(), p, id)
	if err != nil {
		return err
	}
	m, err := h.store.Duty(r.Context(), p, id)
	if err != nil {
		return err
	}
	d := dutyData{Checkpoint: c, Duty: m}
	label := func(s Shift) string {
		a := s.Start.In(h.env.Zone)
		return a.Format("01-02 15:04") + "–" + clockEnd(s.End.In(h.env.Zone))
	}
	if m.Current != nil {
		d.Label = label(m.Current.Shift)
	}
	for _, n := range m.Next {
		d.Next = append(d.Next, label(n.Shift))
	}
	if f == nil {
		f = web.NewForm(url.Values{})
	}
	return h.env.Render.PageForm(w, r, status, "checkpoint_roster_duty", web.T(r, "checkpoint_roster.duty_title"), d, f)
}

func (h *handlers) dutyPunch(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	key := "checkpoint_roster.checked_in"
	if f.Get("action") == "out" {
		_, err = h.store.CheckOut(authored(r), p, id)
		key = "checkpoint_roster.checked_out"
	} else {
		_, err = h.store.CheckIn(authored(r), p, id)
	}
	if err != nil {
		if !f.SetError(err) || errs.CodeOf(err) == errs.NotFound {
			return err
		}
		return h.dutyRender(w, r, web.Status(errs.CodeOf(err)), f)
	}
	web.Redirect(w, r, "/checkpoints/"+itoa(id)+"/duty", key)
	return nil
}

type peopleData struct {
	People    []DutyPerson
	Divisions []option
	Kinds     []PersonKind
}

func (h *handlers) peoplePage(w http.ResponseWriter, r *http.Request) error {
	return h.peopleRender(w, r, http.StatusOK, web.NewForm(url.Values{"kind": {string(Volunteer)}}))
}

func (h *handlers) peopleRender(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	p := auth.From(r.Context())
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	people, err := h.store.People(r.Context(), p, div)
	if err != nil {
		return err
	}
	for i := range people {
		people[i] = people[i].Masked()
	}
	divs, err := h.divisionOptions(r.Context(), p, PermRosterWrite, string(web.RequestLang(r)))
	if err != nil {
		return err
	}
	d := peopleData{People: people, Divisions: divs, Kinds: PersonKinds}
	return h.env.Render.PageForm(w, r, status, "checkpoint_roster_pool", web.T(r, "checkpoint_roster.pool_title"), d, f)
}

func (h *handlers) peopleAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	div, _ := strconv.ParseInt(f.Get("division_id"), 10, 64)
	in := PersonInput{DivisionID: div, Name: f.Get("name"), Phone: f.Get("phone"), Kind: f.Get("kind"), Username: f.Get("username"), Available: true}
	if _, err := h.store.SavePerson(authored(r), auth.From(r.Context()), 0, in); err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.peopleRender(w, r, web.Status(errs.CodeOf(err)), f)
	}
	web.Redirect(w, r, "/duty-people", "checkpoint_roster.person_saved")
	return nil
}

// peopleToggle switches a person's availability.
func (h *handlers) peopleToggle(w http.ResponseWriter, r *http.Request) error {
	id, f, err := idForm(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	people, err := h.store.People(r.Context(), p, 0)
	if err != nil {
		return err
	}
	for _, x := range people {
		if x.ID == id {
			in := PersonInput{DivisionID: x.DivisionID, Name: x.Name, Phone: x.Phone, Kind: string(x.Kind), Username: x.Username,
				Available: f.Get("available") == "1", Version: x.Version}
			if _, err := h.store.SavePerson(authored(r), p, id, in); err != nil {
				return err
			}
			web.Redirect(w, r, "/duty-people", "checkpoint_roster.person_saved")
			return nil
		}
	}
	return errs.NotFoundf()
}

// PatternOptions are the shift patterns for the pattern form.
func (d rosterData) PatternOptions() []option {
	var out []option
	for _, k := range d.Kinds {
		out = append(out, option{Value: string(k), Label: "checkpoint_roster.pattern." + string(k)})
	}
	return out
}

// KindOptions are the kinds of duty person for the pool form.
func (d peopleData) KindOptions() []option {
	var out []option
	for _, k := range d.Kinds {
		out = append(out, option{Value: string(k), Label: "checkpoint_roster.kind." + string(k)})
	}
	return out
}
