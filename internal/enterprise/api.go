package enterprise

import (
	"context"
	"net/http"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
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
	return web.JSON(w, http.StatusOK, pg)
}

func (h *handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var in Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	e, err := h.store.Create(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/enterprises/"+itoa(e.ID))
	return web.JSON(w, http.StatusCreated, e.Masked())
}

func (h *handlers) apiReveal(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := h.store.Reveal(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return web.JSON(w, http.StatusOK, e)
}

func (h *handlers) apiSuspensions(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := h.store.Suspensions(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, SuspensionList{Items: list})
}

func (h *handlers) apiSuspend(w http.ResponseWriter, r *http.Request) error {
	return h.apiSuspension(w, r, h.store.Suspend)
}

func (h *handlers) apiLift(w http.ResponseWriter, r *http.Request) error {
	return h.apiSuspension(w, r, h.store.Lift)
}

func (h *handlers) apiSuspension(w http.ResponseWriter, r *http.Request,
	act func(ctx context.Context, p *auth.Principal, id int64, in SuspendInput) (Enterprise, error)) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in SuspendInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	e, err := act(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, e)
}

func (h *handlers) apiFilings(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	list, err := h.store.Filings(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, FilingList{Items: list})
}

func (h *handlers) apiSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in FilingInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	f, err := h.store.Submit(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/enterprises/"+itoa(id)+"/filings/"+itoa(f.ID))
	return web.JSON(w, http.StatusCreated, f)
}

func (h *handlers) apiFiling(w http.ResponseWriter, r *http.Request) error {
	id, fid, err := ids(r, "fid")
	if err != nil {
		return err
	}
	f, err := h.store.Filing(r.Context(), auth.From(r.Context()), id, fid)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, f)
}

func (h *handlers) apiResubmit(w http.ResponseWriter, r *http.Request) error {
	id, fid, err := ids(r, "fid")
	if err != nil {
		return err
	}
	var in FilingInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	f, err := h.store.Resubmit(r.Context(), auth.From(r.Context()), id, fid, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, f)
}

func (h *handlers) apiReview(w http.ResponseWriter, r *http.Request) error {
	return h.apiStep(w, r, h.store.Review)
}

func (h *handlers) apiDecision(w http.ResponseWriter, r *http.Request) error {
	return h.apiStep(w, r, h.store.Decide)
}

func (h *handlers) apiStep(w http.ResponseWriter, r *http.Request,
	act func(ctx context.Context, p *auth.Principal, id, fid int64, in DecisionInput) (Filing, error)) error {
	id, fid, err := ids(r, "fid")
	if err != nil {
		return err
	}
	var in DecisionInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	f, err := act(r.Context(), auth.From(r.Context()), id, fid, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, f)
}

func (h *handlers) apiReports(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	limit := 31
	if s := r.URL.Query().Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > 366 {
			return errs.Field("limit", "errs.bad_type")
		}
	}
	list, err := h.store.Reports(r.Context(), auth.From(r.Context()), id, d, limit)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, ReportList{Date: d, Items: list})
}

func (h *handlers) apiSaveReport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in ReportInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	rep, created, err := h.store.SaveReport(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return web.JSON(w, status, rep)
}

func (h *handlers) apiDayReports(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	list, err := h.store.DayReports(r.Context(), auth.From(r.Context()), d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, ReportList{Date: d, Items: list})
}

func (h *handlers) apiStats(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	st, err := h.store.Stats(r.Context(), auth.From(r.Context()), d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, st)
}

// apiTrend answers ?from=&to= (to defaults to the as-of day, from to 20 days before it).
func (h *handlers) apiTrend(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	to, err := h.env.AsOf(r)
	if s := q.Get("to"); s != "" {
		if to, err = storage.ParseDate(s); err != nil {
			return errs.Field("to", "errs.bad_date")
		}
	}
	if err != nil {
		return err
	}
	from := to.AddDays(-(trendDays - 1))
	if s := q.Get("from"); s != "" {
		if from, err = storage.ParseDate(s); err != nil {
			return errs.Field("from", "errs.bad_date")
		}
	}
	points, err := h.store.Trend(r.Context(), auth.From(r.Context()), from, to)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, TrendList{Items: points})
}

func (h *handlers) apiAlerts(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	a, err := h.store.Alerts(r.Context(), auth.From(r.Context()), d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, a)
}

func (h *handlers) apiQueue(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	items, err := h.store.Queue(r.Context(), auth.From(r.Context()), r.URL.Query().Get("stage"), d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, QueueList{Date: d, Items: items})
}

func (h *handlers) apiSettings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cal := h.store.Calendar(ctx)
	return web.JSON(w, http.StatusOK, SettingsInput{Mode: string(h.store.Mode(ctx)), AnswerDays: h.store.AnswerDays(ctx),
		Holidays: nonNil(cal.Holidays), Workdays: nonNil(cal.Workdays)})
}

func (h *handlers) apiSaveSettings(w http.ResponseWriter, r *http.Request) error {
	var in SettingsInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.store.SaveSettings(r.Context(), auth.From(r.Context()), in); err != nil {
		return err
	}
	return h.apiSettings(w, r)
}

func (h *handlers) apiApplications(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	if _, err := h.store.Get(r.Context(), p, id); err != nil {
		return err
	}
	list, err := h.store.Applications(r.Context(), p, AppFilter{EnterpriseID: id})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, ApplicationList{Items: list})
}

func (h *handlers) apiGrant(w http.ResponseWriter, r *http.Request) error {
	id, aid, err := ids(r, "aid")
	if err != nil {
		return err
	}
	var in GrantInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	a, err := h.store.Grant(r.Context(), auth.From(r.Context()), id, aid, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, a)
}

func (h *handlers) apiPolicies(w http.ResponseWriter, r *http.Request) error {
	list, err := h.store.Policies(r.Context(), auth.From(r.Context()))
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, PolicyList{Items: list})
}

func (h *handlers) apiPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	pl, err := h.store.Policy(r.Context(), id)
	if err != nil {
		return err
	}
	apps, err := h.store.Applications(r.Context(), auth.From(r.Context()), AppFilter{PolicyID: id})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, PolicyDetail{Policy: pl, Applications: apps})
}

func (h *handlers) apiCreatePolicy(w http.ResponseWriter, r *http.Request) error {
	var in PolicyInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	pl, err := h.store.SavePolicy(r.Context(), auth.From(r.Context()), 0, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/enterprise-policies/"+itoa(pl.ID))
	return web.JSON(w, http.StatusCreated, pl)
}

// The API's list and detail bodies, named so the OpenAPI document describes them.
type (
	// SuspensionList is an enterprise's suspensions.
	SuspensionList struct {
		Items []Suspension `json:"items"`
	}
	// FilingList is an enterprise's filings, newest first.
	FilingList struct {
		Items []Filing `json:"items"`
	}
	// ReportList is daily reports (of one enterprise, or of one day).
	ReportList struct {
		Date  storage.Date `json:"date"`
		Items []Report     `json:"items"`
	}
	// TrendList is the daily above-size resumption rate.
	TrendList struct {
		Items []TrendPoint `json:"items"`
	}
	// QueueList is the pending filings, aged up to Date.
	QueueList struct {
		Date  storage.Date `json:"date"`
		Items []QueueItem  `json:"items"`
	}
	// ApplicationList is policy applications.
	ApplicationList struct {
		Items []Application `json:"items"`
	}
	// PolicyList is the policy catalogue.
	PolicyList struct {
		Items []Policy `json:"items"`
	}
	// PolicyDetail is one policy with the applications in the caller's scope.
	PolicyDetail struct {
		Policy       Policy        `json:"policy"`
		Applications []Application `json:"applications"`
	}
)

// nonNil answers an empty list as [] rather than null.
func nonNil(days []storage.Date) []storage.Date {
	if days == nil {
		return []storage.Date{}
	}
	return days
}
