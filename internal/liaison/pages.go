package liaison

import (
	"net/http"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// home is a leader's own page; everyone else who reads liaison sees the
// overview.
func (h *handlers) home(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	if p.HasRole(auth.Leader) {
		return h.renderLeader(w, r, p.UserID)
	}
	http.Redirect(w, r, "/liaison/overview", http.StatusSeeOther)
	return nil
}

func (h *handlers) leaderPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.renderLeader(w, r, id)
}

// LeaderView is one leader's liaison work as of a day: what they are assigned
// to, their visits, and the problems they answer for, overdue first.
type LeaderView struct {
	Leader      Leader        `json:"leader"`
	Date        storage.Date  `json:"date"`
	Tally       problem.Tally `json:"tally"`
	Assignments []Assignment  `json:"assignments"`
	Problems    problem.Page  `json:"problems"`
	Visits      VisitPage     `json:"visits"`
	Own         bool          `json:"-"` // the reader is this leader
	CanWrite    bool          `json:"-"` // the reader may record for this leader
	Viewer      int64         `json:"-"`
}

// leaderView assembles a leader's page for the reader as of day d.
func (h *handlers) leaderView(r *http.Request, id int64, d storage.Date, cursor string) (LeaderView, error) {
	ctx, p := r.Context(), auth.From(r.Context())
	l, err := h.store.Leader(ctx, h.env.DB.R, id)
	if err != nil {
		return LeaderView{}, err
	}
	v := LeaderView{Leader: l, Date: d, Own: p.UserID == id, Viewer: p.UserID}
	v.CanWrite = (v.Own && p.Can(PermWrite)) || p.Can(PermManage)
	iv, as, err := h.store.Involvement(ctx, p, id)
	if err != nil {
		return v, err
	}
	for i := range as {
		as[i].Current = as[i].Covers(d)
	}
	v.Assignments = as
	if v.Problems, err = h.store.Problems.List(ctx, p, problem.Filter{Source: Source, Involving: &iv, AsOf: d,
		Cursor: cursor, Limit: 100}); err != nil {
		return v, err
	}
	if v.Problems.Items == nil {
		v.Problems.Items = []problem.Problem{}
	}
	snaps, err := h.store.Problems.Snapshots(ctx, p, d, Source)
	if err != nil {
		return v, err
	}
	for _, sn := range snaps {
		if iv.Covers(sn) {
			v.Tally.Add(sn)
		}
	}
	v.Visits, err = h.store.Visits(ctx, p, VisitFilter{LeaderID: id, Limit: 20})
	return v, err
}

func (h *handlers) renderLeader(w http.ResponseWriter, r *http.Request, id int64) error {
	d, err := h.asOf(r)
	if err != nil {
		return err
	}
	v, err := h.leaderView(r, id, d, "")
	if err != nil {
		return err
	}
	return h.env.Render.Page(w, r, http.StatusOK, "liaison_leader", web.T(r, "liaison.leader_title", v.Leader.Name), v)
}

func (h *handlers) overview(w http.ResponseWriter, r *http.Request) error {
	d, err := h.asOf(r)
	if err != nil {
		return err
	}
	o, err := h.store.Overview(r.Context(), auth.From(r.Context()), d)
	if err != nil {
		return err
	}
	return h.env.Render.Page(w, r, http.StatusOK, "liaison_overview", web.T(r, "liaison.overview_title"), o)
}

// photo serves a photo's bytes (page and API alike), as the type its bytes
// were sniffed as when stored.
func (h *handlers) photo(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	ph, data, err := h.store.PhotoData(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", ph.ContentType)
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	hd.Set("Cache-Control", "private, max-age=86400")
	hd.Set("ETag", `"`+ph.SHA256+`"`)
	hd.Set("Content-Disposition", "inline")
	if match := r.Header.Get("If-None-Match"); match == `"`+ph.SHA256+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, err = w.Write(data)
	return err
}

// formStatus is the status of a re-rendered form: 422 for field errors,
// else the error's own.
func formStatus(err error) int { return web.Status(errs.CodeOf(err)) }
