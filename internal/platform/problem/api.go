package problem

import (
	"net/http"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

func (h *handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	f, err := h.filterOf(r)
	if err != nil {
		return err
	}
	pg, err := h.store.List(r.Context(), auth.From(r.Context()), f)
	if err != nil {
		return err
	}
	if pg.Items == nil {
		pg.Items = []Problem{}
	}
	return web.JSON(w, http.StatusOK, pg)
}

func (h *handlers) apiGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := h.store.Get(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	pr.Overdue = OverdueAt(pr.Status, pr.Deadline, h.asOf(r))
	return web.JSON(w, http.StatusOK, pr)
}

// asOf is the day a single problem's overdue flag is judged on: the day
// asked for, else the platform's default day (the demo's), else today.
func (h *handlers) asOf(r *http.Request) storage.Date {
	d, err := h.env.AsOf(r)
	if err != nil {
		return h.env.Today()
	}
	return d
}

// stepRequest is the body of a step: the note (what was done, why it is
// reopened, a comment). Confirm and start may omit it.
type stepRequest struct {
	Note string `json:"note"`
}

// apiStep answers POST /api/v1/problems/{id}/{action}: 200 with the problem
// as it now stands; 403 when the caller's relation never allows the action,
// 409 when the problem's status does not allow it now.
func (h *handlers) apiStep(a Action) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id")
		if err != nil {
			return err
		}
		var req stepRequest
		if r.ContentLength != 0 {
			if err := web.DecodeJSON(r, &req); err != nil {
				return err
			}
		}
		pr, err := h.store.Step(r.Context(), auth.From(r.Context()), id, a, req.Note)
		if err != nil {
			return err
		}
		pr.Overdue = OverdueAt(pr.Status, pr.Deadline, h.asOf(r))
		return web.JSON(w, http.StatusOK, pr)
	}
}

func (h *handlers) apiAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in AssignInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	pr, err := h.store.Assign(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return err
	}
	pr.Overdue = OverdueAt(pr.Status, pr.Deadline, h.asOf(r))
	return web.JSON(w, http.StatusOK, pr)
}

// Stats is the answer of GET /api/v1/problems/stats: the problems the caller
// may see, counted as they stood at the end of Date, in total and by the
// department they were assigned to.
type Stats struct {
	Date         string            `json:"date"`
	Source       string            `json:"source,omitempty"`
	Total        Tally             `json:"total"`
	ByDepartment []DepartmentTally `json:"by_department"`
}

func (h *handlers) apiStats(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	source := r.URL.Query().Get("source")
	st, err := h.store.Stats(r.Context(), auth.From(r.Context()), d, source)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, st)
}
