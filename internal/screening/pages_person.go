package screening

import (
	"net/http"
	"net/url"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

func (h *handlers) home(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/screening/overview", http.StatusSeeOther)
	return nil
}

type personsData struct {
	Page      Page[Person]
	Filter    PersonFilter
	Tags      []option
	Divisions []option
	NextURL   string
}

// persons is the register list.
func (h *handlers) persons(w http.ResponseWriter, r *http.Request) error {
	f, err := personFilterOf(r)
	if err != nil {
		return err
	}
	p, lang := auth.From(r.Context()), string(web.RequestLang(r))
	pg, err := h.store.List(r.Context(), p, f)
	if err != nil {
		return err
	}
	divs, err := h.divisionOptions(r.Context(), p, lang)
	if err != nil {
		return err
	}
	d := personsData{Page: pg, Filter: f, Tags: choices(Tags, "screening.tag.", true), Divisions: divs}
	if pg.Next != "" {
		q := r.URL.Query()
		q.Set("cursor", pg.Next)
		d.NextURL = "/screening/persons?" + q.Encode()
	}
	return h.env.Render.PageForm(w, r, http.StatusOK, "screening_persons", web.T(r, "screening.persons.title"), d,
		web.NewForm(r.URL.Query()))
}

func personFilterOf(r *http.Request) (PersonFilter, error) {
	q := r.URL.Query()
	f := PersonFilter{Tag: Tag(q.Get("tag")), Q: q.Get("q"), Source: Source(q.Get("source")), Cursor: q.Get("cursor")}
	var fc errs.FieldCollector
	if f.Tag != "" && !f.Tag.Valid() {
		fc.Add("tag", "errs.bad_choice")
	}
	var err error
	if f.DivisionID, err = queryID(r, "division"); err != nil {
		fc.Add("division", "errs.bad_type")
	}
	if f.Limit, err = queryLimit(r); err != nil {
		fc.Add("limit", "errs.bad_type")
	}
	return f, fc.Err()
}

type personFormData struct {
	ID         int64
	Villages   []option
	Tags       []option
	Transports []option
	Kinds      []option
	Reasons    []option
	Duplicate  *Duplicate
}

func (h *handlers) personFormPage(w http.ResponseWriter, r *http.Request, status int, id int64, f *web.Form, err error) error {
	p, lang := auth.From(r.Context()), string(web.RequestLang(r))
	vs, verr := h.villageOptions(r.Context(), p, lang)
	if verr != nil {
		return verr
	}
	d := personFormData{ID: id, Villages: vs, Tags: checked(choices(Tags, "screening.tag.", false), f.Values["tags"]),
		Transports: choices(Transports, "screening.transport.", false),
		Kinds:      append([]option{{Value: "", Label: "screening.observe_none"}}, choices(Kinds, "screening.kind.", false)...),
		Reasons:    choices(Reasons, "screening.reason.", false)}
	d.Transports = append([]option{{Value: "", Label: "screening.choose"}}, d.Transports...)
	d.Duplicate, _ = DuplicateOf(err)
	title := web.T(r, "screening.person.new_title")
	if id != 0 {
		title = web.T(r, "screening.person.edit_title")
	}
	return h.env.Render.PageForm(w, r, status, "screening_person_form", title, d, f)
}

func (h *handlers) personNew(w http.ResponseWriter, r *http.Request) error {
	v := url.Values{"screened_on": {h.env.Today().String()}, "tags": {string(TagReturnee)}, "observe.reason": {string(ForReturnee)}}
	if div := r.URL.Query().Get("division"); div != "" {
		v.Set("division_id", div)
	}
	return h.personFormPage(w, r, http.StatusOK, 0, web.NewForm(v), nil)
}

// personInputOf reads the cadre's form.
func personInputOf(f *web.Form) PersonInput {
	in := PersonInput{DivisionID: formID(f, "division_id"), Name: f.Get("name"), IDNumber: f.Get("id_number"),
		Phone: f.Get("phone"), Address: f.Get("address"), Workplace: f.Get("workplace"), Tags: f.Values["tags"],
		ScreenedOn: f.Get("screened_on"), Notes: f.Get("notes"), Version: formID(f, "version")}
	t := TravelInput{From: f.Get("travel.from"), Via: f.Get("travel.via"), Transport: f.Get("travel.transport"),
		TransportNo: f.Get("travel.transport_no"), ArrivedOn: f.Get("travel.arrived_on")}
	if !t.empty() {
		in.Travel = &t
	}
	if kind := f.Get("observe.kind"); kind != "" {
		o := ObservationInput{Kind: kind, Reason: f.Get("observe.reason"), BasisDate: f.Get("observe.basis_date"),
			StartDate: f.Get("observe.start_date")}
		if o.BasisDate == "" && (o.Reason == string(ForReturnee) || o.Reason == string(ForKeyRegion)) {
			o.BasisDate = t.ArrivedOn // a returnee's period counts from the arrival typed above
		}
		in.Observe = &o
	}
	return in
}

func (h *handlers) personCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	c, err := h.store.Create(r.Context(), auth.From(r.Context()), personInputOf(f))
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.personFormPage(w, r, web.Status(errs.CodeOf(err)), 0, f, err)
	}
	web.Redirect(w, r, "/screening/persons/"+itoa(c.Person.ID), "screening.person.saved")
	return nil
}

type personData struct {
	Person     Person
	Revealed   bool
	Active     *Observation
	Similar    []Person
	Transports []option
	Today      string
}

func (h *handlers) personPage(w http.ResponseWriter, r *http.Request, status int, pr Person, revealed bool, f *web.Form) error {
	p := auth.From(r.Context())
	d := personData{Person: pr, Revealed: revealed, Today: h.env.Today().String(),
		Transports: append([]option{{Value: "", Label: "screening.choose"}}, choices(Transports, "screening.transport.", false)...)}
	for i := range pr.Observations {
		if pr.Observations[i].Status == Active {
			d.Active = &pr.Observations[i]
			break
		}
	}
	if pr.MergedInto == 0 {
		// Similar records are looked up on the stored values, not the masked ones.
		full, err := h.store.getPerson(r.Context(), h.env.DB.R, p, PermRead, pr.ID)
		if err != nil {
			return err
		}
		if d.Similar, err = h.store.Similar(r.Context(), p, full); err != nil {
			return err
		}
	}
	if f == nil {
		f = web.NewForm(url.Values{})
	}
	return h.env.Render.PageForm(w, r, status, "screening_person", web.T(r, "screening.person.title", pr.ID), d, f)
}

func (h *handlers) person(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := h.store.Get(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return h.personPage(w, r, http.StatusOK, pr, false, nil)
}

// personReveal shows the full personal data once (a POST, so no prefetch
// can trigger a logged reveal).
func (h *handlers) personReveal(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := h.store.Reveal(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.personPage(w, r, http.StatusOK, pr, true, nil)
}

// personEdit opens the form on the full record, which is a reveal.
func (h *handlers) personEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	if _, err := h.store.writablePerson(r.Context(), h.env.DB.R, p, id); err != nil {
		return err
	}
	pr, err := h.store.Reveal(r.Context(), p, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	v := url.Values{"division_id": {itoa(pr.DivisionID)}, "name": {pr.Name}, "id_number": {pr.IDNumber},
		"phone": {pr.Phone}, "address": {pr.Address}, "workplace": {pr.Workplace}, "screened_on": {pr.ScreenedOn.String()},
		"notes": {pr.Notes}, "version": {itoa(pr.Version)}}
	for _, t := range pr.Tags {
		v.Add("tags", string(t))
	}
	return h.personFormPage(w, r, http.StatusOK, id, web.NewForm(v), nil)
}

func (h *handlers) personUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := personInputOf(f)
	in.Travel, in.Observe = nil, nil
	if _, err := h.store.Update(r.Context(), auth.From(r.Context()), id, in); err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.personFormPage(w, r, web.Status(errs.CodeOf(err)), id, f, err)
	}
	web.Redirect(w, r, "/screening/persons/"+itoa(id), "screening.person.saved")
	return nil
}

// personAction runs a write from the detail page and shows the page again
// with the form's errors, or redirects with a flash.
func (h *handlers) personAction(w http.ResponseWriter, r *http.Request, flash string, act func(id int64, f *web.Form) error) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if err := act(id, f); err != nil {
		if !f.Refused(err) {
			return err
		}
		pr, gerr := h.store.Get(r.Context(), auth.From(r.Context()), id)
		if gerr != nil {
			return gerr
		}
		return h.personPage(w, r, web.Status(errs.CodeOf(err)), pr, false, f)
	}
	web.Redirect(w, r, "/screening/persons/"+itoa(id), flash)
	return nil
}

func (h *handlers) travelAdd(w http.ResponseWriter, r *http.Request) error {
	return h.personAction(w, r, "screening.travel.saved", func(id int64, f *web.Form) error {
		_, err := h.store.AddTravel(r.Context(), auth.From(r.Context()), id, TravelInput{From: f.Get("from"), Via: f.Get("via"),
			Transport: f.Get("transport"), TransportNo: f.Get("transport_no"), ArrivedOn: f.Get("arrived_on")})
		return err
	})
}

func (h *handlers) personMerge(w http.ResponseWriter, r *http.Request) error {
	return h.personAction(w, r, "screening.merge.done", func(id int64, f *web.Form) error {
		_, err := h.store.Merge(r.Context(), auth.From(r.Context()), id, formID(f, "other_id"), f.Get("reason"))
		return err
	})
}
