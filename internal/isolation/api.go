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
