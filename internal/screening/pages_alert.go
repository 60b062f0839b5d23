package screening

import (
	"net/http"
	"net/url"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

type alertsData struct {
	Page      Page[Alert]
	Filter    AlertFilter
	States    []option
	Divisions []option
	NextURL   string
}

func (h *handlers) alerts(w http.ResponseWriter, r *http.Request) error {
	f, err := h.alertFilterOf(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	pg, err := h.store.Alerts(r.Context(), p, f)
	if err != nil {
		return err
	}
	divs, err := h.divisionOptions(r.Context(), p, string(web.RequestLang(r)))
	if err != nil {
		return err
	}
	d := alertsData{Page: pg, Filter: f, Divisions: divs,
		States: choices([]AlertState{AlertsOpen, AlertsOpened, AlertsClosed}, "screening.alert_state.", true)}
	if pg.Next != "" {
		q := r.URL.Query()
		q.Set("cursor", pg.Next)
		d.NextURL = "/screening/alerts?" + q.Encode()
	}
	form := web.NewForm(r.URL.Query())
	form.Values.Set("date", f.Date.String())
	return h.env.Render.PageForm(w, r, http.StatusOK, "screening_alerts", web.T(r, "screening.alerts.title"), d, form)
}

func (h *handlers) alertFilterOf(r *http.Request) (AlertFilter, error) {
	q := r.URL.Query()
	d, div, err := h.asOf(r)
	f := AlertFilter{Date: d, DivisionID: div, State: AlertState(q.Get("state")), Cursor: q.Get("cursor")}
	var fc errs.FieldCollector
	for _, fe := range errFields(err) {
		fc.Add(fe.Field, fe.Msg.Key, fe.Msg.Args...)
	}
	switch f.State {
	case "", AlertsOpen, AlertsOpened, AlertsClosed:
	default:
		fc.Add("state", "errs.bad_choice")
	}
	if f.Limit, err = queryLimit(r); err != nil {
		fc.Add("limit", "errs.bad_type")
	}
	return f, fc.Err()
}

type alertData struct {
	Alert      Alert
	Next       []option
	Results    []option
	CanCase    bool
	Now        string
	Stages     []Stage
	StageIndex int
}

func (h *handlers) alertPage(w http.ResponseWriter, r *http.Request, status int, id int64, f *web.Form) error {
	p := auth.From(r.Context())
	a, err := h.store.GetAlert(r.Context(), p, id)
	if err != nil {
		return err
	}
	d := alertData{Alert: a, Next: choices(NextEvents(a.Stage), "screening.event.", false),
		Results: choices(Results, "screening.result.", false), CanCase: p.Can(auth.PermCaseWrite),
		Now: h.countyTime(h.env.Now()), Stages: []Stage{StageOpened, StageNotified, StageTransferred, StageClosed}}
	for i, s := range d.Stages {
		if s == a.Stage {
			d.StageIndex = i
		}
	}
	if f == nil {
		v := url.Values{"at": {d.Now}}
		if len(d.Next) > 0 {
			v.Set("kind", d.Next[0].Value)
		}
		f = web.NewForm(v)
	}
	return h.env.Render.PageForm(w, r, status, "screening_alert", web.T(r, "screening.alert.title", a.ID), d, f)
}

func (h *handlers) alert(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.alertPage(w, r, http.StatusOK, id, nil)
}

func (h *handlers) alertEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := AlertEventInput{Kind: f.Get("kind"), At: f.Get("at"), Hospital: f.Get("hospital"), Result: f.Get("result"),
		Note: f.Get("note"), CreateCase: f.Get("create_case") == "1", Version: formID(f, "version")}
	if _, err := h.store.AddAlertEvent(r.Context(), auth.From(r.Context()), id, in); err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.alertPage(w, r, web.Status(errs.CodeOf(err)), id, f)
	}
	web.Redirect(w, r, "/screening/alerts/"+itoa(id), "screening.alert.saved")
	return nil
}
