package isolation

import (
	"net/http"
	"strconv"

	"fangkong/internal/platform/auth"
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
	return h.env.Render.Page(w, r, http.StatusOK, "isolation_sites", web.T(r, "isolation.title"),
		map[string]any{"Date": d, "Sites": occ})
}

// sitePage renders one site's day, with the admission form (kept as typed
// on an error).
func (h *handlers) sitePage(w http.ResponseWriter, r *http.Request, status int, id int64, d storage.Date, f *web.Form) error {
	p := principal(r)
	sd, err := h.store.Day(r.Context(), p, id, d)
	if err != nil {
		return err
	}
	data := map[string]any{"Date": d, "Day": sd, "Site": sd.Occupancy.Site,
		"CanWrite": may(p, PermWrite, sd.Occupancy.Site), "CanAdmit": may(p, PermWrite, sd.Occupancy.Site) && p.Can(screening.PermRead),
		"Reasons": screening.Reasons}
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
		if !f.SetError(err) {
			return err
		}
		return h.sitePage(w, r, http.StatusUnprocessableEntity, id, h.env.Today(), f)
	}
	web.Redirect(w, r, "/isolation/sites/"+itoa(id), "isolation.flash.admitted")
	return nil
}

// checkout is a stay's check-out button.
func (h *handlers) checkout(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	y, err := h.store.Checkout(r.Context(), principal(r), id, CheckoutInput{Day: f.Get("day"), Note: f.Get("note")})
	if err != nil {
		if y.SiteID == 0 || !f.SetError(err) {
			return err
		}
		return h.sitePage(w, r, http.StatusUnprocessableEntity, y.SiteID, h.env.Today(), f)
	}
	web.Redirect(w, r, "/isolation/sites/"+itoa(y.SiteID), "isolation.flash.checked_out")
	return nil
}
