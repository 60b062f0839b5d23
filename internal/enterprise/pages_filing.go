package enterprise

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// filingFormData is the filing form: for a new filing, or a returned one filed again.
type filingFormData struct {
	Enterprise Enterprise
	Filing     *Filing // the returned filing being changed, nil for a new one
	Mode       Mode
	Measures   []Measure
	Action     string
}

func (h *handlers) filingFormPage(w http.ResponseWriter, r *http.Request, status int, e Enterprise, old *Filing, f *web.Form) error {
	d := filingFormData{Enterprise: e, Filing: old, Mode: h.store.Mode(r.Context()), Measures: Measures,
		Action: "/enterprises/" + itoa(e.ID) + "/filings"}
	if old != nil {
		d.Action += "/" + itoa(old.ID)
	}
	return h.env.Render.PageForm(w, r, status, "enterprise_filing_form", web.T(r, "enterprise.filing_title", e.Name), d, f)
}

// fileable loads the enterprise of {id} for someone acting for it.
func (h *handlers) fileable(r *http.Request) (Enterprise, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return Enterprise{}, err
	}
	e, err := h.store.reach(r.Context(), h.env.DB.R, auth.From(r.Context()), auth.PermEnterpriseFile, id)
	return e.Masked(), err
}

func (h *handlers) filingForm(w http.ResponseWriter, r *http.Request) error {
	e, err := h.fileable(r)
	if err != nil {
		return err
	}
	if e.FilingID != 0 && e.Status != Refused {
		http.Redirect(w, r, "/enterprises/"+itoa(e.ID)+"/filings/"+itoa(e.FilingID), http.StatusSeeOther)
		return nil
	}
	v := url.Values{"planned_date": {h.env.Today().String()}, "expected_local": {strconv.FormatInt(e.Employees, 10)}}
	return h.filingFormPage(w, r, http.StatusOK, e, nil, web.NewForm(v))
}

func (h *handlers) submitFiling(w http.ResponseWriter, r *http.Request) error {
	e, err := h.fileable(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	fl, err := h.store.Submit(r.Context(), auth.From(r.Context()), e.ID, filingInputOf(f))
	if err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.filingFormPage(w, r, web.Status(errs.CodeOf(err)), e, nil, f)
	}
	web.Redirect(w, r, "/enterprises/"+itoa(e.ID)+"/filings/"+itoa(fl.ID), "enterprise.filing_saved")
	return nil
}

// filingInputOf reads the filing form: each measure is a checkbox
// measure_<key> with its evidence in measure_<key>_note.
func filingInputOf(f *web.Form) FilingInput {
	in := FilingInput{PlannedDate: f.Get("planned_date"), IsolationArea: f.Get("isolation_area") == "1",
		IsolationNote: f.Get("isolation_note"), Commitment: f.Get("commitment") == "1", Notes: f.Get("notes")}
	in.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	for _, m := range Measures {
		in.Measures = append(in.Measures, MeasureCheck{Measure: m, Done: f.Get(measureField(m)) == "1",
			Note: f.Get(measureField(m) + "_note")})
	}
	for _, c := range []struct {
		field string
		dst   *int64
	}{{"expected_local", &in.ExpectedLocal}, {"expected_outside", &in.ExpectedOutside},
		{"expected_key_regions", &in.ExpectedKeyRegions}, {"masks_days", &in.MasksDays},
		{"thermometers", &in.Thermometers}, {"disinfectant_days", &in.DisinfectantDays}} {
		formInt(&in.bad, c.field, f.Get(c.field), c.dst)
	}
	return in
}

// filingValues fills the form from a filing (to change a returned one).
func filingValues(fl Filing) url.Values {
	n := func(x int64) []string { return []string{strconv.FormatInt(x, 10)} }
	v := url.Values{"planned_date": {fl.PlannedDate.String()}, "expected_local": n(fl.ExpectedLocal),
		"expected_outside": n(fl.ExpectedOutside), "expected_key_regions": n(fl.ExpectedKeyRegions),
		"masks_days": n(fl.MasksDays), "thermometers": n(fl.Thermometers), "disinfectant_days": n(fl.DisinfectantDays),
		"isolation_area": {flag(fl.IsolationArea)}, "isolation_note": {fl.IsolationNote}, "commitment": {flag(fl.Commitment)},
		"notes": {fl.Notes}, "version": n(fl.Version)}
	for _, m := range fl.Measures {
		v.Set(measureField(m.Measure), flag(m.Done))
		v.Set(measureField(m.Measure)+"_note", m.Note)
	}
	return v
}

func (h *handlers) refileForm(w http.ResponseWriter, r *http.Request) error {
	e, err := h.fileable(r)
	if err != nil {
		return err
	}
	fid, err := web.PathID(r, "fid")
	if err != nil {
		return err
	}
	fl, err := h.store.Filing(r.Context(), auth.From(r.Context()), e.ID, fid)
	if err != nil {
		return err
	}
	if fl.Status != FStatusReturned {
		return errs.New(errs.Conflict, "enterprise.err.bad_step")
	}
	return h.filingFormPage(w, r, http.StatusOK, e, &fl, web.NewForm(filingValues(fl)))
}

func (h *handlers) refile(w http.ResponseWriter, r *http.Request) error {
	e, err := h.fileable(r)
	if err != nil {
		return err
	}
	fid, err := web.PathID(r, "fid")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	if _, err := h.store.Resubmit(r.Context(), p, e.ID, fid, filingInputOf(f)); err != nil {
		if !f.Refused(err) {
			return err
		}
		old, gerr := h.store.Filing(r.Context(), p, e.ID, fid)
		if gerr != nil {
			return gerr
		}
		return h.filingFormPage(w, r, web.Status(errs.CodeOf(err)), e, &old, f)
	}
	web.Redirect(w, r, "/enterprises/"+itoa(e.ID)+"/filings/"+itoa(fid), "enterprise.filing_saved")
	return nil
}

// filingData is the filing page with the township's and county's forms.
type filingData struct {
	Enterprise Enterprise
	Filing     Filing
	Age        int
	Overdue    bool
	Limit      int
	CanReview  bool // the township's step is open to the viewer
	CanDecide  bool // the county's step is open to the viewer
	CanRefile  bool
	Own        bool // the viewer filed it: no review or decision for them
	Reviews    []option
	Decisions  []option
}

func (h *handlers) filingPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	id, fid, err := ids(r, "fid")
	if err != nil {
		return err
	}
	ctx, p := r.Context(), auth.From(r.Context())
	e, err := h.store.Get(ctx, p, id)
	if err != nil {
		return err
	}
	fl, err := h.store.Filing(ctx, p, id, fid)
	if err != nil {
		return err
	}
	asOf, aerr := h.env.AsOf(r)
	if aerr != nil {
		asOf = h.env.Today()
	}
	d := filingData{Enterprise: e, Filing: fl, Limit: h.store.AnswerDays(ctx),
		Reviews:   []option{{Value: "pass", Label: "enterprise.action.pass"}, {Value: "return", Label: "enterprise.action.return"}},
		Decisions: []option{{Value: "approve", Label: "enterprise.action.approve"}, {Value: "return", Label: "enterprise.action.return"}, {Value: "refuse", Label: "enterprise.action.refuse"}}}
	if fl.Pending() {
		d.Age = h.store.Calendar(ctx).WorkingDays(fl.SubmittedOn, asOf)
		d.Overdue = d.Age > d.Limit
	}
	for _, ev := range fl.Events {
		if (ev.Step == StepSubmit || ev.Step == StepResubmit) && ev.Actor == username(p) {
			d.Own = true
		}
	}
	d.CanReview = fl.Status == FStatusFiled && can(p, auth.PermEnterpriseReview, e) && !d.Own
	d.CanDecide = fl.Status == FStatusTownshipPassed && can(p, auth.PermEnterpriseDecide, e) && !d.Own
	d.CanRefile = fl.Status == FStatusReturned && can(p, auth.PermEnterpriseFile, e)
	if f == nil {
		f = web.NewForm(url.Values{"action": {"pass"}})
		if d.CanDecide {
			f = web.NewForm(url.Values{"action": {"approve"}})
		}
	}
	return h.env.Render.PageForm(w, r, status, "enterprise_filing", web.T(r, "enterprise.filing_no", fl.ID, e.Name), d, f)
}

func (h *handlers) filing(w http.ResponseWriter, r *http.Request) error {
	return h.filingPage(w, r, http.StatusOK, nil)
}

func (h *handlers) review(w http.ResponseWriter, r *http.Request) error {
	return h.step(w, r, h.store.Review)
}

func (h *handlers) decision(w http.ResponseWriter, r *http.Request) error {
	return h.step(w, r, h.store.Decide)
}

// step posts the township's or the county's form of the filing page.
func (h *handlers) step(w http.ResponseWriter, r *http.Request,
	act func(ctx context.Context, p *auth.Principal, id, fid int64, in DecisionInput) (Filing, error)) error {
	id, fid, err := ids(r, "fid")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	fl, err := act(r.Context(), auth.From(r.Context()), id, fid, DecisionInput{Action: f.Get("action"), Reasons: f.Get("reasons")})
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.filingPage(w, r, web.Status(errs.CodeOf(err)), f)
	}
	web.Redirect(w, r, "/enterprises/"+itoa(id)+"/filings/"+itoa(fid), "enterprise.step_saved."+string(fl.Status))
	return nil
}
