package liaison

import (
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/web"
)

// formData is what the three liaison forms receive: the choices of their
// selects, and for a problem raised from a visit, that visit.
type formData struct {
	Leaders     []option
	Divisions   []option
	Enterprises []option
	Kinds       []option
	Categories  []option
	Depts       []option
	Visit       *Visit
	PhotoLimit  string // one photo, in MB
	BodyLimit   string // one submission, in MB (the platform's request limit)
	MaxPhotos   int
	Today       string
}

// formChoices fills the selects for a form whose targets need perm.
func (h *handlers) formChoices(r *http.Request, perm auth.Perm) (formData, error) {
	ctx, p, lang := r.Context(), auth.From(r.Context()), web.RequestLang(r)
	d := formData{Kinds: kindOptions(), Categories: optionsOf(Categories, "liaison.category."), MaxPhotos: MaxPhotos,
		PhotoLimit: MB(h.store.photoLimit()), BodyLimit: MB(h.env.MaxBody), Today: h.env.Today().String()}
	var err error
	if d.Leaders, err = h.leaderOptions(ctx, p); err != nil {
		return d, err
	}
	if d.Divisions, err = h.divisionOptions(ctx, p, perm, lang); err != nil {
		return d, err
	}
	if d.Enterprises, err = h.enterpriseOptions(ctx, p, perm); err != nil {
		return d, err
	}
	depts, err := problem.Departments(ctx, h.env.DB)
	if err != nil {
		return d, err
	}
	d.Depts = problem.DepartmentOptions(depts, lang, "liaison.choose")
	return d, nil
}

func (h *handlers) renderForm(w http.ResponseWriter, r *http.Request, status int, view, titleKey string, perm auth.Perm,
	f *web.Form, visit *Visit) error {
	d, err := h.formChoices(r, perm)
	if err != nil {
		return err
	}
	d.Visit = visit
	return h.env.Render.PageForm(w, r, status, view, web.T(r, titleKey), d, f)
}

// prefill starts a form from the query string (a link from an assignment
// names the target) and defaults.
func prefill(r *http.Request, defaults url.Values) *web.Form {
	v := url.Values{}
	for k, vals := range defaults {
		v[k] = vals
	}
	q := r.URL.Query()
	for _, k := range []string{"division_id", "enterprise_id", "leader_id"} {
		if s := q.Get(k); s != "" {
			v.Set(k, s)
		}
	}
	return web.NewForm(v)
}

func (h *handlers) assignmentForm(w http.ResponseWriter, r *http.Request) error {
	f := prefill(r, url.Values{"from": {h.env.Today().String()}})
	return h.renderForm(w, r, http.StatusOK, "liaison_assignment_form", "liaison.assignment_new", PermWrite, f, nil)
}

func (h *handlers) assignmentCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := AssignmentInput{LeaderID: formID(f, "leader_id"), DivisionID: formID(f, "division_id"),
		EnterpriseID: formID(f, "enterprise_id"), From: f.Get("from"), To: f.Get("to"), Note: f.Get("note")}
	a, err := h.store.CreateAssignment(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.renderForm(w, r, formStatus(err), "liaison_assignment_form", "liaison.assignment_new", PermWrite, f, nil)
	}
	web.Redirect(w, r, "/liaison/leaders/"+strconv.FormatInt(a.LeaderID, 10), "liaison.assignment_saved")
	return nil
}

func (h *handlers) visitForm(w http.ResponseWriter, r *http.Request) error {
	f := prefill(r, url.Values{"day": {h.env.Today().String()}, "kind": {string(Inspect)}})
	return h.renderForm(w, r, http.StatusOK, "liaison_visit_form", "liaison.visit_new", PermWrite, f, nil)
}

// visitCreate records a visit and its photos in one submission, as a leader
// does on a phone at the gate of the enterprise.
func (h *handlers) visitCreate(w http.ResponseWriter, r *http.Request) error {
	values, ups, rerr := readUploads(r, h.store.photoLimit(), h.env.MaxBody)
	f := web.NewForm(values)
	if rerr != nil {
		if !f.SetError(rerr) {
			return rerr
		}
		return h.renderForm(w, r, formStatus(rerr), "liaison_visit_form", "liaison.visit_new", PermWrite, f, nil)
	}
	in := VisitInput{LeaderID: formID(f, "leader_id"), DivisionID: formID(f, "division_id"),
		EnterpriseID: formID(f, "enterprise_id"), Day: f.Get("day"), Kind: f.Get("kind"), Notes: f.Get("notes")}
	v, err := h.store.CreateVisit(r.Context(), auth.From(r.Context()), in, ups)
	if err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.renderForm(w, r, formStatus(err), "liaison_visit_form", "liaison.visit_new", PermWrite, f, nil)
	}
	web.Redirect(w, r, "/liaison/visits/"+strconv.FormatInt(v.ID, 10), "liaison.visit_saved")
	return nil
}

// visitData is the visit page: the visit, the problems raised from it, and
// whether the reader may add photos.
type visitData struct {
	Visit      Visit
	Problems   []problem.Problem
	CanWrite   bool
	CanRaise   bool
	PhotoLimit string
	BodyLimit  string
	MaxPhotos  int
}

func (h *handlers) renderVisit(w http.ResponseWriter, r *http.Request, status int, id int64, f *web.Form) error {
	ctx, p := r.Context(), auth.From(r.Context())
	v, err := h.store.Visit(ctx, p, id)
	if err != nil {
		return err
	}
	d := visitData{Visit: v, CanRaise: p.Can(problem.PermRaise), MaxPhotos: MaxPhotos,
		PhotoLimit: MB(h.store.photoLimit()), BodyLimit: MB(h.env.MaxBody)}
	d.CanWrite = h.store.mayWrite(ctx, h.env.DB.R, p, v.LeaderID, v.Target) == nil
	asOf, err := h.asOf(r)
	if err != nil {
		asOf = h.env.Today()
	}
	pg, err := h.store.Problems.List(ctx, p, problem.Filter{Source: Source, SourceID: v.ID, AsOf: asOf, Limit: 100})
	if err != nil {
		return err
	}
	d.Problems = pg.Items
	return h.env.Render.PageForm(w, r, status, "liaison_visit", web.T(r, "liaison.visit_title", v.Day.String(), v.Name(web.RequestLang(r))), d, f)
}

func (h *handlers) visitPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.renderVisit(w, r, http.StatusOK, id, nil)
}

func (h *handlers) visitPhotos(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	values, ups, err := readUploads(r, h.store.photoLimit(), h.env.MaxBody)
	if err == nil {
		_, err = h.store.AddPhotos(r.Context(), auth.From(r.Context()), id, ups)
	}
	if err != nil {
		f := web.NewForm(values)
		code := errs.CodeOf(err)
		if code == errs.NotFound || code == errs.Forbidden || !f.SetError(err) {
			return err
		}
		return h.renderVisit(w, r, formStatus(err), id, f)
	}
	web.Redirect(w, r, "/liaison/visits/"+strconv.FormatInt(id, 10), "liaison.photos_saved")
	return nil
}

func (h *handlers) problemForm(w http.ResponseWriter, r *http.Request) error {
	f := prefill(r, url.Values{"raised_on": {h.env.Today().String()}})
	var visit *Visit
	if s := r.URL.Query().Get("visit"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return errs.NotFoundf()
		}
		v, err := h.store.Visit(r.Context(), auth.From(r.Context()), id)
		if err != nil {
			return err
		}
		visit = &v
		f.Values.Set("visit_id", s)
		f.Values.Set("raised_on", v.Day.String())
	}
	return h.renderForm(w, r, http.StatusOK, "liaison_problem_form", "liaison.problem_new", problem.PermRaise, f, visit)
}

func (h *handlers) problemCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	ctx, p := r.Context(), auth.From(r.Context())
	in := ProblemInput{VisitID: formID(f, "visit_id"), DivisionID: formID(f, "division_id"), EnterpriseID: formID(f, "enterprise_id"),
		Category: f.Get("category"), Title: f.Get("title"), Description: f.Get("description"),
		DepartmentID: formID(f, "department_id"), Deadline: f.Get("deadline"), RaisedOn: f.Get("raised_on")}
	pr, err := h.store.RaiseProblem(ctx, p, in)
	if err != nil {
		if !f.SetError(err) {
			return err
		}
		var visit *Visit
		if in.VisitID > 0 {
			if v, verr := h.store.Visit(ctx, p, in.VisitID); verr == nil {
				visit = &v
			}
		}
		return h.renderForm(w, r, formStatus(err), "liaison_problem_form", "liaison.problem_new", problem.PermRaise, f, visit)
	}
	web.Redirect(w, r, "/problems/"+strconv.FormatInt(pr.ID, 10), "liaison.problem_saved")
	return nil
}
