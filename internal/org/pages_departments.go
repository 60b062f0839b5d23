package org

import (
	"net/http"
	"net/url"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// departmentsPage is the data of GET /departments.
type departmentsPage struct {
	Items    []deptRow
	CanWrite bool // county-level org.write: may add and edit
}

type deptRow struct {
	Department
	Name string
}

// departments lists the departments, with the add form for county writers.
func (h *handlers) departments(w http.ResponseWriter, r *http.Request) error {
	return h.renderDepartments(w, r, http.StatusOK, web.NewForm(nil))
}

func (h *handlers) renderDepartments(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	ctx, lang := r.Context(), web.RequestLang(r)
	list, err := h.store.Departments(ctx)
	if err != nil {
		return err
	}
	d := departmentsPage{CanWrite: h.store.CountyWriter(ctx, auth.From(ctx))}
	for _, dep := range list {
		d.Items = append(d.Items, deptRow{Department: dep, Name: dep.Name(string(lang))})
	}
	return h.env.Render.PageForm(w, r, status, "org_departments", web.T(r, "org.departments"), d, f)
}

func departmentForm(f *web.Form) Department {
	return Department{Code: f.Get("code"), NameZH: f.Get("name_zh"), NameEN: f.Get("name_en")}
}

// departmentAdd creates a department from the list page's form.
func (h *handlers) departmentAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	_, err = h.store.SaveDepartment(r.Context(), auth.From(r.Context()), departmentForm(f))
	if err == nil {
		web.Redirect(w, r, "/departments", "org.dept_created")
		return nil
	}
	if !f.Refused(err) {
		return err
	}
	return h.renderDepartments(w, r, web.Status(errs.CodeOf(err)), f)
}

// department shows one department's edit form (county writers only).
func (h *handlers) department(w http.ResponseWriter, r *http.Request) error {
	d, err := h.editableDepartment(r)
	if err != nil {
		return err
	}
	f := web.NewForm(url.Values{"code": {d.Code}, "name_zh": {d.NameZH}, "name_en": {d.NameEN}})
	return h.env.Render.PageForm(w, r, http.StatusOK, "org_department", d.Name(string(web.RequestLang(r))), d, f)
}

func (h *handlers) editableDepartment(r *http.Request) (Department, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return Department{}, err
	}
	if !h.store.CountyWriter(r.Context(), auth.From(r.Context())) {
		return Department{}, errs.Forbid()
	}
	return h.store.Department(r.Context(), id)
}

// departmentSubmit saves the edit form.
func (h *handlers) departmentSubmit(w http.ResponseWriter, r *http.Request) error {
	d, err := h.editableDepartment(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := departmentForm(f)
	in.ID = d.ID
	if _, err = h.store.SaveDepartment(r.Context(), auth.From(r.Context()), in); err == nil {
		web.Redirect(w, r, "/departments", "org.saved")
		return nil
	}
	if !f.Refused(err) {
		return err
	}
	return h.env.Render.PageForm(w, r, web.Status(errs.CodeOf(err)), "org_department", d.Name(string(web.RequestLang(r))), d, f)
}
