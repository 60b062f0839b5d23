package auditlog

import (
	"net/http"
	"strconv"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// entryData is what auditlog_entry renders: one entry with every field of
// its before and after.
type entryData struct {
	row
	Fields []Change
}

// entry shows one entry in full; outside the viewer's territory it does not
// exist (404), like every scoped record.
func (h *handlers) entry(w http.ResponseWriter, r *http.Request) error {
	e, err := h.get(r)
	if err != nil {
		return err
	}
	d := entryData{row: h.row(web.RequestLang(r), e), Fields: diff(e.Before, e.After)}
	return h.env.Render.Page(w, r, http.StatusOK, "auditlog_entry", web.T(r, "auditlog.entry", e.ID), d)
}

func (h *handlers) get(r *http.Request) (audit.Entry, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return audit.Entry{}, errs.NotFoundf()
	}
	return h.store.Get(r.Context(), auth.From(r.Context()), id)
}
