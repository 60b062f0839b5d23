package isolation

import (
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
	"fangkong/internal/screening"
)

func principal(r *http.Request) *auth.Principal { return auth.From(r.Context()) }

// sites is the list of sites with the day's figures.
func (h *handlers) sites(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	occ, err := h.store.Occupancies(r.Context(), principal(r), d)
	if err != nil {
		return err
	}
	p := principal(r)
	manage := map[int64]bool{}
	for _, o := range occ {
		manage[o.Site.ID] = CanManage(p, o.Site)
	}
	return h.env.Render.Page(w, r, http.StatusOK, "isolation_sites", web.T(r, "isolation.title"),
		map[string]any{"Date": d, "Sites": occ, "CanCreate": !p.Scope(PermManage).Empty(), "Manage": manage})
}

// sitePage renders one site's day, with the admission form (kept as typed
// on an error).
func (h *handlers) sitePage(w http.ResponseWriter, r *http.Request, status int, id int64, d storage.Date, f *web.Form) error {
	p := principal(r)
	sd, err := h.store.Day(r.Context(), p, id, d)
	if err != nil {
		return err
	}
	t := sd.Occupancy.Site
	data := map[string]any{"Date": d, "Day": sd, "Site": t, "IsToday": d.Equal(h.env.Today().Time),
		"CanWrite": may(p, PermWrite, t), "CanAdmit": may(p, PermWrite, t) && p.Can(screening.PermRead),
		"CanManage": CanManage(p, t), "Reasons": screening.Reasons}
	return h.env.Render.PageForm(w, r, status, "isolation_site", sd.Occupancy.Site.Name, data, f)
}

func (h *handlers) site(w http.ResponseWriter, r *http.Request) error {
	id, d, err := h.idDate(r)
	if err != nil {
		return err
	}
	return h.sitePage(w, r, http.StatusOK, id, d, nil)
}

// admit is the admission form's post.
func (h *handlers) admit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	person, _ := strconv.ParseInt(f.Get("person_id"), 10, 64)
	room, _ := strconv.ParseInt(f.Get("room_id"), 10, 64)
	in := StayInput{PersonID: person, RoomID: room, CheckIn: f.Get("check_in"), PlannedOut: f.Get("planned_out"),
		Reason: f.Get("reason"), BasisDate: f.Get("basis_date"), Note: f.Get("note")}
	if _, err := h.store.Admit(r.Context(), principal(r), in); err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.sitePage(w, r, web.Status(errs.CodeOf(err)), id, h.env.Today(), f)
	}
	web.Redirect(w, r, "/isolation/sites/"+itoa(id), "isolation.flash.admitted")
	return nil
}

// checkoutPage is a stay's check-out form: the day, why the person leaves
// (which decides what happens to the observation) and a note.
func (h *handlers) checkoutPage(w http.ResponseWriter, r *http.Request, status int, id int64, f *web.Form) error {
	p := principal(r)
	y, err := h.store.Stay(r.Context(), p, id)
	if err != nil {
		return err
	}
	t, err := h.store.site(r.Context(), h.env.DB.R, p, y.SiteID)
	if err != nil {
		return err
	}
	if !may(p, PermWrite, t) {
		return errs.Forbid()
	}
	if f == nil {
		// The day the site's page was showing, else today (the store checks it).
		day := r.URL.Query().Get("day")
		if day == "" {
			day = h.env.Today().String()
		}
		f = web.NewForm(url.Values{"day": {day}, "reason": {string(OutReleased)}})
	}
	return h.env.Render.PageForm(w, r, status, "isolation_checkout", web.T(r, "isolation.checkout.title"),
		map[string]any{"Stay": y, "Site": t, "Reasons": OutReasons}, f)
}

func (h *handlers) checkoutForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.checkoutPage(w, r, http.StatusOK, id, nil)
}

// checkout is the check-out form's post.
func (h *handlers) checkout(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	y, err := h.store.Checkout(r.Context(), principal(r), id,
		CheckoutInput{Day: f.Get("day"), Reason: f.Get("reason"), Note: f.Get("note")})
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.checkoutPage(w, r, web.Status(errs.CodeOf(err)), id, f)
	}
	web.Redirect(w, r, "/isolation/sites/"+itoa(y.SiteID), "isolation.flash.checked_out")
	return nil
}
