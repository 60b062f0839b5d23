package screening

import (
	"encoding/json"
	"net/http"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/web"
)

func registerAPI(rt *web.Router, h *handlers) {
	rt.API("GET /api/v1/persons", PermRead, h.apiPersons)
	rt.API("POST /api/v1/persons", PermWrite, h.apiPersonCreate)
	rt.API("GET /api/v1/persons/{id}", PermRead, h.apiPerson)
	rt.API("PUT /api/v1/persons/{id}", PermWrite, h.apiPersonUpdate)
	rt.API("POST /api/v1/persons/{id}/reveal", auth.PermPIIReveal, h.apiPersonReveal)
	rt.API("POST /api/v1/persons/{id}/travels", PermWrite, h.apiTravelAdd)
	rt.API("POST /api/v1/persons/{id}/merge", PermWrite, h.apiPersonMerge)
	rt.API("POST /api/v1/persons/import", PermWrite, h.apiImport)
	rt.API("GET /api/v1/persons/import/{id}", PermWrite, h.apiImportJob)
	rt.API("GET /api/v1/persons/registrations", PermRead, h.apiQueue)
	rt.API("POST /api/v1/persons/registrations/{id}/accept", PermWrite, h.apiAccept)
	rt.API("POST /api/v1/persons/registrations/{id}/reject", PermWrite, h.apiReject)
	rt.API("GET /api/v1/observations", PermRead, h.apiObservations)
	rt.API("POST /api/v1/observations", PermWrite, h.apiObserve)
	rt.API("POST /api/v1/observations/release", PermWrite, h.apiReleaseMany)
	rt.API("GET /api/v1/observations/{id}", PermRead, h.apiObservation)
	rt.API("POST /api/v1/observations/{id}/adjust", PermWrite, h.apiAdjust)
	rt.API("POST /api/v1/observations/{id}/release", PermWrite, h.apiRelease)
	rt.API("POST /api/v1/observations/{id}/kind", PermWrite, h.apiKind)
	rt.API("GET /api/v1/followups/due", PermRead, h.apiDue)
	rt.API("POST /api/v1/followups", PermWrite, h.apiFollowUp)
	rt.API("POST /api/v1/followups/batch", PermWrite, h.apiFollowUps)
	rt.API("GET /api/v1/alerts", PermRead, h.apiAlerts)
	rt.API("GET /api/v1/alerts/{id}", PermRead, h.apiAlert)
	rt.API("POST /api/v1/alerts/{id}/events", PermWrite, h.apiAlertEvent)
	rt.API("GET /api/v1/screening/overview", PermRead, h.apiOverview)
	rt.API("GET /api/v1/screening/households", PermRead, h.apiHouseholds)
	rt.API("POST /api/v1/screening/households", PermWrite, h.apiHouseholdAdd)
	rt.API("GET /api/v1/screening/rules", PermRead, h.apiRules)
	rt.API("PUT /api/v1/screening/rules", auth.PermSettings, h.apiRulesSave)
	rt.API("GET /api/v1/screening/links", PermWrite, h.apiLinks)
}

// dupProblem is the problem document of a refused second registration: the
// usual fields plus a pointer to the existing record (an RFC 9457 extension
// member).
type dupProblem struct {
	web.Problem
	Existing existing `json:"existing"`
}

type existing struct {
	ID      int64  `json:"id"`
	By      string `json:"by"`
	Href    string `json:"href,omitempty"`
	Visible bool   `json:"visible"`
}

// fail answers err; a duplicate gets its pointer.
func (h *handlers) fail(w http.ResponseWriter, r *http.Request, err error) error {
	d, ok := DuplicateOf(err)
	if !ok {
		return err
	}
	pr := dupProblem{Problem: web.ProblemOf(err, web.RequestLang(r)), Existing: existing{ID: d.ID, By: d.By, Visible: d.Visible}}
	if d.Visible {
		pr.Existing.Href = "/api/v1/persons/" + itoa(d.ID)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(pr.Status)
	return json.NewEncoder(w).Encode(pr)
}

func empty[T any](pg Page[T]) Page[T] {
	if pg.Items == nil {
		pg.Items = []T{}
	}
	return pg
}

func (h *handlers) apiPersons(w http.ResponseWriter, r *http.Request) error {
	f, err := personFilterOf(r)
	if err != nil {
		return err
	}
	pg, err := h.store.List(r.Context(), auth.From(r.Context()), f)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, empty(pg))
}

func (h *handlers) apiPersonCreate(w http.ResponseWriter, r *http.Request) error {
	var in PersonInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := h.store.Create(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		return h.fail(w, r, err)
	}
	c.Person = c.Person.Masked()
	if c.Observation != nil {
		m := c.Observation.Masked()
		c.Observation = &m
	}
	w.Header().Set("Location", "/api/v1/persons/"+itoa(c.Person.ID))
	return web.JSON(w, http.StatusCreated, c)
}

func (h *handlers) apiPerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, err := h.store.Get(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, pr)
}

func (h *handlers) apiPersonUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in PersonInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.Travel != nil || in.Observe != nil {
		return errs.Field("travel", "screening.err.update_only_person")
	}
	pr, err := h.store.Update(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return h.fail(w, r, err)
	}
	return web.JSON(w, http.StatusOK, pr.Masked())
}

func (h *handlers) apiPersonReveal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pr, err := h.store.Reveal(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return web.JSON(w, http.StatusOK, pr)
}

func (h *handlers) apiTravelAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in TravelInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	t, err := h.store.AddTravel(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, t)
}

// mergeRequest merges other_id into the record of the path.
type mergeRequest struct {
	OtherID int64  `json:"other_id"`
	Reason  string `json:"reason"`
}

func (h *handlers) apiPersonMerge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in mergeRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	pr, err := h.store.Merge(r.Context(), auth.From(r.Context()), id, in.OtherID, in.Reason)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, pr)
}

// apiImport takes a multipart upload (file, division_id, mode) and answers
// 202 with the job to poll.
func (h *handlers) apiImport(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return errs.Field("file", "screening.import.no_file")
	}
	defer file.Close()
	opt := ImportOptions{DivisionID: formID(f, "division_id"), Mode: excel.ParseMode(f.Get("mode")), FileName: hdr.Filename}
	if opt.DivisionID != 0 {
		if _, err := village(r.Context(), h.env.DB.R, p, PermWrite, opt.DivisionID, "division_id"); err != nil {
			return err
		}
	}
	id, err := h.startImport(r, p, file, opt)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/persons/import/"+itoa(id))
	return web.JSON(w, http.StatusAccepted, map[string]any{"id": id, "status": "queued"})
}

func (h *handlers) apiImportJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	j, err := h.store.ImportJob(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, j)
}

func (h *handlers) apiQueue(w http.ResponseWriter, r *http.Request) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg, err := h.store.Queue(r.Context(), auth.From(r.Context()), QueueFilter{DivisionID: div, Status: q.Get("status"), Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, empty(pg))
}

func (h *handlers) apiAccept(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in AcceptInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := h.store.Accept(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return h.fail(w, r, err)
	}
	c.Person = c.Person.Masked()
	return web.JSON(w, http.StatusOK, c)
}

// rejectRequest declines a self-registration.
type rejectRequest struct {
	Reason string `json:"reason"`
}

func (h *handlers) apiReject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in rejectRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.store.Reject(r.Context(), auth.From(r.Context()), id, in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *handlers) apiObservations(w http.ResponseWriter, r *http.Request) error {
	f, err := h.obsFilterOf(r)
	if err != nil {
		return err
	}
	pg, err := h.store.Observations(r.Context(), auth.From(r.Context()), f)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, empty(pg))
}

func (h *handlers) apiObserve(w http.ResponseWriter, r *http.Request) error {
	var in ObservationInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	o, err := h.store.Open(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/observations/"+itoa(o.ID))
	return web.JSON(w, http.StatusCreated, o)
}

func (h *handlers) apiObservation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := h.store.GetObservation(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, o)
}

func (h *handlers) apiAdjust(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in AdjustInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	o, err := h.store.Adjust(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, o)
}

func (h *handlers) apiRelease(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in ReleaseInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	o, err := h.store.Release(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, o)
}

// releaseManyRequest releases several observations at once.
type releaseManyRequest struct {
	IDs  []int64 `json:"ids"`
	Day  string  `json:"day"`
	Note string  `json:"note"`
}

func (h *handlers) apiReleaseMany(w http.ResponseWriter, r *http.Request) error {
	var in releaseManyRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	n, err := h.store.ReleaseMany(r.Context(), auth.From(r.Context()), in.IDs, ReleaseInput{Day: in.Day, Note: in.Note})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]int{"released": n})
}

// kindRequest moves an observation between home and centralized.
type kindRequest struct {
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

func (h *handlers) apiKind(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in kindRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	o, err := h.store.SetKind(r.Context(), auth.From(r.Context()), id, Kind(in.Kind), in.Reason)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, o)
}

func (h *handlers) apiDue(w http.ResponseWriter, r *http.Request) error {
	d, div, err := h.asOf(r)
	if err != nil {
		return err
	}
	list, err := h.store.Due(r.Context(), auth.From(r.Context()), div, d)
	if err != nil {
		return err
	}
	if list.Rows == nil {
		list.Rows = []DueRow{}
	}
	return web.JSON(w, http.StatusOK, list)
}

func (h *handlers) apiFollowUp(w http.ResponseWriter, r *http.Request) error {
	var in FollowUpInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	rec, err := h.store.RecordFollowUp(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		return err
	}
	if rec.Alert != nil {
		m := rec.Alert.Masked()
		rec.Alert = &m
	}
	return web.JSON(w, http.StatusCreated, rec)
}

// batchRequest records several follow-ups at once.
type batchRequest struct {
	Items []FollowUpInput `json:"items"`
}

func (h *handlers) apiFollowUps(w http.ResponseWriter, r *http.Request) error {
	var in batchRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	recs, err := h.store.RecordMany(r.Context(), auth.From(r.Context()), in.Items)
	if err != nil {
		return err
	}
	for i := range recs {
		if recs[i].Alert != nil {
			m := recs[i].Alert.Masked()
			recs[i].Alert = &m
		}
	}
	return web.JSON(w, http.StatusCreated, map[string]any{"items": recs})
}

func (h *handlers) apiAlerts(w http.ResponseWriter, r *http.Request) error {
	f, err := h.alertFilterOf(r)
	if err != nil {
		return err
	}
	pg, err := h.store.Alerts(r.Context(), auth.From(r.Context()), f)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, empty(pg))
}

func (h *handlers) apiAlert(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := h.store.GetAlert(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, a)
}

func (h *handlers) apiAlertEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in AlertEventInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	a, err := h.store.AddAlertEvent(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, a)
}

func (h *handlers) apiOverview(w http.ResponseWriter, r *http.Request) error {
	d, div, err := h.asOf(r)
	if err != nil {
		return err
	}
	ov, err := h.store.Overview(r.Context(), auth.From(r.Context()), d, div)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, ov)
}

func (h *handlers) apiHouseholds(w http.ResponseWriter, r *http.Request) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	pg, err := h.store.Households(r.Context(), auth.From(r.Context()), HouseholdFilter{DivisionID: div, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, empty(pg))
}

func (h *handlers) apiHouseholdAdd(w http.ResponseWriter, r *http.Request) error {
	var in HouseholdInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	hh, err := h.store.RecordHousehold(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, hh.Masked())
}

func (h *handlers) apiRules(w http.ResponseWriter, r *http.Request) error {
	return web.JSON(w, http.StatusOK, rulesJSON(h.store.Rules(r.Context())))
}

// rulesJSON is the rules as the API reads and writes them.
func rulesJSON(rl Rules) RulesInput {
	v := rulesValues(rl)
	return RulesInput{PeriodDays: v.Get("period_days"), ReturneeBasis: v.Get("basis_returnee"), ContactBasis: v.Get("basis_contact"),
		Fever: v.Get("fever"), FeverOp: v.Get("fever_op"), SelfRegPerHour: v.Get("selfreg_per_hour"), AMCutoff: v.Get("am_cutoff")}
}

func (h *handlers) apiRulesSave(w http.ResponseWriter, r *http.Request) error {
	var in RulesInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.store.SaveRules(r.Context(), in); err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, rulesJSON(h.store.Rules(r.Context())))
}

// linkJSON is a village's self-registration link in the API.
type linkJSON struct {
	DivisionID int64  `json:"division_id"`
	Name       string `json:"name"`
	URL        string `json:"url"`
	Generation int64  `json:"generation"`
}

func (h *handlers) apiLinks(w http.ResponseWriter, r *http.Request) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	ls, err := h.store.Links(r.Context(), auth.From(r.Context()), div)
	if err != nil {
		return err
	}
	out := []linkJSON{}
	base := h.baseURL(r)
	for _, l := range ls {
		out = append(out, linkJSON{DivisionID: l.Division.ID, Name: l.Division.NameZH, URL: base + l.Path(), Generation: l.Generation})
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": out})
}
