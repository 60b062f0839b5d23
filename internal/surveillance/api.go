package surveillance

import (
	"net/http"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/web"
)

func (h *handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	pg, err := h.store.List(r.Context(), auth.From(r.Context()), f)
	if err != nil {
		return err
	}
	if pg.Items == nil {
		pg.Items = []Case{}
	}
	return web.JSON(w, http.StatusOK, pg)
}

func (h *handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var in Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := h.store.Create(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/cases/"+itoa(c.ID))
	return web.JSON(w, http.StatusCreated, c.Masked())
}

func (h *handlers) apiReveal(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.store.Reveal(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return web.JSON(w, http.StatusOK, c)
}

func (h *handlers) apiUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := h.store.Update(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, c.Masked())
}

// eventRequest is the body of a status change.
type eventRequest struct {
	Kind string `json:"kind"`
	Day  string `json:"day"`
	Note string `json:"note"`
}

func (h *handlers) apiAddEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req eventRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	c, err := h.store.AddEvent(r.Context(), auth.From(r.Context()), id, Status(req.Kind), req.Day, req.Note)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, c)
}
