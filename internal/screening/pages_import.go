package screening

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/web"
)

type importData struct {
	Villages []option
	Modes    []option
	Fields   []excel.Field
}

func (h *handlers) importPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderImport(w, r, http.StatusOK, web.NewForm(nil))
}

func (h *handlers) renderImport(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	vs, err := h.villageOptions(r.Context(), auth.From(r.Context()), string(web.RequestLang(r)))
	if err != nil {
		return err
	}
	vs = append([]option{{Value: "", Label: "screening.import.village_from_file"}}, vs...)
	d := importData{Villages: vs, Fields: ImportFields,
		Modes: []option{{Value: "valid", Label: "screening.import.mode_valid"}, {Value: "all", Label: "screening.import.mode_all"}}}
	return h.env.Render.PageForm(w, r, status, "screening_import", web.T(r, "screening.import.title"), d, f)
}

// importTemplate sends the empty register to fill in.
func (h *handlers) importTemplate(w http.ResponseWriter, r *http.Request) error {
	lang := web.RequestLang(r)
	excel.SetDownloadHeaders(w, excel.Filename(i18n.T(lang, "screening.import.template_file"), h.env.Now().In(h.env.Zone)))
	return excel.Template(w, lang, i18n.T(lang, "screening.import.sheet"), ImportFields)
}

// importSubmit stores the upload, starts the import in the background and
// sends the user to its progress page. Progress lives in import_jobs, so
// the page can be served by any replica while this one works.
func (h *handlers) importSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	opt := ImportOptions{DivisionID: formID(f, "division_id"), Mode: excel.ParseMode(f.Get("mode"))}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		f.SetError(errs.Field("file", "screening.import.no_file"))
		return h.renderImport(w, r, http.StatusUnprocessableEntity, f)
	}
	defer file.Close()
	opt.FileName = hdr.Filename
	if opt.DivisionID != 0 {
		if _, err := village(r.Context(), h.env.DB.R, p, PermWrite, opt.DivisionID, "division_id"); err != nil {
			f.SetError(err)
			return h.renderImport(w, r, http.StatusUnprocessableEntity, f)
		}
	}
	id, err := h.startImport(r, p, file, opt)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/screening/import/"+itoa(id), http.StatusSeeOther)
	return nil
}

// startImport copies the upload to a file of its own (the request's
// temporary files go when it ends), records the job and runs the import.
func (h *handlers) startImport(r *http.Request, p *auth.Principal, file multipart.File, opt ImportOptions) (int64, error) {
	tmp, err := os.CreateTemp("", "fangkong-import-*.xlsx")
	if err != nil {
		return 0, errs.Wrap(err, "import temp")
	}
	if _, err := io.Copy(tmp, file); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return 0, errs.Wrap(err, "import copy")
	}
	id, err := h.store.NewImportJob(r.Context(), p, opt.FileName)
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return 0, err
	}
	// The import outlives the request but keeps its principal and address
	// for the audit log.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Minute)
	go func() {
		defer cancel()
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			h.store.failJob(ctx, id, errs.Wrap(err, "import seek"))
			return
		}
		if _, err := h.store.Import(ctx, p, id, tmp, opt); err != nil && errs.CodeOf(err) == errs.Internal {
			h.env.Log.Error("screening import", "job", id, "err", err)
		}
	}()
	return id, nil
}

type importJobData struct {
	Job    ImportJob
	Shown  []Problem
	More   int
	Status int
}

// maxShown is how many problems the page lists; the report sheet has all.
const maxShown = 200

func (h *handlers) importJob(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	j, err := h.store.ImportJob(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	d := importJobData{Job: j}
	if j.Result != nil {
		d.Shown = j.Result.Problems
		if len(d.Shown) > maxShown {
			d.Shown, d.More = d.Shown[:maxShown], len(d.Shown)-maxShown
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.env.Render.Page(w, r, http.StatusOK, "screening_import_job", web.T(r, "screening.import.job_title"), d)
}

// importReport sends the job's problems as a sheet to fix the file by.
func (h *handlers) importReport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	j, err := h.store.ImportJob(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	if j.Result == nil {
		return errs.NotFoundf()
	}
	lang := web.RequestLang(r)
	excel.SetDownloadHeaders(w, excel.Filename(i18n.T(lang, "screening.import.report_file"), h.env.Now().In(h.env.Zone)))
	return excel.ReportSheet(w, lang, j.Result.Report())
}
