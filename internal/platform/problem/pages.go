package problem

import (
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

type listData struct {
	Page     Page
	Filter   Filter
	Statuses []Option
	Depts    []Option
	NextURL  string
	FirstURL string
	// OverdueOpts and MineOpts are the yes/all choices of two filters.
	OverdueOpts, MineOpts []Option
}

func (h *handlers) list(w http.ResponseWriter, r *http.Request) error {
	lang := web.RequestLang(r)
	depts, err := Departments(r.Context(), h.env.DB)
	if err != nil {
		return err
	}
	d := listData{Statuses: statusOptions(), Depts: DepartmentOptions(depts, lang, "common.all"),
		OverdueOpts: []Option{{Value: "", Label: "common.all"}, {Value: "1", Label: "problem.overdue_only"}},
		MineOpts:    []Option{{Value: "", Label: "common.all"}, {Value: "1", Label: "problem.mine_only"}}}
	form := web.NewForm(r.URL.Query())
	f, err := h.filterOf(r)
	if err != nil {
		if !form.SetError(err) {
			return err
		}
		return h.env.Render.PageForm(w, r, web.Status(errs.CodeOf(err)), "problem_list", web.T(r, "problem.list_title"), d, form)
	}
	d.Filter = f
	if d.Page, err = h.store.List(r.Context(), auth.From(r.Context()), f); err != nil {
		return err
	}
	if d.Page.Next != "" {
		q := r.URL.Query()
		q.Set("cursor", d.Page.Next)
		d.NextURL = "/problems?" + q.Encode()
	}
	if f.Cursor != "" {
		q := r.URL.Query()
		q.Del("cursor")
		d.FirstURL = "/problems?" + q.Encode()
	}
	return h.env.Render.PageForm(w, r, http.StatusOK, "problem_list", web.T(r, "problem.list_title"), d, form)
}

type detailData struct {
	Problem Problem
	Can     map[string]bool
	Depts   []Option
	Today   storage.Date
	AsOf    storage.Date
}

func (h *handlers) detailPage(w http.ResponseWriter, r *http.Request, status int, pr Problem, f *web.Form) error {
	depts, err := Departments(r.Context(), h.env.DB)
	if err != nil {
		return err
	}
	asOf := h.asOf(r)
	pr.Overdue = OverdueAt(pr.Status, pr.Deadline, asOf)
	d := detailData{Problem: pr, Can: map[string]bool{}, Depts: DepartmentOptions(depts, web.RequestLang(r), ""),
		Today: h.env.Today(), AsOf: asOf}
	for _, a := range pr.Allowed {
		d.Can[string(a)] = true
	}
	if f == nil {
		f = web.NewForm(url.Values{"department_id": {strconv.FormatInt(pr.DepartmentID, 10)}, "deadline": {pr.Deadline.String()}})
	}
	return h.env.Render.PageForm(w, r, status, "problem_detail", web.T(r, "problem.detail_title", pr.ID), d, f)
}

func (h *handlers) detail(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := h.store.Get(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return h.detailPage(w, r, http.StatusOK, pr, nil)
}

// step takes the action of the button pressed. A wrong or missing note, or a
// status someone else changed meanwhile, shows the page again with what was
// typed; a problem out of sight is 404 and an action out of role 403.
func (h *handlers) step(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	a := Action(f.Get("action"))
	if a == Assign {
		dept, _ := strconv.ParseInt(f.Get("department_id"), 10, 64)
		_, err = h.store.Assign(r.Context(), p, id, AssignInput{DepartmentID: dept, Deadline: f.Get("deadline"), Note: f.Get("note")})
	} else {
		_, err = h.store.Step(r.Context(), p, id, a, f.Get("note"))
	}
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		pr, gerr := h.store.Get(r.Context(), p, id)
		if gerr != nil {
			return gerr
		}
		return h.detailPage(w, r, web.Status(errs.CodeOf(err)), pr, f)
	}
	web.Redirect(w, r, "/problems/"+strconv.FormatInt(id, 10), "problem.saved."+string(a))
	return nil
}
