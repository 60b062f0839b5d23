package checkpoint

import (
	"net/http"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// CheckpointList is the checkpoint list answer.
type CheckpointList struct {
	Items []Checkpoint `json:"items"`
}

func (h *handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	list, err := h.store.List(r.Context(), auth.From(r.Context()), div)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, CheckpointList{Items: list})
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
	w.Header().Set("Location", "/api/v1/checkpoints/"+itoa(c.ID))
	return web.JSON(w, http.StatusCreated, c)
}

func (h *handlers) apiOverview(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	ov, err := h.store.Overview(r.Context(), auth.From(r.Context()), d, div)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, ov)
}

func (h *handlers) apiPassages(w http.ResponseWriter, r *http.Request) error {
	f, err := h.passageFilter(r)
	if err != nil {
		return err
	}
	pg, err := h.store.Passages(r.Context(), auth.From(r.Context()), f)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, pg)
}

// passageFilter reads ?checkpoint=, ?date= (one day in the county's zone),
// ?cursor= and ?limit=.
func (h *handlers) passageFilter(r *http.Request) (PassageFilter, error) {
	q := r.URL.Query()
	f := PassageFilter{Cursor: q.Get("cursor")}
	var err error
	if f.CheckpointID, err = queryID(r, "checkpoint"); err != nil {
		return f, err
	}
	if q.Get("date") != "" {
		d, err := h.env.AsOf(r)
		if err != nil {
			return f, err
		}
		f.From, f.To = dayBounds(d.Year(), d.Month(), d.Day(), h.env.Zone)
	}
	n, err := queryID(r, "limit")
	if err != nil || n > 500 {
		return f, errs.Field("limit", "errs.bad_type")
	}
	f.Limit = int(n)
	return f, nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
