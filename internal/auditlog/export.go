package auditlog

import (
	"net/http"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/web"
)

// exportCols are the export's columns; before and after go out in full, as
// the JSON the writer stored.
var exportCols = []string{"id", "at", "actor", "action", "entity", "entity_id", "division", "before", "after", "address"}

// maxCell is Excel's limit on the characters of one cell. The writer would
// cut a longer value silently; cell cuts it with a visible "…".
const maxCell = 32767

// export streams every entry of the search to one sheet. The export is itself
// written to the log first, with the search it ran: if that write fails
// nothing is exported, so no export goes unrecorded.
func (h *handlers) export(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, err := parseFilter(q, h.env.Zone)
	if err != nil {
		return h.renderList(w, r, err)
	}
	ctx, p, lang := r.Context(), auth.From(r.Context()), web.RequestLang(r)
	if !p.Can(auth.PermAuditRead) {
		return errs.Forbid()
	}
	err = audit.Write(ctx, h.env.DB.W, audit.ActionExport, "audit_log", "", 0, nil,
		map[string]any{"format": "xlsx", "filter": searchLog(q)})
	if err != nil {
		return errs.Wrap(err, "audit export entry")
	}
	name := excel.Filename(i18n.T(lang, "auditlog.file"), h.env.Now().In(h.env.Zone))
	dw := &download{w: w, name: name}
	return excel.Export(dw, lang, i18n.T(lang, "auditlog.title"), exportColumns(), func(yield func([]any) error) error {
		return h.store.Each(ctx, p, f, func(e audit.Entry) error {
			return yield([]any{e.ID, e.At.In(h.env.Zone), actorLabel(lang, e.Actor), actionLabel(lang, e.Action),
				entityLabel(lang, e.Entity), e.EntityID, e.Division(lang), cell(e.Before), cell(e.After), e.RemoteAddr})
		})
	})
}

func exportColumns() []excel.Column {
	cols := make([]excel.Column, len(exportCols))
	for i, c := range exportCols {
		cols[i] = excel.Column{Header: i18n.Msg{Key: "auditlog.col." + c}}
		if c == "before" || c == "after" {
			cols[i].Width = 60 // JSON: wide, the rest of it one click away
		}
	}
	return cols
}

// cell keeps a value within one Excel cell.
func cell(s string) string {
	if len(s) <= maxCell {
		return s
	}
	return shorten(s, maxCell)
}

// download sets the download headers on the first byte written, so a failed
// export still becomes an ordinary error page rather than a broken file.
type download struct {
	w       http.ResponseWriter
	name    string
	started bool
}

func (d *download) Write(b []byte) (int, error) {
	if !d.started {
		d.started = true
		excel.SetDownloadHeaders(d.w, d.name)
	}
	return d.w.Write(b)
}
