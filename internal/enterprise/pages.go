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

type listData struct {
	Page       Page
	Filter     Filter
	Townships  []option
	Industries []option
	Statuses   []option
	Sizes      []option
	NextURL    string
	Lang       string
}

func (h *handlers) list(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	if id := soleEnterprise(p); id != 0 && r.URL.RawQuery == "" {
		http.Redirect(w, r, "/enterprises/"+itoa(id), http.StatusSeeOther)
		return nil
	}
	lang := string(web.RequestLang(r))
	d := listData{Industries: industryOptions(true), Statuses: statusOptions(), Lang: lang,
		Sizes: []option{{Value: "", Label: "common.all"}, {Value: "1", Label: "enterprise.above_size"}, {Value: "0", Label: "enterprise.below_size"}}}
	form := web.NewForm(r.URL.Query())
	f, err := filterOf(r)
	if err == nil {
		d.Page, err = h.store.List(r.Context(), p, f)
	}
	status := http.StatusOK
	if err != nil {
		if !form.SetError(err) {
			return err
		}
		status = web.Status(errs.CodeOf(err))
	}
	d.Filter = f
	towns, err := h.divisionOptions(r.Context(), p, lang, auth.PermEnterpriseRead, true)
	if err != nil {
		return err
	}
	d.Townships = append([]option{{Value: "", Label: "common.all"}}, towns...)
	if d.Page.Next != "" {
		q := r.URL.Query()
		q.Set("cursor", d.Page.Next)
		d.NextURL = "/enterprises?" + q.Encode()
	}
	return h.env.Render.PageForm(w, r, status, "enterprise_list", web.T(r, "enterprise.list_title"), d, form)
}

type formData struct {
	Enterprise Enterprise
	Divisions  []option
	Industries []option
	Action     string
}

func (h *handlers) formPage(w http.ResponseWriter, r *http.Request, status int, e Enterprise, f *web.Form) error {
	p := auth.From(r.Context())
	divs, err := h.divisionOptions(r.Context(), p, string(web.RequestLang(r)), auth.PermEnterpriseWrite, false)
	if err != nil {
		return err
	}
	d := formData{Enterprise: e, Divisions: divs, Industries: industryOptions(false), Action: "/enterprises"}
	title := web.T(r, "enterprise.new_title")
	if e.ID != 0 {
		title, d.Action = web.T(r, "enterprise.edit_title"), "/enterprises/"+itoa(e.ID)
	}
	return h.env.Render.PageForm(w, r, status, "enterprise_form", title, d, f)
}

func (h *handlers) newForm(w http.ResponseWriter, r *http.Request) error {
	return h.formPage(w, r, http.StatusOK, Enterprise{}, web.NewForm(url.Values{"industry": {"machinery"}}))
}

func (h *handlers) create(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	e, err := h.store.Create(r.Context(), auth.From(r.Context()), inputOf(f))
	if err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.formPage(w, r, web.Status(errs.CodeOf(err)), Enterprise{}, f)
	}
	web.Redirect(w, r, "/enterprises/"+itoa(e.ID), "enterprise.saved")
	return nil
}

// inputOf reads the register form.
func inputOf(f *web.Form) Input {
	div, _ := strconv.ParseInt(f.Get("division_id"), 10, 64)
	ver, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	in := Input{DivisionID: div, Name: f.Get("name"), CreditCode: f.Get("credit_code"), Industry: f.Get("industry"),
		Address: f.Get("address"), AboveSize: f.Get("above_size") == "1", KeyProject: f.Get("key_project") == "1",
		Principal: f.Get("principal"), Officer: f.Get("officer"), OfficerPhone: f.Get("officer_phone"), Version: ver}
	formInt(&in.bad, "employees", f.Get("employees"), &in.Employees)
	return in
}

func valuesOf(e Enterprise) url.Values {
	return url.Values{"division_id": {itoa(e.DivisionID)}, "name": {e.Name}, "credit_code": {e.CreditCode},
		"industry": {e.Industry}, "address": {e.Address}, "above_size": {flag(e.AboveSize)},
		"key_project": {flag(e.KeyProject)}, "employees": {strconv.FormatInt(e.Employees, 10)},
		"principal": {e.Principal}, "officer": {e.Officer}, "officer_phone": {e.OfficerPhone},
		"version": {strconv.FormatInt(e.Version, 10)}}
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return ""
}

func (h *handlers) editForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	if _, err := h.store.reach(r.Context(), h.env.DB.R, p, auth.PermEnterpriseWrite, id); err != nil {
		return err
	}
	// The form starts from the full record; opening it is a logged reveal.
	e, err := h.store.Reveal(r.Context(), p, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.formPage(w, r, http.StatusOK, e, web.NewForm(valuesOf(e)))
}

func (h *handlers) update(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, err := h.store.Update(r.Context(), auth.From(r.Context()), id, inputOf(f)); err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.formPage(w, r, web.Status(errs.CodeOf(err)), Enterprise{ID: id}, f)
	}
	web.Redirect(w, r, "/enterprises/"+itoa(id), "enterprise.saved")
	return nil
}

// detailData is the enterprise page: the register entry, its filings,
// reports, suspensions and policy applications.
type detailData struct {
	Enterprise   Enterprise
	Revealed     bool
	Current      *Filing
	CurrentAge   int
	Overdue      bool
	Filings      []Filing
	Reports      []Report
	Suspensions  []Suspension
	Applications []Application
	Policies     []Policy
	Today        string
	CanFile      bool
	CanWrite     bool
	Lang         string
	// Form is the form that failed (suspend, lift, apply), by name.
	Failed string
}

func (h *handlers) detailPage(w http.ResponseWriter, r *http.Request, status int, e Enterprise, revealed bool, failed string, f *web.Form) error {
	ctx, p := r.Context(), auth.From(r.Context())
	asOf, err := h.env.AsOf(r)
	if err != nil {
		asOf = h.env.Today()
	}
	d := detailData{Enterprise: e, Revealed: revealed, Today: h.env.Today().String(), Failed: failed,
		CanFile: can(p, auth.PermEnterpriseFile, e), CanWrite: can(p, auth.PermEnterpriseWrite, e),
		Lang: string(web.RequestLang(r))}
	if d.Filings, err = h.store.Filings(ctx, p, e.ID); err != nil {
		return err
	}
	if len(d.Filings) > 0 {
		cur := d.Filings[0]
		d.Current = &cur
		if cur.Pending() {
			d.CurrentAge = h.store.Calendar(ctx).WorkingDays(cur.SubmittedOn, asOf)
			d.Overdue = d.CurrentAge > h.store.AnswerDays(ctx)
		}
	}
	if d.Reports, err = h.store.Reports(ctx, p, e.ID, h.env.Today(), 7); err != nil {
		return err
	}
	if d.Suspensions, err = h.store.Suspensions(ctx, p, e.ID); err != nil {
		return err
	}
	if d.Applications, err = h.store.Applications(ctx, p, AppFilter{EnterpriseID: e.ID}); err != nil {
		return err
	}
	if d.Policies, err = h.store.Policies(ctx, p); err != nil {
		return err
	}
	if f == nil {
		f = web.NewForm(url.Values{"day": {d.Today}})
	}
	return h.env.Render.PageForm(w, r, status, "enterprise_detail", e.Name, d, f)
}

func (h *handlers) detail(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := h.store.Get(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return h.detailPage(w, r, http.StatusOK, e, false, "", nil)
}

// reveal shows the personal data once; a POST, so no prefetch logs a reveal.
func (h *handlers) reveal(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := h.store.Reveal(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.detailPage(w, r, http.StatusOK, e, true, "", nil)
}

func (h *handlers) suspend(w http.ResponseWriter, r *http.Request) error {
	return h.suspension(w, r, "suspend", h.store.Suspend)
}

func (h *handlers) lift(w http.ResponseWriter, r *http.Request) error {
	return h.suspension(w, r, "lift", h.store.Lift)
}

// suspension posts the suspend or lift form of the enterprise page.
func (h *handlers) suspension(w http.ResponseWriter, r *http.Request, name string,
	act func(ctx context.Context, p *auth.Principal, id int64, in SuspendInput) (Enterprise, error)) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	if _, err := act(r.Context(), p, id, SuspendInput{Day: f.Get("day"), Reason: f.Get("reason")}); err != nil {
		return h.redisplay(w, r, id, name, f, err)
	}
	web.Redirect(w, r, "/enterprises/"+itoa(id), "enterprise."+name+"_saved")
	return nil
}

// redisplay shows the enterprise page again with a failed form's input and
// errors (not-found and forbidden stay error pages: see web.Form.Refused).
func (h *handlers) redisplay(w http.ResponseWriter, r *http.Request, id int64, name string, f *web.Form, err error) error {
	if !f.Refused(err) {
		return err
	}
	e, gerr := h.store.Get(r.Context(), auth.From(r.Context()), id)
	if gerr != nil {
		return gerr
	}
	return h.detailPage(w, r, web.Status(errs.CodeOf(err)), e, false, name, f)
}
