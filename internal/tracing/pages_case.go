package tracing

import (
	"net/http"
	"strconv"
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// queryWindow reads ?window= (minutes, 1..MaxCoPresenceMinutes); 0 when
// absent, meaning the county's setting.
func queryWindow(r *http.Request) (int, error) {
	n, err := queryInt(r, "window")
	if err != nil || n > MaxCoPresenceMinutes || (r.URL.Query().Get("window") != "" && n < 1) {
		return 0, errs.Field("window", "tracing.err.window", MaxCoPresenceMinutes)
	}
	return int(n), nil
}

// caseView is what the case's tracing page shows.
type caseView struct {
	CoPresence
	Exposures []Exposure
	Keep      string          // the window the page was asked with, for the form
	Picked    map[string]bool // the suggestions ticked before a rejected post
}

// casePage is a case's tracing page: the case, its exposures, and the
// checkpoint co-presence suggestions with the form that records them.
func (h *handlers) casePage(w http.ResponseWriter, r *http.Request) error {
	return h.casePageWith(w, r, http.StatusOK, nil)
}

func (h *handlers) casePageWith(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	win, werr := queryWindow(r)
	cp, err := h.store.CoPresence(r.Context(), principal(r), id, win)
	if err != nil {
		return err
	}
	if werr != nil && f == nil { // a bad window: the setting's, with the field marked
		f = web.NewForm(r.URL.Query())
		f.SetError(werr)
		status = http.StatusUnprocessableEntity
	}
	v := caseView{CoPresence: cp, Exposures: []Exposure{}, Keep: r.URL.Query().Get("window"), Picked: map[string]bool{}}
	if f != nil {
		for _, pk := range f.Values["pick"] {
			v.Picked[pk] = true
		}
	}
	if cp.Case.PersonID != 0 {
		if v.Exposures, err = h.store.Exposures(r.Context(), principal(r), ExposureFilter{Person: cp.Case.PersonID, Limit: 200}); err != nil {
			return err
		}
	}
	return h.env.Render.PageForm(w, r, status, "tracing_case", web.T(r, "tracing.case_title", cp.Case.ID), v, f)
}

// recordCoPresence is the suggestion form's post: the ticked suggestions
// ("person:passage") become exposures in one go.
func (h *handlers) recordCoPresence(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := CoPresenceInput{}
	in.WindowMinutes, _ = strconv.Atoi(f.Get("window"))
	for _, v := range f.Values["pick"] {
		a, b, _ := strings.Cut(v, ":")
		person, _ := strconv.ParseInt(a, 10, 64)
		passage, _ := strconv.ParseInt(b, 10, 64)
		in.Items = append(in.Items, CoPresencePick{ContactID: person, PassageID: passage})
	}
	if _, err := h.store.RecordCoPresence(r.Context(), principal(r), id, in); err != nil {
		if !f.Refused(err) {
			return err
		}
		// The picks' errors name items by their order, which the page does
		// not show: the first one becomes the form's message.
		for _, fe := range errs.As(err).Fields {
			if strings.HasPrefix(fe.Field, "items") {
				m := fe.Msg
				f.Error = &m
				break
			}
		}
		q := r.URL.Query()
		if in.WindowMinutes > 0 {
			q.Set("window", strconv.Itoa(in.WindowMinutes))
		}
		r.URL.RawQuery = q.Encode()
		return h.casePageWith(w, r, http.StatusUnprocessableEntity, f)
	}
	to := "/tracing/cases/" + itoa(id)
	if in.WindowMinutes > 0 {
		to += "?window=" + strconv.Itoa(in.WindowMinutes)
	}
	web.Redirect(w, r, to, "tracing.flash.copresence")
	return nil
}

func (h *handlers) apiCoPresence(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	win, err := queryWindow(r)
	if err != nil {
		return err
	}
	cp, err := h.store.CoPresence(r.Context(), principal(r), id, win)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, cp)
}

func (h *handlers) apiRecordCoPresence(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in CoPresenceInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	es, err := h.store.RecordCoPresence(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, exposureList{Items: es})
}
