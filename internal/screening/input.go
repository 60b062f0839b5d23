package screening

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// PersonInput is what the cadre's form, the API, an import row or a
// confirmed self-registration submits. Text is kept as typed, so a rejected
// form shows it again unchanged.
type PersonInput struct {
	DivisionID int64    `json:"division_id"`
	Name       string   `json:"name"`
	IDNumber   string   `json:"id_number"`
	Phone      string   `json:"phone"`
	Address    string   `json:"address"`
	Workplace  string   `json:"workplace"`
	Tags       []string `json:"tags"`
	ScreenedOn string   `json:"screened_on"`
	Notes      string   `json:"notes"`
	// Travel is the journey that brought the person (on creation only).
	Travel *TravelInput `json:"travel,omitempty"`
	// Observe, on creation, starts a medical observation at once.
	Observe *ObservationInput `json:"observe,omitempty"`
	Version int64             `json:"version"`
}

// TravelInput is one journey.
type TravelInput struct {
	From        string `json:"from"`
	Via         string `json:"via"`
	Transport   string `json:"transport"`
	TransportNo string `json:"transport_no"`
	ArrivedOn   string `json:"arrived_on"`
}

// empty reports whether nothing of the journey was filled in.
func (in TravelInput) empty() bool {
	return strings.TrimSpace(in.From+in.Via+in.Transport+in.TransportNo+in.ArrivedOn) == ""
}

// endOfDay is the last second of a calendar day, the "now" an ID number's
// birth date is checked against (someone born today is valid).
func endOfDay(d storage.Date) time.Time { return d.Add(24*time.Hour - time.Second) }

// check validates in and returns the person it describes; every bad field
// is reported at once under its JSON name.
func (in PersonInput) check(fc *errs.FieldCollector, today storage.Date) Person {
	p := Person{DivisionID: in.DivisionID, Name: strings.TrimSpace(in.Name), Address: strings.TrimSpace(in.Address),
		Workplace: strings.TrimSpace(in.Workplace), Notes: strings.TrimSpace(in.Notes), Version: in.Version}
	if p.DivisionID <= 0 {
		fc.Add("division_id", "screening.err.village_required")
	}
	if fc.Check("name", validate.Required(p.Name)) {
		fc.Check("name", validate.MaxLen(p.Name, 50))
	}
	id, err := validate.ResidentIDAt(in.IDNumber, endOfDay(today))
	if fc.Check("id_number", err) {
		p.IDNumber, p.Sex, p.BirthDate = id.Number, string(id.Sex), storage.Date{Time: id.Birth}
	}
	if s := strings.TrimSpace(in.Phone); s != "" {
		if ph, err := validate.Mobile(s); fc.Check("phone", err) {
			p.Phone = ph
		}
	}
	fc.Check("address", validate.MaxLen(p.Address, 200))
	fc.Check("workplace", validate.MaxLen(p.Workplace, 100))
	fc.Check("notes", validate.MaxLen(p.Notes, 2000))
	p.Tags = checkTags(fc, "tags", in.Tags)
	p.ScreenedOn = checkDate(fc, "screened_on", in.ScreenedOn, today, false)
	if p.ScreenedOn.IsZero() && !fc.Has("screened_on") {
		p.ScreenedOn = today
	}
	return p
}

// checkTags accepts tag codes, or labels in either language.
func checkTags(fc *errs.FieldCollector, field string, in []string) []Tag {
	var out []Tag
	for _, s := range in {
		ts, bad := ParseTags(s)
		if len(bad) > 0 {
			fc.Add(field, "screening.err.bad_tag", strings.Join(bad, "、"))
			return nil
		}
		out = unionTags(out, ts)
	}
	return out
}

// check validates a journey; fields are reported as travel.<name> unless
// prefix says otherwise (imports use the bare names).
func (in TravelInput) check(fc *errs.FieldCollector, prefix string, today storage.Date) Travel {
	t := Travel{From: strings.TrimSpace(in.From), Via: strings.TrimSpace(in.Via),
		Transport: Transport(strings.TrimSpace(in.Transport)), TransportNo: strings.ToUpper(strings.TrimSpace(in.TransportNo))}
	if t.From == "" {
		fc.Add(prefix+"from", "screening.err.from_required")
	} else {
		fc.Check(prefix+"from", validate.MaxLen(t.From, 100))
	}
	fc.Check(prefix+"via", validate.MaxLen(t.Via, 200))
	if t.Transport != "" && !validTransport(t.Transport) {
		fc.Add(prefix+"transport", "errs.bad_choice")
	}
	fc.Check(prefix+"transport_no", validate.MaxLen(t.TransportNo, 20))
	t.ArrivedOn = checkDate(fc, prefix+"arrived_on", in.ArrivedOn, today, false)
	return t
}

func validTransport(t Transport) bool {
	return slices.Contains(Transports, t)
}

// checkDate parses an optional (or required) date that must not be after
// today.
func checkDate(fc *errs.FieldCollector, field, s string, today storage.Date, required bool) storage.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			fc.Add(field, "errs.required")
		}
		return storage.Date{}
	}
	t, err := validate.Date(s)
	if !fc.Check(field, err) {
		return storage.Date{}
	}
	if !fc.Check(field, validate.NotFuture(t, today.Time)) {
		return storage.Date{}
	}
	return storage.Date{Time: t}
}

// ObservationInput opens a medical observation.
type ObservationInput struct {
	PersonID  int64  `json:"person_id"`
	Kind      string `json:"kind"`
	Reason    string `json:"reason"`
	BasisDate string `json:"basis_date"` // the arrival, last exposure or test the period counts from
	StartDate string `json:"start_date"` // default today
	CaseID    int64  `json:"case_id"`    // the case a close contact was exposed to, if known
	Notes     string `json:"notes"`
}

// check validates an observation against the rules: the period counts from
// the basis date the reason calls for, and must not end before it starts.
func (in ObservationInput) check(fc *errs.FieldCollector, prefix string, today storage.Date, r Rules) Observation {
	o := Observation{PersonID: in.PersonID, Kind: Kind(strings.TrimSpace(in.Kind)), Reason: Reason(strings.TrimSpace(in.Reason)),
		CaseID: in.CaseID, Notes: strings.TrimSpace(in.Notes), PeriodDays: r.PeriodDays, Status: Active}
	if !o.Kind.Valid() {
		fc.Add(prefix+"kind", "errs.bad_choice")
	}
	if !o.Reason.Valid() {
		fc.Add(prefix+"reason", "errs.bad_choice")
	}
	fc.Check(prefix+"notes", validate.MaxLen(o.Notes, 500))
	o.StartDate = checkDate(fc, prefix+"start_date", in.StartDate, today, false)
	if o.StartDate.IsZero() && !fc.Has(prefix+"start_date") {
		o.StartDate = today
	}
	o.Basis = r.BasisFor(o.Reason)
	if o.Basis == FromStart {
		o.BasisDate = o.StartDate
	} else {
		o.BasisDate = checkDate(fc, prefix+"basis_date", in.BasisDate, today, true)
	}
	if o.BasisDate.IsZero() || o.StartDate.IsZero() {
		return o
	}
	o.PlannedEnd = PlannedEnd(o.BasisDate, o.PeriodDays)
	switch {
	case o.BasisDate.After(o.StartDate.Time):
		fc.Add(prefix+"basis_date", "screening.err.basis_after_start")
	case o.PlannedEnd.Before(o.StartDate.Time):
		fc.Add(prefix+"basis_date", "screening.err.ends_before_start", o.PlannedEnd.String())
	}
	return o
}

// AdjustInput extends or shortens one observation.
type AdjustInput struct {
	NewEnd  string `json:"new_end"`
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

// ReleaseInput ends an observation by release.
type ReleaseInput struct {
	Day  string `json:"day"` // default today
	Note string `json:"note"`
}

// FollowUpInput is one temperature and symptom check. Temperature takes a
// JSON number, or text as typed ("36.8", "36,8", "36.8℃").
type FollowUpInput struct {
	ObservationID int64       `json:"observation_id"`
	Day           string      `json:"day"` // default today
	Slot          string      `json:"slot"`
	Temperature   json.Number `json:"temperature"`
	Symptoms      []string    `json:"symptoms"`
	Note          string      `json:"note"`
}

// check validates a follow-up by itself; the store then checks it against
// its observation's period.
func (in FollowUpInput) check(fc *errs.FieldCollector, prefix string, today storage.Date) FollowUp {
	f := FollowUp{ObservationID: in.ObservationID, Slot: Slot(strings.TrimSpace(in.Slot)), Note: strings.TrimSpace(in.Note)}
	f.Day = checkDate(fc, prefix+"day", in.Day, today, false)
	if f.Day.IsZero() && !fc.Has(prefix+"day") {
		f.Day = today
	}
	if !f.Slot.Valid() {
		fc.Add(prefix+"slot", "errs.bad_choice")
	}
	if t, err := validate.ParseTemperature(string(in.Temperature)); fc.Check(prefix+"temperature", err) {
		f.Temperature = t
	}
	for _, s := range in.Symptoms {
		sy := Symptom(strings.TrimSpace(s))
		if !sy.Valid() {
			fc.Add(prefix+"symptoms", "errs.bad_choice")
			break
		}
		f.Symptoms = append(f.Symptoms, sy)
	}
	f.Symptoms = orderSymptoms(f.Symptoms)
	fc.Check(prefix+"note", validate.MaxLen(f.Note, 200))
	return f
}

// orderSymptoms puts symptoms in display order without repeats.
func orderSymptoms(ss []Symptom) []Symptom {
	has := map[Symptom]bool{}
	for _, s := range ss {
		has[s] = true
	}
	var out []Symptom
	for _, s := range Symptoms {
		if has[s] {
			out = append(out, s)
		}
	}
	return out
}

// AlertEventInput records one step of an alert's timeline.
type AlertEventInput struct {
	Kind     string `json:"kind"`
	At       string `json:"at"` // 2020-02-18T09:30 (county time); default now
	Hospital string `json:"hospital"`
	Result   string `json:"result"`
	Note     string `json:"note"`
	// CreateCase, with a suspected or confirmed result, opens the
	// surveillance case (needs case.write over the village).
	CreateCase bool  `json:"create_case"`
	Version    int64 `json:"version"`
}

// HouseholdInput records one household visited.
type HouseholdInput struct {
	DivisionID int64  `json:"division_id"`
	Address    string `json:"address"`
	Members    int64  `json:"members"`
	VisitedOn  string `json:"visited_on"` // default today
	Notes      string `json:"notes"`
}

func (in HouseholdInput) check(fc *errs.FieldCollector, today storage.Date) Household {
	h := Household{DivisionID: in.DivisionID, Address: strings.TrimSpace(in.Address), Members: in.Members,
		Notes: strings.TrimSpace(in.Notes)}
	if h.DivisionID <= 0 {
		fc.Add("division_id", "screening.err.village_required")
	}
	if fc.Check("address", validate.Required(h.Address)) {
		fc.Check("address", validate.MaxLen(h.Address, 200))
	}
	if fc.Check("members", validate.Count(h.Members)) && h.Members > 99 {
		fc.Add("members", "screening.err.members_too_many")
	}
	fc.Check("notes", validate.MaxLen(h.Notes, 500))
	h.VisitedOn = checkDate(fc, "visited_on", in.VisitedOn, today, false)
	if h.VisitedOn.IsZero() && !fc.Has("visited_on") {
		h.VisitedOn = today
	}
	return h
}
