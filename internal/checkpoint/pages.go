package checkpoint

import (
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// listRow is a checkpoint as the list shows it.
type listRow struct {
	Checkpoint
	CanRecord bool
}

type listData struct {
	Rows     []listRow
	Division string
}

func (h *handlers) list(w http.ResponseWriter, r *http.Request) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	cps, err := h.store.List(r.Context(), p, div)
	if err != nil {
		return err
	}
	d := listData{}
	for _, c := range cps {
		d.Rows = append(d.Rows, listRow{Checkpoint: c, CanRecord: may(p, auth.PermPassageWrite, c.ID, c.divisionPath)})
	}
	if div != 0 {
		if n, err := h.org.ByID(r.Context(), div); err == nil {
			d.Division = n.Name(string(web.RequestLang(r)))
		}
	}
	return h.env.Render.Page(w, r, http.StatusOK, "checkpoint_list", web.T(r, "checkpoint.list_title"), d)
}

type formData struct {
	ID        int64
	Divisions []option
	Kinds     []option
	Statuses  []option
}

func (h *handlers) formPage(w http.ResponseWriter, r *http.Request, status int, id int64, f *web.Form) error {
	p := auth.From(r.Context())
	divs, err := h.divisionOptions(r.Context(), p, auth.PermCheckpointWrite, string(web.RequestLang(r)))
	if err != nil {
		return err
	}
	title := web.T(r, "checkpoint.new_title")
	if id != 0 {
		title = web.T(r, "checkpoint.edit_title")
	}
	d := formData{ID: id, Divisions: divs, Kinds: kindOptions(false), Statuses: statusOptions()}
	return h.env.Render.PageForm(w, r, status, "checkpoint_form", title, d, f)
}

func (h *handlers) newForm(w http.ResponseWriter, r *http.Request) error {
	return h.formPage(w, r, http.StatusOK, 0, web.NewForm(url.Values{"kind": {string(VillageEntrance)}, "status": {string(Open)}}))
}

// inputOf reads the checkpoint form.
func inputOf(f *web.Form) Input {
	div, _ := strconv.ParseInt(f.Get("division_id"), 10, 64)
	ver, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	in := Input{DivisionID: div, Kind: f.Get("kind"), Name: f.Get("name"), Status: f.Get("status"),
		Notes: f.Get("notes"), Version: ver}
	if f.Get("all_day") == "" {
		in.HoursFrom, in.HoursTo = f.Get("hours_from"), f.Get("hours_to")
	}
	return in
}

func (h *handlers) create(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	c, err := h.store.Create(r.Context(), auth.From(r.Context()), inputOf(f))
	if err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.formPage(w, r, web.Status(errs.CodeOf(err)), 0, f)
	}
	web.Redirect(w, r, "/checkpoints/"+itoa(c.ID), "checkpoint.saved")
	return nil
}

func (h *handlers) editForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.store.Get(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	v := url.Values{"division_id": {itoa(c.DivisionID)}, "kind": {string(c.Kind)}, "name": {c.Name},
		"hours_from": {c.HoursFrom}, "hours_to": {c.HoursTo}, "status": {string(c.Status)}, "notes": {c.Notes},
		"version": {strconv.FormatInt(c.Version, 10)}}
	if c.AllDay() {
		v.Set("all_day", "1")
	}
	return h.formPage(w, r, http.StatusOK, id, web.NewForm(v))
}

func (h *handlers) update(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, err := h.store.Update(r.Context(), auth.From(r.Context()), id, inputOf(f)); err != nil {
		if !f.SetError(err) || errs.CodeOf(err) == errs.NotFound || errs.CodeOf(err) == errs.Forbidden {
			return err
		}
		return h.formPage(w, r, web.Status(errs.CodeOf(err)), id, f)
	}
	web.Redirect(w, r, "/checkpoints/"+itoa(id), "checkpoint.saved")
	return nil
}

type detailData struct {
	Checkpoint Checkpoint
	Day        CheckpointDay
	Date       string
	Passages   PassagePage
	CanRecord  bool
	CanEdit    bool
	NextURL    string
}

func (h *handlers) detail(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx, p := r.Context(), auth.From(r.Context())
	c, err := h.store.Get(ctx, p, id)
	if err != nil {
		return err
	}
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	from, to := dayBounds(d.Year(), d.Month(), d.Day(), h.env.Zone)
	data := detailData{Checkpoint: c, Date: d.String(), CanRecord: may(p, auth.PermPassageWrite, c.ID, c.divisionPath),
		CanEdit: p.Scope(auth.PermCheckpointWrite).Contains(c.divisionPath)}
	if p.Can(auth.PermPassageRead) {
		data.Passages, err = h.store.Passages(ctx, p, PassageFilter{CheckpointID: id, From: from, To: to, Cursor: r.URL.Query().Get("cursor")})
		if err != nil {
			return err
		}
	}
	counts, err := h.store.dayCounts(ctx, p, d, id)
	if err != nil {
		return err
	}
	data.Day = CheckpointDay{Checkpoint: c, Figures: counts[id]}
	if data.Passages.Next != "" {
		data.NextURL = "/checkpoints/" + itoa(id) + "?" + url.Values{"date": {d.String()}, "cursor": {data.Passages.Next}}.Encode()
	}
	return h.env.Render.Page(w, r, http.StatusOK, "checkpoint_detail", c.Name, data)
}
