package tracing

import (
	"html/template"
	"net/http"
	"strconv"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// home lists recent exposures with the form to record one.
func (h *handlers) home(w http.ResponseWriter, r *http.Request) error {
	return h.homePage(w, r, http.StatusOK, nil)
}

func (h *handlers) homePage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	person, err := queryInt(r, "person")
	if err != nil {
		return err
	}
	es, err := h.store.Exposures(r.Context(), principal(r), ExposureFilter{Person: person, Limit: 100})
	if err != nil {
		return err
	}
	cases, err := h.store.TraceCases(r.Context(), principal(r), 30)
	if err != nil {
		return err
	}
	return h.env.Render.PageForm(w, r, status, "tracing_home", web.T(r, "tracing.title"),
		map[string]any{"Exposures": es, "Kinds": Kinds, "Today": h.env.Today(), "Person": person, "Cases": cases}, f)
}

// record is the exposure form's post.
func (h *handlers) record(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	src, _ := strconv.ParseInt(f.Get("source_id"), 10, 64)
	dst, _ := strconv.ParseInt(f.Get("contact_id"), 10, 64)
	in := ExposureInput{SourceID: src, ContactID: dst, Kind: f.Get("kind"), Day: f.Get("day"), Setting: f.Get("setting"),
		Close: f.Get("close_contact") != "", Notes: f.Get("notes")}
	if _, err := h.store.Record(r.Context(), principal(r), in); err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.homePage(w, r, http.StatusUnprocessableEntity, f)
	}
	web.Redirect(w, r, "/tracing", "tracing.flash.recorded")
	return nil
}

// graph is the chain view: counts per generation, a page of chains as an
// indented table, and an SVG for one person's small subtree.
func (h *handlers) graph(w http.ResponseWriter, r *http.Request) error {
	f, err := graphFilter(r)
	if err != nil {
		return err
	}
	v, err := h.store.Graph(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	towns, err := h.townships(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	q.Del("page")
	return h.env.Render.Page(w, r, http.StatusOK, "tracing_graph", web.T(r, "tracing.graph_title"),
		map[string]any{"View": v, "F": v.Filter, "SVG": template.HTML(v.SVG), "Towns": towns, "Keep": q.Encode(),
			"Prev": v.Page - 1, "Next": v.Page + 1})
}

// Town is a township for the chain view's filter.
type Town struct {
	ID             int64
	NameZH, NameEN string
}

// Name is the township's name in lang.
func (t Town) Name(lang i18n.Lang) string { return i18n.Pick(lang, t.NameZH, t.NameEN) }

// townships lists the townships of the caller's scope.
func (h *handlers) townships(r *http.Request) ([]Town, error) {
	var args storage.Args
	rows, err := h.env.DB.R.QueryContext(r.Context(), `SELECT n.id, n.name_zh, n.name_en FROM org_nodes n WHERE n.level = 'township'
		AND `+principal(r).Scope(PermRead).SQL("n.id", &args)+` ORDER BY n.code`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "townships")
	}
	defer rows.Close()
	var out []Town
	for rows.Next() {
		var t Town
		if err := rows.Scan(&t.ID, &t.NameZH, &t.NameEN); err != nil {
			return nil, errs.Wrap(err, "township scan")
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
