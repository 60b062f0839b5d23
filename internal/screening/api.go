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
	rt.API("GET /api/v1/persons", PermRead, h.apiPersons, web.Doc{Summary: "The person register in the caller's scope, newest first, personal data masked; q finds an ID number or mobile exactly, else a name prefix; cursor paging.", Query: []string{"division", "tag", "q", "source", "cursor", "limit"}, Out: PersonList{}})
	rt.API("POST /api/v1/persons", PermWrite, h.apiPersonCreate, web.Doc{Summary: "Register a person in a village, with the journey that brought them and optionally a medical observation; a second registration of the same person is 409 with existing.id pointing at the record.", In: PersonInput{}, Out: Created{}, Status: 201})
	rt.API("POST /api/v1/persons/batch", PermWrite, h.apiPersonBatch, web.Doc{Summary: "Register many people in one transaction, all or none (errors name <index>.<field>); a person already registered refuses the batch with a pointer.", In: personBatch{}, Out: createdBatch{}, Status: 201})
	rt.API("GET /api/v1/persons/{id}", PermRead, web.ByID(h.store.Get), web.Doc{Summary: "One person with journeys, observations and merges, personal data masked; 404 outside the caller's scope.", Out: Person{}})
	rt.API("PUT /api/v1/persons/{id}", PermWrite, h.apiPersonUpdate, web.Doc{Summary: "Change a person's details (version must match, 409 otherwise); a move to another village moves their observations.", In: PersonInput{}, Out: Person{}})
	rt.API("POST /api/v1/persons/{id}/reveal", auth.PermPIIReveal, h.apiPersonReveal, web.Doc{Summary: "The person with personal data in full; written to the audit log.", Out: Person{}})
	rt.API("POST /api/v1/persons/{id}/travels", PermWrite, web.WithID(http.StatusCreated, h.store.AddTravel), web.Doc{Summary: "Record another journey of a person.", In: TravelInput{}, Out: Travel{}, Status: 201})
	rt.API("POST /api/v1/persons/{id}/merge", PermWrite, h.apiPersonMerge, web.Doc{Summary: "Merge record other_id into this one: journeys, observations, follow-ups and alerts move here; the other record stays, marked as merged; audited.", In: mergeRequest{}, Out: Person{}})
	rt.API("POST /api/v1/persons/import", PermWrite, h.apiImport, web.Doc{Summary: "Import a village register (multipart/form-data: file, division_id, mode=valid|all); answers 202 with the job to poll.", Out: importStarted{}, Status: 202})
	rt.API("GET /api/v1/persons/import/{id}", PermWrite, web.ByID(h.store.ImportJob), web.Doc{Summary: "An import's progress and, when done, its row-by-row report (the uploader only).", Out: ImportJob{}})
	rt.API("GET /api/v1/persons/registrations", PermRead, h.apiQueue, web.Doc{Summary: "Residents' self-registrations (pending by default), each pending one with a pointer to the record the person already has.", Query: []string{"division", "status", "cursor"}, Out: RegistrationList{}})
	rt.API("POST /api/v1/persons/registrations/{id}/accept", PermWrite, h.apiAccept, web.Doc{Summary: "Confirm a self-registration into the register (or into existing_id, the record the person already has), optionally starting an observation.", In: AcceptInput{}, Out: Created{}})
	rt.API("POST /api/v1/persons/registrations/{id}/reject", PermWrite, h.apiReject, web.Doc{Summary: "Decline a self-registration, with a reason.", In: rejectRequest{}, Status: 204})
	rt.API("GET /api/v1/observations", PermRead, h.apiObservations, web.Doc{Summary: "Medical observations in the caller's scope, newest first; state picks those active, new, released, transferred, due for release or ended on date.", Query: []string{"division", "date", "state", "kind", "cursor", "limit"}, Out: ObservationList{}})
	rt.API("POST /api/v1/observations", PermWrite, h.apiObserve, web.Doc{Summary: "Start a medical observation; the period counts from the basis date the county's rules choose for the reason; 409 if one is in progress.", In: ObservationInput{}, Out: Observation{}, Status: 201})
	rt.API("POST /api/v1/observations/release", PermWrite, h.apiReleaseMany, web.Doc{Summary: "Release several observations at once, all or none.", In: releaseManyRequest{}, Out: releaseManyResult{}})
	rt.API("GET /api/v1/observations/{id}", PermRead, web.ByID(h.store.GetObservation), web.Doc{Summary: "One observation with its changes, follow-ups and alerts.", Out: Observation{}})
	rt.API("POST /api/v1/observations/{id}/adjust", PermWrite, web.WithID(http.StatusOK, h.store.Adjust), web.Doc{Summary: "Extend or shorten an observation to a new planned end, with a reason; its follow-ups follow.", In: AdjustInput{}, Out: Observation{}})
	rt.API("POST /api/v1/observations/{id}/release", PermWrite, web.WithID(http.StatusOK, h.store.Release), web.Doc{Summary: "Release an observation on a day on or after its planned end (no open alert).", In: ReleaseInput{}, Out: Observation{}})
	rt.API("POST /api/v1/observations/{id}/kind", PermWrite, h.apiKind, web.Doc{Summary: "Move an observation in progress between home and centralized.", In: kindRequest{}, Out: Observation{}})
	rt.API("GET /api/v1/followups/due", PermRead, h.apiDue, web.Doc{Summary: "The day's follow-up list: everyone under observation with the two follow-ups, slots missed, open alerts and who is due for release.", Query: []string{"date", "division"}, Out: DueList{}})
	rt.API("POST /api/v1/followups", PermWrite, h.apiFollowUp, web.Doc{Summary: "Record a temperature and symptom check; a fever or symptom opens an alert and its transfer task (returned).", In: FollowUpInput{}, Out: Recorded{}, Status: 201})
	rt.API("POST /api/v1/followups/batch", PermWrite, h.apiFollowUps, web.Doc{Summary: "Record many follow-ups in one transaction, all or none; field errors are named <observation id>.<field>.", In: batchRequest{}, Out: batchResult{}, Status: 201})
	rt.API("GET /api/v1/alerts", PermRead, h.apiAlerts, web.Doc{Summary: "Fever and symptom alerts in the caller's scope; state open, opened or closed as of date.", Query: []string{"division", "date", "state", "cursor", "limit"}, Out: AlertList{}})
	rt.API("GET /api/v1/alerts/{id}", PermRead, web.ByID(h.store.GetAlert), web.Doc{Summary: "One alert with its timeline.", Out: Alert{}})
	rt.API("POST /api/v1/alerts/{id}/events", PermWrite, web.WithID(http.StatusCreated, h.store.AddAlertEvent), web.Doc{Summary: "Record the next step of an alert: notified, transferred, result (ruled_out, suspected, confirmed; create_case opens the surveillance case).", In: AlertEventInput{}, Out: Alert{}, Status: 201})
	rt.API("GET /api/v1/screening/overview", PermRead, h.apiOverview, web.Doc{Summary: "Screening figures for any date: under observation, started, released, follow-ups due and missed, open alerts, screening progress, by division.", Query: []string{"date", "division"}, Out: Overview{}})
	rt.API("GET /api/v1/screening/households", PermRead, h.apiHouseholds, web.Doc{Summary: "Household visits of door-to-door screening, addresses masked.", Query: []string{"division", "cursor"}, Out: HouseholdList{}})
	rt.API("POST /api/v1/screening/households", PermWrite, h.apiHouseholdAdd, web.Doc{Summary: "Record a household visited; a household is counted once.", In: HouseholdInput{}, Out: Household{}, Status: 201})
	rt.API("GET /api/v1/screening/rules", PermRead, h.apiRules, web.Doc{Summary: "The county's screening rules: period, what it counts from, fever threshold.", Out: RulesInput{}})
	rt.API("PUT /api/v1/screening/rules", auth.PermSettings, h.apiRulesSave, web.Doc{Summary: "Change the county's screening rules (audited); open observations keep their period.", In: RulesInput{}, Out: RulesInput{}})
	rt.API("GET /api/v1/screening/links", PermWrite, h.apiLinks, web.Doc{Summary: "The signed self-registration link of each village in the caller's write scope.", Query: []string{"division"}, Out: linkList{}})
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

// Named page types, so the OpenAPI document names their schemas.
type (
	PersonList       Page[Person]
	ObservationList  Page[Observation]
	AlertList        Page[Alert]
	HouseholdList    Page[Household]
	RegistrationList Page[Registration]
)

// importStarted answers an accepted import.
type importStarted struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
}

// releaseManyResult counts a bulk release.
type releaseManyResult struct {
	Released int `json:"released"`
}

// batchResult is what a batch of follow-ups did.
type batchResult struct {
	Items []Recorded `json:"items"`
}

// linkList lists villages' links.
type linkList struct {
	Items []linkJSON `json:"items"`
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
	return web.JSON(w, http.StatusOK, PersonList(empty(pg)))
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

// personBatch is a batch of registrations.
type personBatch struct {
	Items []PersonInput `json:"items"`
}

// createdBatch is what a batch registered.
type createdBatch struct {
	Items []Created `json:"items"`
}

func (h *handlers) apiPersonBatch(w http.ResponseWriter, r *http.Request) error {
	var in personBatch
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if len(in.Items) == 0 || len(in.Items) > 10000 {
		return errs.Field("items", "screening.err.batch_size", 10000)
	}
	cs, err := h.store.CreateMany(r.Context(), auth.From(r.Context()), in.Items)
	if err != nil {
		return h.fail(w, r, err)
	}
	for i := range cs {
		cs[i].Person = cs[i].Person.Masked()
		if cs[i].Observation != nil {
			m := cs[i].Observation.Masked()
			cs[i].Observation = &m
		}
	}
	return web.JSON(w, http.StatusCreated, createdBatch{Items: cs})
}

func (h *handlers) apiPersonUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
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
	id, err := web.PathID(r, "id")
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

// mergeRequest merges other_id into the record of the path.
type mergeRequest struct {
	OtherID int64  `json:"other_id"`
	Reason  string `json:"reason"`
}

func (h *handlers) apiPersonMerge(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
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
	return web.JSON(w, http.StatusAccepted, importStarted{ID: id, Status: "queued"})
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
	return web.JSON(w, http.StatusOK, RegistrationList(empty(pg)))
}

func (h *handlers) apiAccept(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
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
	id, err := web.PathID(r, "id")
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
	return web.JSON(w, http.StatusOK, ObservationList(empty(pg)))
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
	return web.JSON(w, http.StatusOK, releaseManyResult{Released: n})
}

// kindRequest moves an observation between home and centralized.
type kindRequest struct {
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

func (h *handlers) apiKind(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
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
	return web.JSON(w, http.StatusCreated, batchResult{Items: recs})
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
	return web.JSON(w, http.StatusOK, AlertList(empty(pg)))
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
	return web.JSON(w, http.StatusOK, HouseholdList(empty(pg)))
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
	NameEN     string `json:"name_en"`
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
		out = append(out, linkJSON{DivisionID: l.Division.ID, Name: l.Division.NameZH, NameEN: l.Division.NameEN, URL: base + l.Path(), Generation: l.Generation})
	}
	return web.JSON(w, http.StatusOK, linkList{Items: out})
}
