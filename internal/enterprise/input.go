package enterprise

import (
	"slices"
	"strconv"
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// Input is what the register form or API submits for one enterprise.
type Input struct {
	DivisionID   int64  `json:"division_id"`
	Name         string `json:"name"`
	CreditCode   string `json:"credit_code"`
	Industry     string `json:"industry"`
	Address      string `json:"address"`
	AboveSize    bool   `json:"above_size"`
	KeyProject   bool   `json:"key_project"`
	Employees    int64  `json:"employees"`
	Principal    string `json:"principal"`
	Officer      string `json:"officer"`
	OfficerPhone string `json:"officer_phone"`
	Version      int64  `json:"version"`
	// bad lists form fields whose text was not a number (set by the form reader).
	bad []string
}

// maxEmployees bounds a head count: more is a typo.
const maxEmployees = 1_000_000

// check validates in and returns the enterprise it describes, every bad field at once.
func (in Input) check() (Enterprise, error) {
	var fc errs.FieldCollector
	for _, f := range in.bad {
		fc.Add(f, "errs.bad_type")
	}
	e := Enterprise{DivisionID: in.DivisionID, Name: strings.TrimSpace(in.Name), Industry: in.Industry,
		Address: strings.TrimSpace(in.Address), AboveSize: in.AboveSize, KeyProject: in.KeyProject,
		Employees: in.Employees, Principal: strings.TrimSpace(in.Principal), Officer: strings.TrimSpace(in.Officer),
		Version: in.Version}
	if e.DivisionID <= 0 {
		fc.Add("division_id", "errs.required")
	}
	if fc.Check("name", validate.Required(e.Name)) {
		fc.Check("name", validate.MaxLen(e.Name, 100))
	}
	code, err := validate.CreditCode(in.CreditCode)
	if fc.Check("credit_code", err) {
		e.CreditCode = code
	}
	if !validIndustry(e.Industry) {
		fc.Add("industry", "errs.bad_choice")
	}
	fc.Check("address", validate.MaxLen(e.Address, 200))
	if !fc.Has("employees") && fc.Check("employees", validate.Count(e.Employees)) && e.Employees > maxEmployees {
		fc.Add("employees", "enterprise.err.too_many", maxEmployees)
	}
	fc.Check("principal", validate.MaxLen(e.Principal, 50))
	if fc.Check("officer", validate.Required(e.Officer)) {
		fc.Check("officer", validate.MaxLen(e.Officer, 50))
	}
	phone, err := validate.Mobile(in.OfficerPhone)
	if fc.Check("officer_phone", err) {
		e.OfficerPhone = phone
	}
	return e, fc.Err()
}

// FilingInput is what the filing form or API submits.
type FilingInput struct {
	PlannedDate        string         `json:"planned_date"`
	Measures           []MeasureCheck `json:"measures"`
	ExpectedLocal      int64          `json:"expected_local"`
	ExpectedOutside    int64          `json:"expected_outside"`
	ExpectedKeyRegions int64          `json:"expected_key_regions"`
	MasksDays          int64          `json:"masks_days"`
	Thermometers       int64          `json:"thermometers"`
	DisinfectantDays   int64          `json:"disinfectant_days"`
	IsolationArea      bool           `json:"isolation_area"`
	IsolationNote      string         `json:"isolation_note"`
	Commitment         bool           `json:"commitment"`
	Notes              string         `json:"notes"`
	// Version is the filing's version when a returned filing is filed again.
	Version int64 `json:"version"`
	bad     []string
}

// maxPlanAhead is how far ahead a resumption may be planned, in days.
const maxPlanAhead = 90

// measureField is the field name of a measure in forms and problem documents.
func measureField(m Measure) string { return "measure_" + string(m) }

// check validates a filing for day today under mode.
func (in FilingInput) check(today storage.Date, mode Mode) (Filing, error) {
	var fc errs.FieldCollector
	for _, f := range in.bad {
		fc.Add(f, "errs.bad_type")
	}
	f := Filing{ExpectedLocal: in.ExpectedLocal, ExpectedOutside: in.ExpectedOutside, ExpectedKeyRegions: in.ExpectedKeyRegions,
		MasksDays: in.MasksDays, Thermometers: in.Thermometers, DisinfectantDays: in.DisinfectantDays,
		IsolationArea: in.IsolationArea, IsolationNote: strings.TrimSpace(in.IsolationNote), Commitment: in.Commitment,
		Notes: strings.TrimSpace(in.Notes), Mode: mode, Version: in.Version}
	if t, err := validate.Date(in.PlannedDate); fc.Check("planned_date", err) {
		f.PlannedDate = storage.Date{Time: t}
		if f.PlannedDate.After(today.AddDays(maxPlanAhead).Time) {
			fc.Add("planned_date", "enterprise.err.planned_far", maxPlanAhead)
		}
	}
	f.Measures = checkMeasures(&fc, in.Measures)
	for _, c := range []struct {
		field string
		n     int64
	}{{"expected_local", f.ExpectedLocal}, {"expected_outside", f.ExpectedOutside},
		{"expected_key_regions", f.ExpectedKeyRegions}, {"masks_days", f.MasksDays},
		{"thermometers", f.Thermometers}, {"disinfectant_days", f.DisinfectantDays}} {
		if !fc.Has(c.field) && fc.Check(c.field, validate.Count(c.n)) && c.n > maxEmployees {
			fc.Add(c.field, "enterprise.err.too_many", maxEmployees)
		}
	}
	if !fc.Has("expected_key_regions") && !fc.Has("expected_outside") && f.ExpectedKeyRegions > f.ExpectedOutside {
		fc.Add("expected_key_regions", "enterprise.err.key_regions_over_outside")
	}
	fc.Check("isolation_note", validate.MaxLen(f.IsolationNote, 200))
	fc.Check("notes", validate.MaxLen(f.Notes, 1000))
	if mode == ModeCommitment && !f.Commitment {
		fc.Add("commitment", "enterprise.err.commitment_required")
	}
	return f, fc.Err()
}

// checkMeasures requires each of the seven measures, in place, once; the
// evidence note is optional but bounded.
func checkMeasures(fc *errs.FieldCollector, in []MeasureCheck) []MeasureCheck {
	got := map[Measure]MeasureCheck{}
	for _, m := range in {
		if !validMeasure(m.Measure) {
			fc.Add("measures", "enterprise.err.unknown_measure", string(m.Measure))
			continue
		}
		got[m.Measure] = m
	}
	out := make([]MeasureCheck, 0, len(Measures))
	for _, m := range Measures {
		c := got[m]
		c.Measure, c.Note = m, strings.TrimSpace(c.Note)
		if !c.Done {
			fc.Add(measureField(m), "enterprise.err.measure_required")
		}
		fc.Check(measureField(m), validate.MaxLen(c.Note, 200))
		out = append(out, c)
	}
	return out
}

func validMeasure(m Measure) bool {
	return slices.Contains(Measures, m)
}

// DecisionInput is a township review or a county decision: an action word
// (review: pass, return; decision: approve, return, refuse) and the reasons.
type DecisionInput struct {
	Action  string `json:"action"`
	Reasons string `json:"reasons"`
}

// step maps the action to its step and checks the reasons.
func (in DecisionInput) step(steps map[string]Step) (Step, string, error) {
	var fc errs.FieldCollector
	step, ok := steps[in.Action]
	if !ok {
		fc.Add("action", "errs.bad_choice")
	}
	reasons := strings.TrimSpace(in.Reasons)
	if ok && NeedsReasons(step) && reasons == "" {
		fc.Add("reasons", "enterprise.err.reasons_required")
	}
	fc.Check("reasons", validate.MaxLen(reasons, 1000))
	return step, reasons, fc.Err()
}

// ReportInput is one daily report as submitted.
type ReportInput struct {
	Day              string `json:"day"`
	OnSite           int64  `json:"on_site"`
	ReturnedToday    int64  `json:"returned_today"`
	FromOutside      int64  `json:"from_outside"`
	UnderObservation int64  `json:"under_observation"`
	FeverCases       int64  `json:"fever_cases"`
	CapacityPct      int64  `json:"capacity_pct"`
	Note             string `json:"note"`
	bad              []string
}

// check validates a report of an enterprise with employees registered, for
// a day between the filing's first submission and today.
func (in ReportInput) check(today, filed storage.Date, employees int64) (Report, error) {
	var fc errs.FieldCollector
	for _, f := range in.bad {
		fc.Add(f, "errs.bad_type")
	}
	r := Report{OnSite: in.OnSite, ReturnedToday: in.ReturnedToday, FromOutside: in.FromOutside,
		UnderObservation: in.UnderObservation, FeverCases: in.FeverCases, CapacityPct: in.CapacityPct,
		Note: strings.TrimSpace(in.Note)}
	if t, err := validate.Date(in.Day); fc.Check("day", err) && fc.Check("day", validate.NotFuture(t, today.Time)) {
		r.Day = storage.Date{Time: t}
		switch {
		case filed.IsZero():
			fc.Add("day", "enterprise.err.report_no_filing")
		case r.Day.Before(filed.Time):
			fc.Add("day", "enterprise.err.report_before_filing", filed.String())
		}
	}
	for _, c := range []struct {
		field string
		n     int64
	}{{"on_site", r.OnSite}, {"returned_today", r.ReturnedToday}, {"from_outside", r.FromOutside},
		{"under_observation", r.UnderObservation}, {"fever_cases", r.FeverCases}, {"capacity_pct", r.CapacityPct}} {
		if !fc.Has(c.field) {
			fc.Check(c.field, validate.Count(c.n))
		}
	}
	ok := func(fs ...string) bool {
		for _, f := range fs {
			if fc.Has(f) {
				return false
			}
		}
		return true
	}
	if ok("on_site", "returned_today") && r.OnSite > employees+r.ReturnedToday {
		fc.Add("on_site", "enterprise.err.on_site_over", employees+r.ReturnedToday)
	}
	if ok("from_outside", "on_site") && r.FromOutside > r.OnSite {
		fc.Add("from_outside", "enterprise.err.over_on_site")
	}
	if ok("fever_cases", "on_site") && r.FeverCases > r.OnSite {
		fc.Add("fever_cases", "enterprise.err.over_on_site")
	}
	if ok("capacity_pct") && r.CapacityPct > 100 {
		fc.Add("capacity_pct", "enterprise.err.capacity_range")
	}
	fc.Check("note", validate.MaxLen(r.Note, 500))
	return r, fc.Err()
}

// SuspendInput starts or ends a suspension.
type SuspendInput struct {
	Day    string `json:"day"`
	Reason string `json:"reason"`
}

// check validates a suspension day (not in the future) and reason.
func (in SuspendInput) check(today storage.Date, reasonRequired bool) (storage.Date, string, error) {
	var fc errs.FieldCollector
	var day storage.Date
	if t, err := validate.Date(in.Day); fc.Check("day", err) && fc.Check("day", validate.NotFuture(t, today.Time)) {
		day = storage.Date{Time: t}
	}
	reason := strings.TrimSpace(in.Reason)
	if reasonRequired {
		fc.Check("reason", validate.Required(reason))
	}
	fc.Check("reason", validate.MaxLen(reason, 500))
	return day, reason, fc.Err()
}

// PolicyInput is a policy as the form or API submits it.
type PolicyInput struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Issuer    string `json:"issuer"`
	Summary   string `json:"summary"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"`
	Version   int64  `json:"version"`
}

func (in PolicyInput) check() (Policy, error) {
	var fc errs.FieldCollector
	p := Policy{Name: strings.TrimSpace(in.Name), Kind: PolicyKind(in.Kind), Issuer: strings.TrimSpace(in.Issuer),
		Summary: strings.TrimSpace(in.Summary), Version: in.Version}
	if fc.Check("name", validate.Required(p.Name)) {
		fc.Check("name", validate.MaxLen(p.Name, 200))
	}
	if !validKind(p.Kind) {
		fc.Add("kind", "errs.bad_choice")
	}
	fc.Check("issuer", validate.MaxLen(p.Issuer, 100))
	fc.Check("summary", validate.MaxLen(p.Summary, 2000))
	p.ValidFrom = optionalDate(&fc, "valid_from", in.ValidFrom)
	p.ValidTo = optionalDate(&fc, "valid_to", in.ValidTo)
	if !p.ValidFrom.IsZero() && !p.ValidTo.IsZero() {
		fc.Check("valid_to", validate.NotBefore(p.ValidTo.Time, p.ValidFrom.Time))
	}
	return p, fc.Err()
}

func optionalDate(fc *errs.FieldCollector, field, s string) storage.Date {
	if strings.TrimSpace(s) == "" {
		return storage.Date{}
	}
	t, err := validate.Date(s)
	if !fc.Check(field, err) {
		return storage.Date{}
	}
	return storage.Date{Time: t}
}

// ApplicationInput is an enterprise's application for a policy. Someone
// keeping policies may record it as already decided (Status granted or
// rejected, with the amount granted).
type ApplicationInput struct {
	PolicyID      int64  `json:"policy_id"`
	AmountApplied string `json:"amount_applied"`
	Status        string `json:"status"`
	AmountGranted string `json:"amount_granted"`
	Note          string `json:"note"`
}

// check validates an application: the amount applied for and, when it is
// recorded as decided, the decision.
func (in ApplicationInput) check() (AppStatus, Money, Money, string, error) {
	var fc errs.FieldCollector
	if in.PolicyID <= 0 {
		fc.Add("policy_id", "errs.required")
	}
	applied, ok := ParseMoney(in.AmountApplied)
	if !ok {
		fc.Add("amount_applied", "enterprise.err.bad_money")
	}
	st, granted, note := AppApplied, Money(0), strings.TrimSpace(in.Note)
	if in.Status != "" && in.Status != string(AppApplied) {
		var err error
		st, granted, note, err = GrantInput{Status: in.Status, AmountGranted: in.AmountGranted, Note: in.Note}.check()
		if err != nil {
			for _, fe := range errs.As(err).Fields {
				fc.Add(fe.Field, fe.Msg.Key, fe.Msg.Args...)
			}
		}
	} else {
		fc.Check("note", validate.MaxLen(note, 500))
	}
	return st, applied, granted, note, fc.Err()
}

// GrantInput decides an application.
type GrantInput struct {
	Status        string `json:"status"`
	AmountGranted string `json:"amount_granted"`
	Note          string `json:"note"`
}

// check validates a decision: granted (with an amount, which may be zero for
// relief that is not money) or rejected.
func (in GrantInput) check() (AppStatus, Money, string, error) {
	var fc errs.FieldCollector
	st := AppStatus(in.Status)
	if st != AppGranted && st != AppRejected {
		fc.Add("status", "errs.bad_choice")
	}
	amt, ok := ParseMoney(in.AmountGranted)
	if !ok {
		fc.Add("amount_granted", "enterprise.err.bad_money")
	}
	if st == AppRejected {
		amt = 0
	}
	note := strings.TrimSpace(in.Note)
	fc.Check("note", validate.MaxLen(note, 500))
	return st, amt, note, fc.Err()
}

// formInt reads an integer form field into *dst, remembering the field as
// bad when it is not a whole number. Blank is zero.
func formInt(bad *[]string, field, s string, dst *int64) {
	s = strings.TrimSpace(s)
	if s == "" {
		*dst = 0
		return
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		*bad = append(*bad, field)
		return
	}
	*dst = n
}
