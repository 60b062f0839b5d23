package isolation

import (
	"net/http"

	"fangkong/internal/platform/web"
)

func (h *handlers) apiSites(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	occ, err := h.store.Occupancies(r.Context(), principal(r), d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, occupancyList{Items: occ})
}

func (h *handlers) apiCreateSite(w http.ResponseWriter, r *http.Request) error {
	var in SiteInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	t, err := h.store.CreateSite(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, t)
}

func (h *handlers) apiSite(w http.ResponseWriter, r *http.Request) error {
	id, d, err := h.idDate(r)
	if err != nil {
		return err
	}
	sd, err := h.store.Day(r.Context(), principal(r), id, d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, sd)
}

func (h *handlers) apiAddRoom(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in RoomInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	room, err := h.store.AddRoom(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, room)
}

func (h *handlers) apiStays(w http.ResponseWriter, r *http.Request) error {
	id, d, err := h.idDate(r)
	if err != nil {
		return err
	}
	ys, err := h.store.Stays(r.Context(), principal(r), id, d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, stayList{Items: ys})
}

func (h *handlers) apiAdmit(w http.ResponseWriter, r *http.Request) error {
	var in StayInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	y, err := h.store.Admit(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, y)
}

func (h *handlers) apiStay(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	y, err := h.store.Stay(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, y)
}

func (h *handlers) apiCheckout(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in CheckoutInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	y, err := h.store.Checkout(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, y)
}

func (h *handlers) apiUpdateSite(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in SiteInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	t, err := h.store.UpdateSite(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, t)
}

func (h *handlers) apiUpdateRoom(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in RoomInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	room, err := h.store.UpdateRoom(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, room)
}

func (h *handlers) apiFollowUp(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in SiteFollowUpInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	rec, err := h.store.RecordFollowUp(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, rec)
}
