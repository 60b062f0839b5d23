package liaison

import (
	"net/http"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/web"
)

// leadersResponse lists the county leaders.
type leadersResponse struct {
	Items []Leader `json:"items"`
}

func (h *handlers) apiLeaders(w http.ResponseWriter, r *http.Request) error {
	ls, err := h.store.Leaders(r.Context())
	if err != nil {
		return err
	}
	if ls == nil {
		ls = []Leader{}
	}
	return web.JSON(w, http.StatusOK, leadersResponse{Items: ls})
}

// apiLeader answers GET /api/v1/liaison/leaders/{id}?date=: the leader's
// page as JSON (the first 100 problems; the rest through /problems).
func (h *handlers) apiLeader(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	d, err := h.asOf(r)
	if err != nil {
		return err
	}
	v, err := h.leaderView(r, id, d, "")
	if err != nil {
		return err
	}
	if v.Assignments == nil {
		v.Assignments = []Assignment{}
	}
	return web.JSON(w, http.StatusOK, v)
}

func (h *handlers) apiOverview(w http.ResponseWriter, r *http.Request) error {
	d, err := h.asOf(r)
	if err != nil {
		return err
	}
	o, err := h.store.Overview(r.Context(), auth.From(r.Context()), d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, o)
}

// assignmentsResponse lists assignments (a leader has a few dozen at most,
// so the list is not paged).
type assignmentsResponse struct {
	Items []Assignment `json:"items"`
}

func (h *handlers) apiAssignments(w http.ResponseWriter, r *http.Request) error {
	leader, err := leaderParam(r)
	if err != nil {
		return err
	}
	d, err := h.asOf(r)
	if err != nil {
		return err
	}
	as, err := h.store.Assignments(r.Context(), auth.From(r.Context()), leader, d)
	if err != nil {
		return err
	}
	if as == nil {
		as = []Assignment{}
	}
	return web.JSON(w, http.StatusOK, assignmentsResponse{Items: as})
}

func (h *handlers) apiAssignmentCreate(w http.ResponseWriter, r *http.Request) error {
	var in AssignmentInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	a, err := h.store.CreateAssignment(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/liaison/assignments/"+itoa(a.ID))
	return web.JSON(w, http.StatusCreated, a)
}

func (h *handlers) apiAssignment(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	a, err := h.store.Assignment(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	a.Current = a.Covers(h.env.Today())
	return web.JSON(w, http.StatusOK, a)
}

func (h *handlers) apiVisits(w http.ResponseWriter, r *http.Request) error {
	leader, err := leaderParam(r)
	if err != nil {
		return err
	}
	pg, err := h.store.Visits(r.Context(), auth.From(r.Context()), VisitFilter{LeaderID: leader, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, pg)
}

// apiVisitCreate records a visit from JSON; photos follow through
// POST /api/v1/liaison/visits/{id}/photos.
func (h *handlers) apiVisitCreate(w http.ResponseWriter, r *http.Request) error {
	var in VisitInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.store.CreateVisit(r.Context(), auth.From(r.Context()), in, nil)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/liaison/visits/"+itoa(v.ID))
	return web.JSON(w, http.StatusCreated, v)
}

// photosResponse lists the photos just stored.
type photosResponse struct {
	Items []Photo `json:"items"`
}

// apiPhotos attaches photos to a visit: multipart/form-data with one or more
// "photo" parts, or the image itself as the body (?name= names it).
func (h *handlers) apiPhotos(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var ups []Upload
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		_, ups, err = readUploads(r, h.store.photoLimit(), h.env.MaxBody)
	} else {
		ups, err = readRawPhoto(r, h.store.photoLimit(), h.env.MaxBody)
	}
	if err != nil {
		return err
	}
	phs, err := h.store.AddPhotos(r.Context(), auth.From(r.Context()), id, ups)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, photosResponse{Items: phs})
}

// apiProblems answers GET /api/v1/liaison/problems?leader=&date=&cursor=:
// the liaison problems a leader answers for (the caller, when they are a
// leader and no leader is named), overdue first.
func (h *handlers) apiProblems(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	leader, err := leaderParam(r)
	if err != nil {
		return err
	}
	d, err := h.asOf(r)
	if err != nil {
		return err
	}
	if leader == 0 {
		leader = p.UserID
	}
	if _, err := h.store.Leader(r.Context(), h.env.DB.R, leader); err != nil {
		return err
	}
	pg, err := h.store.LeaderProblems(r.Context(), p, leader, d, r.URL.Query().Get("cursor"), 0)
	if err != nil {
		return err
	}
	if pg.Items == nil {
		pg.Items = []problem.Problem{}
	}
	return web.JSON(w, http.StatusOK, pg)
}

func (h *handlers) apiProblemCreate(w http.ResponseWriter, r *http.Request) error {
	var in ProblemInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	pr, err := h.store.RaiseProblem(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/problems/"+itoa(pr.ID))
	return web.JSON(w, http.StatusCreated, pr)
}
