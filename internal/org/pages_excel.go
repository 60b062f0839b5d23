package org

import (
	"net/http"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/web"
)

// exportColumns are the export's header row: the import's fields, in order.
func exportColumns() []excel.Column {
	cols := make([]excel.Column, len(ImportFields))
	for i, f := range ImportFields {
		cols[i] = excel.Column{Header: i18n.Msg{Key: "org.col." + f.Key}}
	}
	return cols
}

// export sends the tree the reader may see as an .xlsx that imports back.
func (h *handlers) export(w http.ResponseWriter, r *http.Request) error {
	ctx, p, lang := r.Context(), auth.From(r.Context()), web.RequestLang(r)
	nodes, err := h.store.List(ctx, p)
	if err != nil {
		return err
	}
	parents, err := h.parentCodes(r, nodes)
	if err != nil {
		return err
	}
	// Logged before the file leaves: an export that fails half-way was
	// still an attempt to take the data out.
	if err := audit.Write(ctx, h.env.DB.W, audit.ActionExport, "org_node", "", 0, nil,
		map[string]any{"rows": len(nodes), "format": "xlsx"}); err != nil {
		return errs.Wrap(err, "org export audit")
	}
	name := excel.Filename(i18n.T(lang, "org.export_file"), h.env.Now().In(h.env.Zone))
	dw := &download{w: w, name: name}
	return excel.Export(dw, lang, i18n.T(lang, "org.export_sheet"), exportColumns(), func(yield func([]any) error) error {
		for _, n := range nodes {
			err := yield([]any{n.Code, parents[n.ParentID], n.NameZH, n.NameEN,
				i18n.T(lang, "org.level."+string(n.Level)), exportKind(n.Kind, lang), n.Population, n.Households})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// exportKind writes a known kind in the sheet's language (the import reads
// both); an unknown one as stored.
func exportKind(kind string, lang i18n.Lang) string {
	if lang == i18n.ZH {
		return kind
	}
	return kindLabel(kind, lang)
}

// parentCodes maps each node's parent id to the parent's code. The parent of
// a reader's top node lies outside their scope, but its code is a public
// statistical code and the row needs it to import back.
func (h *handlers) parentCodes(r *http.Request, nodes []Node) (map[int64]string, error) {
	out := map[int64]string{0: ""}
	for _, n := range nodes {
		out[n.ID] = n.Code
	}
	for _, n := range nodes {
		if _, ok := out[n.ParentID]; !ok {
			par, err := h.store.ByID(r.Context(), n.ParentID)
			if err != nil {
				return nil, err
			}
			out[n.ParentID] = par.Code
		}
	}
	return out, nil
}

// download sets the download headers at the first byte, so an export that
// fails before writing can still answer with an error page.
type download struct {
	w       http.ResponseWriter
	name    string
	started bool
}

func (d *download) Write(b []byte) (int, error) {
	if !d.started {
		excel.SetDownloadHeaders(d.w, d.name)
		d.started = true
	}
	return d.w.Write(b)
}

// importTemplate sends the empty sheet to fill in.
func (h *handlers) importTemplate(w http.ResponseWriter, r *http.Request) error {
	lang := web.RequestLang(r)
	name := excel.Filename(i18n.T(lang, "org.template_file"), h.env.Now().In(h.env.Zone))
	return excel.Template(&download{w: w, name: name}, lang, i18n.T(lang, "org.export_sheet"), ImportFields)
}

// importPage shows the upload form.
func (h *handlers) importPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderImport(w, r, http.StatusOK, web.NewForm(nil))
}

func (h *handlers) renderImport(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	modes := []option{{Value: "valid", Label: "org.import.mode_valid"}, {Value: "all", Label: "org.import.mode_all"}}
	return h.env.Render.PageForm(w, r, status, "org_import", web.T(r, "org.import.title"), modes, f)
}

// importSubmit reads the uploaded file, commits as the mode says and shows
// the row-by-row report.
func (h *handlers) importSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		f.SetError(errs.Field("file", "org.import.no_file"))
		return h.renderImport(w, r, http.StatusUnprocessableEntity, f)
	}
	defer file.Close()
	res, err := h.store.Import(r.Context(), auth.From(r.Context()), file, excel.ParseMode(f.Get("mode")))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !res.Committed {
		status = http.StatusUnprocessableEntity
	}
	d := importReport{ImportResult: res, FileName: hdr.Filename, AllOrNothing: res.Mode == excel.AllOrNothing}
	return h.env.Render.Page(w, r, status, "org_import_report", web.T(r, "org.import.report"), d)
}

// importReport is the data of the report page.
type importReport struct {
	ImportResult
	FileName     string
	AllOrNothing bool
}

// Why says, as a catalog key, why nothing was written ("" when it was).
func (d importReport) Why() string {
	switch {
	case d.Committed:
		return ""
	case d.Failure != nil:
		return "org.import.why_failed"
	case !d.Report.Done:
		return "org.import.why_file"
	case d.Report.OK == 0:
		return "org.import.why_none_valid"
	}
	return "org.import.why_all_or_nothing"
}
