package enterprise

import (
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/web"
)

// policiesData is the policy page: the catalogue, what was applied for and
// granted, and the form for a new policy.
type policiesData struct {
	Policies     []Policy
	Applications []Application
	PolicyID     int64
	Kinds        []option
	// Editing is the policy the form changes (nil: the form adds one).
	Editing *Policy
}

func (h *handlers) policies(w http.ResponseWriter, r *http.Request) error {
	return h.policiesPage(w, r, http.StatusOK, web.NewForm(url.Values{"kind": {"tax_fee"}}))
}

func (h *handlers) policiesPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	return h.policiesPageEditing(w, r, status, f, nil)
}

// policiesPageEditing is the policies page with its form changing editing
// (or adding a policy when nil).
func (h *handlers) policiesPageEditing(w http.ResponseWriter, r *http.Request, status int, f *web.Form, editing *Policy) error {
	ctx, p := r.Context(), auth.From(r.Context())
	d := policiesData{Editing: editing}
	d.PolicyID, _ = strconv.ParseInt(r.URL.Query().Get("policy"), 10, 64)
	var err error
	if d.Policies, err = h.store.Policies(ctx, p); err != nil {
		return err
	}
	if d.Applications, err = h.store.Applications(ctx, p, AppFilter{PolicyID: d.PolicyID}); err != nil {
		return err
	}
	for _, k := range PolicyKinds {
		d.Kinds = append(d.Kinds, option{Value: string(k), Label: "enterprise.policy_kind." + string(k)})
	}
	return h.env.Render.PageForm(w, r, status, "enterprise_policies", web.T(r, "enterprise.policies_title"), d, f)
}

func (h *handlers) createPolicy(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := PolicyInput{Name: f.Get("name"), Kind: f.Get("kind"), Issuer: f.Get("issuer"), Summary: f.Get("summary"),
		ValidFrom: f.Get("valid_from"), ValidTo: f.Get("valid_to")}
	if _, err := h.store.SavePolicy(r.Context(), auth.From(r.Context()), 0, in); err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.policiesPage(w, r, web.Status(errs.CodeOf(err)), f)
	}
	web.Redirect(w, r, "/enterprises/policies", "enterprise.policy_saved")
	return nil
}

// editPolicy is the policies page with the form filled in for one policy.
func (h *handlers) editPolicy(w http.ResponseWriter, r *http.Request) error {
	pl, err := h.policyOfPath(r)
	if err != nil {
		return err
	}
	f := web.NewForm(url.Values{"name": {pl.Name}, "kind": {string(pl.Kind)}, "issuer": {pl.Issuer}, "summary": {pl.Summary},
		"valid_from": {pl.ValidFrom.String()}, "valid_to": {pl.ValidTo.String()}, "version": {strconv.FormatInt(pl.Version, 10)}})
	return h.policiesPageEditing(w, r, http.StatusOK, f, &pl)
}

// updatePolicy saves the edit form; a stale version is 409 with what was
// typed kept.
func (h *handlers) updatePolicy(w http.ResponseWriter, r *http.Request) error {
	pl, err := h.policyOfPath(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	in := PolicyInput{Name: f.Get("name"), Kind: f.Get("kind"), Issuer: f.Get("issuer"), Summary: f.Get("summary"),
		ValidFrom: f.Get("valid_from"), ValidTo: f.Get("valid_to"), Version: version}
	if _, err := h.store.SavePolicy(r.Context(), auth.From(r.Context()), pl.ID, in); err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.policiesPageEditing(w, r, web.Status(errs.CodeOf(err)), f, &pl)
	}
	web.Redirect(w, r, "/enterprises/policies?policy="+strconv.FormatInt(pl.ID, 10), "enterprise.policy_saved")
	return nil
}

func (h *handlers) policyOfPath(r *http.Request) (Policy, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return Policy{}, err
	}
	return h.store.Policy(r.Context(), id)
}

func (h *handlers) apply(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	pid, _ := strconv.ParseInt(f.Get("policy_id"), 10, 64)
	in := ApplicationInput{PolicyID: pid, AmountApplied: f.Get("amount_applied"), Status: f.Get("status"),
		AmountGranted: f.Get("amount_granted"), Note: f.Get("note")}
	if _, err := h.store.Apply(r.Context(), auth.From(r.Context()), id, in); err != nil {
		return h.redisplay(w, r, id, "apply", f, err)
	}
	web.Redirect(w, r, "/enterprises/"+itoa(id), "enterprise.application_saved")
	return nil
}

func (h *handlers) grant(w http.ResponseWriter, r *http.Request) error {
	id, aid, err := ids(r, "aid")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := GrantInput{Status: f.Get("status"), AmountGranted: f.Get("amount_granted"), Note: f.Get("note")}
	if _, err := h.store.Grant(r.Context(), auth.From(r.Context()), id, aid, in); err != nil {
		return h.redisplay(w, r, id, "grant-"+itoa(aid), f, err)
	}
	web.Redirect(w, r, "/enterprises/"+itoa(id), "enterprise.application_saved")
	return nil
}

// importPage shows the upload form.
func (h *handlers) importPage(w http.ResponseWriter, r *http.Request) error {
	return h.env.Render.PageForm(w, r, http.StatusOK, "enterprise_import", web.T(r, "enterprise.import_title"), nil, web.NewForm(nil))
}

// importTemplate sends the empty register sheet.
func (h *handlers) importTemplate(w http.ResponseWriter, r *http.Request) error {
	lang := web.RequestLang(r)
	excel.SetDownloadHeaders(w, excel.Filename(i18n.T(lang, "enterprise.template_file"), h.env.Now().In(h.env.Zone)))
	return excel.Template(w, lang, i18n.T(lang, "enterprise.list_title"), ImportFields)
}

// importReport is the import's outcome page.
type importReport struct {
	ImportResult
	FileName string
}

// importSubmit reads the upload, commits all rows or none, and shows the
// row-by-row report.
func (h *handlers) importSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		f.SetError(errs.Field("file", "enterprise.err.no_file"))
		return h.env.Render.PageForm(w, r, http.StatusUnprocessableEntity, "enterprise_import", web.T(r, "enterprise.import_title"), nil, f)
	}
	defer file.Close()
	res, err := h.store.Import(r.Context(), auth.From(r.Context()), file)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !res.Committed {
		status = http.StatusUnprocessableEntity
	}
	return h.env.Render.Page(w, r, status, "enterprise_import_report", web.T(r, "enterprise.import_report"),
		importReport{ImportResult: res, FileName: hdr.Filename})
}

// exportColumns are the import's columns, then what the register derives.
func exportColumns() []excel.Column {
	cols := make([]excel.Column, 0, len(ImportFields)+4)
	for _, f := range ImportFields {
		key := "enterprise." + f.Key
		if f.Key == "division" {
			key = "enterprise.division_code"
		}
		cols = append(cols, excel.Column{Header: i18n.Msg{Key: key}})
	}
	return append(cols, excel.Column{Header: i18n.Msg{Key: "enterprise.place"}, Width: 20},
		excel.Column{Header: i18n.Msg{Key: "enterprise.status"}}, excel.Column{Header: i18n.Msg{Key: "enterprise.resume_day"}},
		excel.Column{Header: i18n.Msg{Key: "enterprise.registered_on"}})
}

// export streams the filtered register to Excel, masked unless the user
// holds pii.export and asks for full=1; the export is audited first.
func (h *handlers) export(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	ctx, p, lang := r.Context(), auth.From(r.Context()), web.RequestLang(r)
	unmasked := p.Can(auth.PermPIIExport) && r.URL.Query().Get("full") == "1"
	if err := audit.Write(ctx, h.env.DB.W, audit.ActionExport, "enterprise", "", 0, nil,
		map[string]any{"filter": r.URL.RawQuery, "personal_data": unmasked}); err != nil {
		return errs.Wrap(err, "enterprise export audit")
	}
	codes, err := h.divisionCodes(r)
	if err != nil {
		return err
	}
	excel.SetDownloadHeaders(w, excel.Filename(i18n.T(lang, "enterprise.export_file"), h.env.Now().In(h.env.Zone)))
	return excel.Export(w, lang, i18n.T(lang, "enterprise.list_title"), exportColumns(), func(yield func([]any) error) error {
		return h.store.Each(ctx, p, f, unmasked, func(e Enterprise) error {
			return yield([]any{e.Name, e.CreditCode, i18n.T(lang, "enterprise.industry."+e.Industry), codes[e.DivisionID],
				e.Address, yesNo(e.AboveSize, lang), yesNo(e.KeyProject, lang), e.Employees, e.Principal, e.Officer,
				e.OfficerPhone, e.Place(string(lang)), i18n.T(lang, "enterprise.status."+string(e.Status)), e.ResumeDay,
				e.RegisteredOn})
		})
	})
}

// divisionCodes maps node ids to statistical codes (public data), for the
// export's division column.
func (h *handlers) divisionCodes(r *http.Request) (map[int64]string, error) {
	rows, err := h.env.DB.R.QueryContext(r.Context(), `SELECT id, code FROM org_nodes WHERE level <> 'county'`)
	if err != nil {
		return nil, errs.Wrap(err, "division codes")
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, errs.Wrap(err, "division codes scan")
		}
		out[id] = code
	}
	return out, rows.Err()
}
