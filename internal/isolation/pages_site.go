package isolation

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/web"
)

// option is one choice of a select or a checkbox group.
type option struct {
	Value   string
	Label   string // i18n key
	Raw     string // untranslated text (names)
	Checked bool
}

// siteFormPage renders the site form: new when t.ID is 0. f holds what was
// typed (or the site's values).
func (h *handlers) siteFormPage(w http.ResponseWriter, r *http.Request, status int, t Site, f *web.Form) error {
	ctx, p := r.Context(), principal(r)
	towns, err := h.store.Townships(ctx, p)
	if err != nil {
		return err
	}
	lang := web.RequestLang(r)
	var divisions []option
	for _, tw := range towns {
		divisions = append(divisions, option{Value: itoa(tw.ID), Raw: i18n.Pick(lang, tw.NameZH, tw.NameEN)})
	}
	cands, err := h.store.StaffCandidates(ctx)
	if err != nil {
		return err
	}
	for _, st := range t.Staff { // assigned accounts stay listed, whatever else they hold now
		if !slices.ContainsFunc(cands, func(c Staff) bool { return c.Username == st.Username }) {
			cands = append(cands, st)
		}
	}
	staff := make([]option, len(cands))
	for i, c := range cands {
		staff[i] = option{Value: c.Username, Raw: c.DisplayName + " (" + c.Username + ")",
			Checked: slices.Contains(f.Values["staff"], c.Username)}
	}
	title := web.T(r, "isolation.site_form.new")
	if t.ID != 0 {
		title = web.T(r, "isolation.site_form.edit", t.Name)
	}
	return h.env.Render.PageForm(w, r, status, "isolation_site_form", title,
		map[string]any{"Site": t, "Divisions": divisions, "Staff": staff}, f)
}

// siteNew is the empty site form.
func (h *handlers) siteNew(w http.ResponseWriter, r *http.Request) error {
	return h.siteFormPage(w, r, http.StatusOK, Site{}, web.NewForm(url.Values{}))
}

// siteEdit is the form of an existing site, filled with its values.
func (h *handlers) siteEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	t, err := h.editable(r, id)
	if err != nil {
		return err
	}
	v := url.Values{"division_id": {itoa(t.DivisionID)}, "name": {t.Name}, "address": {t.Address},
		"hospital": {t.Hospital}, "phone": {t.Phone}, "notes": {t.Notes}, "version": {strconv.FormatInt(t.Version, 10)}}
	v["staff"] = names(t.Staff)
	return h.siteFormPage(w, r, http.StatusOK, t, web.NewForm(v))
}

// editable loads a site the caller keeps, with its rooms and staff.
func (h *handlers) editable(r *http.Request, id int64) (Site, error) {
	p := principal(r)
	t, err := h.store.Site(r.Context(), p, id, h.env.Today())
	if err == nil && !CanManage(p, t) {
		return t, errs.Forbid()
	}
	return t, err
}

// siteInput reads the site form.
func siteInput(f *web.Form) SiteInput {
	div, _ := strconv.ParseInt(f.Get("division_id"), 10, 64)
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	staff := f.Values["staff"]
	if staff == nil {
		staff = []string{} // none ticked: the site has no staff
	}
	return SiteInput{DivisionID: div, Name: f.Get("name"), Address: f.Get("address"), Hospital: f.Get("hospital"),
		Phone: f.Get("phone"), Notes: f.Get("notes"), Staff: staff, Version: version}
}

// siteCreate is the new-site form's post.
func (h *handlers) siteCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	t, err := h.store.CreateSite(r.Context(), principal(r), siteInput(f))
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.siteFormPage(w, r, web.Status(errs.CodeOf(err)), Site{}, f)
	}
	web.Redirect(w, r, "/isolation/sites/"+itoa(t.ID), "isolation.flash.site_created")
	return nil
}

// siteUpdate is the edit form's post.
func (h *handlers) siteUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, err := h.store.UpdateSite(r.Context(), principal(r), id, siteInput(f)); err != nil {
		if !f.Refused(err) {
			return err
		}
		t, lerr := h.editable(r, id)
		if lerr != nil {
			return lerr
		}
		return h.siteFormPage(w, r, web.Status(errs.CodeOf(err)), t, f)
	}
	web.Redirect(w, r, "/isolation/sites/"+itoa(id), "isolation.flash.site_saved")
	return nil
}
