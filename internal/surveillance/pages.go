package surveillance

import (
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

type listData struct {
	Page     Page
	Filter   Filter
	Statuses []option
	Division string
	NextURL  string
}

func (h *handlers) list(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	pg, err := h.store.List(r.Context(), auth.From(r.Context()), f)
	if err != nil {
		return err
	}
	d := listData{Page: pg, Filter: f, Statuses: statusOptions(Statuses, true)}
	if f.DivisionID != 0 {
		if n, err := h.org.ByID(r.Context(), f.DivisionID); err == nil {
			d.Division = n.Name(string(web.RequestLang(r)))
		}
	}
	if pg.Next != "" {
		q := r.URL.Query()
		q.Set("cursor", pg.Next)
		d.NextURL = "/cases?" + q.Encode()
	}
	form := web.NewForm(r.URL.Query())
	return h.env.Render.PageForm(w, r, http.StatusOK, "surveillance_list", web.T(r, "case.list_title"), d, form)
}

type formData struct {
	Case      Case
	Divisions []option
	Statuses  []option
	Origins   []option
	Action    string
}

func (h *handlers) formPage(w http.ResponseWriter, r *http.Request, status int, c Case, f *web.Form) error {
	p := auth.From(r.Context())
	divs, err := h.divisionOptions(r.Context(), p, string(web.RequestLang(r)))
	if err != nil {
		return err
	}
	d := formData{Case: c, Divisions: divs, Statuses: statusOptions(Next(""), false),
		Origins: []option{{Value: "local", Label: "case.origin.local"}, {Value: "imported", Label: "case.origin.imported"}}}
	title := web.T(r, "case.new_title")
	d.Action = "/cases"
	if c.ID != 0 {
		title, d.Action = web.T(r, "case.edit_title"), "/cases/"+strconv.FormatInt(c.ID, 10)
	}
	return h.env.Render.PageForm(w, r, status, "surveillance_form", title, d, f)
}

func (h *handlers) newForm(w http.ResponseWriter, r *http.Request) error {
	f := web.NewForm(url.Values{"status": {"confirmed"}, "status_date": {h.env.Today().String()}, "origin": {"local"}})
	return h.formPage(w, r, http.StatusOK, Case{}, f)
}

func (h *handlers) create(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	c, err := h.store.Create(r.Context(), auth.From(r.Context()), inputOf(f))
	if err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.formPage(w, r, web.Status(errs.CodeOf(err)), Case{}, f)
	}
	web.Redirect(w, r, "/cases/"+strconv.FormatInt(c.ID, 10), "case.saved")
	return nil
}

// inputOf reads a case form.
func inputOf(f *web.Form) Input {
	div, _ := strconv.ParseInt(f.Get("division_id"), 10, 64)
	ver, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	return Input{DivisionID: div, Name: f.Get("name"), IDNumber: f.Get("id_number"), Phone: f.Get("phone"),
		Address: f.Get("address"), Origin: f.Get("origin"), Hospital: f.Get("hospital"), OnsetDate: f.Get("onset_date"),
		Setting: f.Get("setting"), Notes: f.Get("notes"), Status: f.Get("status"), StatusDate: f.Get("status_date"), Version: ver}
}

type detailData struct {
	Case     Case
	Revealed bool
	Next     []option
	Today    string
}

func (h *handlers) detailPage(w http.ResponseWriter, r *http.Request, status int, c Case, revealed bool, f *web.Form) error {
	d := detailData{Case: c, Revealed: revealed, Next: statusOptions(Next(c.Status), false), Today: h.env.Today().String()}
	if f == nil {
		f = web.NewForm(url.Values{"day": {d.Today}})
	}
	return h.env.Render.PageForm(w, r, status, "surveillance_detail", web.T(r, "case.detail_title", c.ID), d, f)
}

func (h *handlers) detail(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.store.Get(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return h.detailPage(w, r, http.StatusOK, c, false, nil)
}

// reveal shows the full personal data once; the store writes the audit entry.
// It is a POST so a prefetch or a crawler can never trigger a logged reveal.
func (h *handlers) reveal(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.store.Reveal(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.detailPage(w, r, http.StatusOK, c, true, nil)
}

func (h *handlers) editForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	if _, err := h.store.writable(r.Context(), h.env.DB.R, p, id); err != nil {
		return err
	}
	// The form starts from the full record (the editor has write scope over
	// it); opening it for editing is a reveal and is logged as one.
	c, err := h.store.Reveal(r.Context(), p, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.formPage(w, r, http.StatusOK, c, web.NewForm(valuesOf(c)))
}

func valuesOf(c Case) url.Values {
	return url.Values{"division_id": {strconv.FormatInt(c.DivisionID, 10)}, "name": {c.Name}, "id_number": {c.IDNumber},
		"phone": {c.Phone}, "address": {c.Address}, "origin": {string(c.Origin)}, "hospital": {c.Hospital},
		"onset_date": {c.OnsetDate.String()}, "setting": {c.Setting}, "notes": {c.Notes},
		"version": {strconv.FormatInt(c.Version, 10)}}
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
		return h.formPage(w, r, web.Status(errs.CodeOf(err)), Case{ID: id}, f)
	}
	web.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), "case.saved")
	return nil
}

func (h *handlers) addEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	if _, err := h.store.AddEvent(r.Context(), p, id, Status(f.Get("kind")), f.Get("day"), f.Get("note")); err != nil {
		if !f.Refused(err) {
			return err
		}
		c, gerr := h.store.Get(r.Context(), p, id)
		if gerr != nil {
			return gerr
		}
		return h.detailPage(w, r, web.Status(errs.CodeOf(err)), c, false, f)
	}
	web.Redirect(w, r, "/cases/"+strconv.FormatInt(id, 10), "case.status_saved")
	return nil
}
