package auditlog

import (
	"net/http"
	"net/url"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/web"
)

// Table cells show at most this many changed fields, each this long.
const (
	summaryFields = 3
	summaryWidth  = 24
)

// listData is what auditlog_list renders.
type listData struct {
	Rows     []row
	Actions  []option
	Entities []option
	Dates    []string // the date fields, from and to
	Scoped   bool     // the viewer sees their own territory only
	Searched bool     // any filter is set
	NextURL  string   // "" on the last page
	FirstURL string   // "" on the first page
}

// row is one entry as a table row.
type row struct {
	audit.Entry
	AtText, ActorText, ActionText, EntityText string
	Changes                                   Summary
	ActorURL, HistoryURL                      string
}

func (h *handlers) list(w http.ResponseWriter, r *http.Request) error {
	return h.renderList(w, r, nil)
}

// renderList shows the search form and, unless the search itself is wrong,
// one page of results. formErr is an error to show instead of results (the
// export's bad filters come back here).
func (h *handlers) renderList(w http.ResponseWriter, r *http.Request, formErr error) error {
	q := r.URL.Query()
	lang := web.RequestLang(r)
	p := auth.From(r.Context())
	d := listData{Actions: actionOptions(), Entities: entityOptions(lang), Dates: []string{"from", "to"},
		Scoped: !audit.CountyWide(p)}
	search := searchQuery(q)
	d.Searched = len(search) > 0
	form := web.NewForm(q)
	f, err := parseFilter(q, h.env.Zone)
	if formErr != nil {
		err = formErr
	}
	if err != nil {
		if !form.SetError(err) {
			return err
		}
		return h.env.Render.PageForm(w, r, web.Status(errs.CodeOf(err)), "auditlog_list", web.T(r, "auditlog.title"), d, form)
	}
	pg, err := h.store.Page(r.Context(), p, f)
	if err != nil {
		return err
	}
	for _, e := range pg.Items {
		d.Rows = append(d.Rows, h.row(lang, e))
	}
	if pg.NextBeforeID > 0 {
		next := searchQuery(q)
		next.Set("cursor", cursor.Encode(pg.NextBeforeID))
		d.NextURL = withQuery("/audit", next)
	}
	if f.BeforeID > 0 {
		d.FirstURL = withQuery("/audit", search)
	}
	return h.env.Render.PageForm(w, r, http.StatusOK, "auditlog_list", web.T(r, "auditlog.title"), d, form)
}

func (h *handlers) row(lang i18n.Lang, e audit.Entry) row {
	return row{Entry: e, AtText: h.clock(e.At), ActorText: actorLabel(lang, e.Actor),
		ActionText: actionLabel(lang, e.Action), EntityText: entityLabel(lang, e.Entity),
		Changes:    summarize(e.Before, e.After, summaryFields, summaryWidth),
		ActorURL:   withQuery("/audit", url.Values{"actor": {e.Actor}}),
		HistoryURL: withQuery("/audit", url.Values{"entity": {e.Entity}, "entity_id": {e.EntityID}})}
}

// clock shows an instant in the county's zone, to the second: the order of
// events matters to an auditor.
func (h *handlers) clock(t time.Time) string { return t.In(h.env.Zone).Format("2006-01-02 15:04:05") }

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
