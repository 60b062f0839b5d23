package screening

import (
	"encoding/json"
	"net/http"
	"net/url"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

type observeData struct {
	Person  Person
	Kinds   []option
	Reasons []option
	Rules   Rules
}

func (h *handlers) observePage(w http.ResponseWriter, r *http.Request, status int, personID int64, f *web.Form) error {
	pr, err := h.store.Get(r.Context(), auth.From(r.Context()), personID)
	if err != nil {
		return err
	}
	d := observeData{Person: pr, Kinds: choices(Kinds, "screening.kind.", false),
		Reasons: choices(Reasons, "screening.reason.", false), Rules: h.store.Rules(r.Context())}
	return h.env.Render.PageForm(w, r, status, "screening_observe", web.T(r, "screening.observe.title"), d, f)
}

// observeForm starts an observation from a person's page, with the basis
// date suggested from the latest arrival.
func (h *handlers) observeForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := h.store.Get(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	v := url.Values{"person_id": {itoa(id)}, "kind": {string(Home)}, "reason": {string(ForReturnee)},
		"start_date": {h.env.Today().String()}}
	if pr.HasTag(TagCloseContact) {
		v.Set("reason", string(ForCloseContact))
	}
	if len(pr.Travels) > 0 {
		v.Set("basis_date", pr.Travels[0].ArrivedOn.String())
	}
	return h.observePage(w, r, http.StatusOK, id, web.NewForm(v))
}

func (h *handlers) observeCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := ObservationInput{PersonID: formID(f, "person_id"), Kind: f.Get("kind"), Reason: f.Get("reason"),
		BasisDate: f.Get("basis_date"), StartDate: f.Get("start_date"), Notes: f.Get("notes")}
	o, err := h.store.Open(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.observePage(w, r, web.Status(errs.CodeOf(err)), in.PersonID, f)
	}
	web.Redirect(w, r, "/screening/observations/"+itoa(o.ID), "screening.observe.saved")
	return nil
}

type observationsData struct {
	Page      Page[Observation]
	Filter    ObsFilter
	States    []option
	Kinds     []option
	Divisions []option
	NextURL   string
	Date      string
}

func (h *handlers) observations(w http.ResponseWriter, r *http.Request) error {
	f, err := h.obsFilterOf(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	pg, err := h.store.Observations(r.Context(), p, f)
	if err != nil {
		return err
	}
	divs, err := h.divisionOptions(r.Context(), p, string(web.RequestLang(r)))
	if err != nil {
		return err
	}
	d := observationsData{Page: pg, Filter: f, States: choices(ObsStates, "screening.state.", true),
		Kinds: choices(Kinds, "screening.kind.", true), Divisions: divs, Date: f.Date.String()}
	if pg.Next != "" {
		q := r.URL.Query()
		q.Set("cursor", pg.Next)
		d.NextURL = "/screening/observations?" + q.Encode()
	}
	form := web.NewForm(r.URL.Query())
	form.Values.Set("date", f.Date.String())
	return h.env.Render.PageForm(w, r, http.StatusOK, "screening_observations", web.T(r, "screening.observations.title"), d, form)
}

func (h *handlers) obsFilterOf(r *http.Request) (ObsFilter, error) {
	q := r.URL.Query()
	d, div, err := h.asOf(r)
	f := ObsFilter{Date: d, DivisionID: div, State: ObsState(q.Get("state")), Kind: Kind(q.Get("kind")), Cursor: q.Get("cursor")}
	var fc errs.FieldCollector
	for _, fe := range errFields(err) {
		fc.Add(fe.Field, fe.Msg.Key, fe.Msg.Args...)
	}
	if f.State != "" && !f.State.Valid() {
		fc.Add("state", "errs.bad_choice")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		fc.Add("kind", "errs.bad_choice")
	}
	if f.Limit, err = queryLimit(r); err != nil {
		fc.Add("limit", "errs.bad_type")
	}
	return f, fc.Err()
}

type observationData struct {
	Obs        Observation
	Symptoms   []option
	Slots      []option
	Today      string
	Rules      Rules
	Days       []followDay
	Missed     int
	CanRelease bool
	OpenAlert  int64
}

// followDay is one day of the follow-up table.
type followDay struct {
	Day    storage.Date
	AM, PM *FollowUp
	Missed int // slots of the day missed by now
}

func (h *handlers) obsPage(w http.ResponseWriter, r *http.Request, status int, id int64, f *web.Form) error {
	o, err := h.store.GetObservation(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	rules := h.store.Rules(r.Context())
	// The page reads as of the configured day (the demo's 22 February),
	// else today.
	today, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	slot := AM
	if h.env.Now().In(h.env.Zone).Hour() >= 12 {
		slot = PM
	}
	// Each of the page's forms starts from its defaults; a rejected one
	// keeps what was typed.
	for k, v := range map[string]string{"day": today.String(), "slot": string(slot), "new_end": o.PlannedEnd.String(),
		"release_day": today.String()} {
		if _, ok := f.Values[k]; !ok {
			f.Values.Set(k, v)
		}
	}
	d := observationData{Obs: o, Symptoms: checked(choices(Symptoms, "screening.symptom.", false), f.Values["symptoms"]),
		Slots: choices(Slots, "screening.slot.", false), Today: today.String(), Rules: rules,
		CanRelease: o.ReleaseDue(today)}
	clock := rules.ClockAt(today, h.env.Today(), h.env.Now().In(h.env.Zone).Hour())
	d.Days, d.Missed = followDays(o, clock)
	for _, a := range o.Alerts {
		if a.Open() {
			d.OpenAlert = a.ID
		}
	}
	return h.env.Render.PageForm(w, r, status, "screening_observation", web.T(r, "screening.observation.title", o.ID), d, f)
}

// followDays lays out an observation's follow-ups by day, up to today or
// its end, newest first.
func followDays(o Observation, c Clock) ([]followDay, int) {
	byKey := map[slotKey]*FollowUp{}
	for i := range o.FollowUps {
		f := &o.FollowUps[i]
		byKey[slotKey{f.Day.String(), f.Slot}] = f
	}
	var days []followDay
	for d := o.StartDate; !d.After(c.Day.Time) && o.FollowUpDay(d); d = d.AddDays(1) {
		fd := followDay{Day: d, AM: byKey[slotKey{d.String(), AM}], PM: byKey[slotKey{d.String(), PM}]}
		for _, s := range Slots {
			if byKey[slotKey{d.String(), s}] == nil && slotPassed(d, s, c) {
				fd.Missed++
			}
		}
		days = append([]followDay{fd}, days...)
	}
	return days, o.Missed(doneSet(o.FollowUps), c)
}

func (h *handlers) observation(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.obsPage(w, r, http.StatusOK, id, web.NewForm(url.Values{}))
}

// obsAction runs a write from the observation page; act returns the flash
// message to show after it.
func (h *handlers) obsAction(w http.ResponseWriter, r *http.Request, act func(id int64, f *web.Form) (string, error)) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	flash, err := act(id, f)
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.obsPage(w, r, web.Status(errs.CodeOf(err)), id, f)
	}
	web.Redirect(w, r, "/screening/observations/"+itoa(id), flash)
	return nil
}

func (h *handlers) followUpAdd(w http.ResponseWriter, r *http.Request) error {
	return h.obsAction(w, r, func(id int64, f *web.Form) (string, error) {
		rec, err := h.store.RecordFollowUp(r.Context(), auth.From(r.Context()), FollowUpInput{ObservationID: id,
			Day: f.Get("day"), Slot: f.Get("slot"), Temperature: json.Number(f.Get("temperature")),
			Symptoms: f.Values["symptoms"], Note: f.Get("note")})
		switch {
		case err != nil:
			return "", err
		case rec.Alert != nil:
			return "screening.followup.alert_opened", nil
		case rec.FollowUp.Alarm:
			return "screening.followup.alert_attached", nil
		}
		return "screening.followup.saved", nil
	})
}

func (h *handlers) adjust(w http.ResponseWriter, r *http.Request) error {
	return h.obsAction(w, r, func(id int64, f *web.Form) (string, error) {
		_, err := h.store.Adjust(r.Context(), auth.From(r.Context()), id, AdjustInput{NewEnd: f.Get("new_end"),
			Reason: f.Get("reason"), Version: formID(f, "version")})
		return "screening.adjust.saved", err
	})
}

func (h *handlers) release(w http.ResponseWriter, r *http.Request) error {
	return h.obsAction(w, r, func(id int64, f *web.Form) (string, error) {
		_, err := h.store.Release(r.Context(), auth.From(r.Context()), id, ReleaseInput{Day: f.Get("release_day"), Note: f.Get("note")})
		if e := errs.As(err); e.Code == errs.Invalid {
			for i := range e.Fields {
				if e.Fields[i].Field == "day" {
					e.Fields[i].Field = "release_day"
				}
			}
		}
		return "screening.release.saved", err
	})
}

type noticesData struct {
	Kind     string
	Notices  []Notice
	Date     string
	Division string
	Today    string
}

// noticeOne prints one observation's notice or release certificate.
func (h *handlers) noticeOne(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	kind := noticeKind(r)
	n, err := h.store.NoticeOne(r.Context(), auth.From(r.Context()), kind, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	d := noticesData{Kind: kind, Notices: []Notice{n}, Today: h.env.Today().String()}
	return h.env.Render.Page(w, r, http.StatusOK, "screening_notices", web.T(r, NoticeTitle(kind)), d)
}

func noticeKind(r *http.Request) string {
	if r.URL.Query().Get("kind") == NoticeRelease {
		return NoticeRelease
	}
	return NoticeObservation
}

// noticesBulk prints a division's notices (observations started on the day)
// or release certificates (released on the day) as one page, one notice per
// printed sheet.
func (h *handlers) noticesBulk(w http.ResponseWriter, r *http.Request) error {
	d, div, err := h.asOf(r)
	if err != nil {
		return err
	}
	kind := noticeKind(r)
	ns, err := h.store.Notices(r.Context(), auth.From(r.Context()), NoticeFilter{Kind: kind, DivisionID: div, Date: d})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	data := noticesData{Kind: kind, Notices: ns, Date: d.String(), Today: h.env.Today().String()}
	if div != 0 && len(ns) > 0 {
		data.Division = ns[0].Village.Name(string(web.RequestLang(r)))
	}
	return h.env.Render.Page(w, r, http.StatusOK, "screening_notices", web.T(r, NoticeTitle(kind)), data)
}
