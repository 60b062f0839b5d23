package screening

import (
	"math"
	"strconv"
	"strings"

	"fangkong/internal/platform/storage"
)

// Rules are the county's screening rules. They are settings, not constants:
// the county changes the period, which date starts it and the fever
// threshold as the national guidance changes (SPEC §2).
type Rules struct {
	PeriodDays     int   // length of an observation: 14 days
	ReturneeBasis  Basis // what a returnee's period counts from: arrival
	ContactBasis   Basis // what a close contact's period counts from: last exposure
	FeverTenths    int   // the fever threshold in tenths of a degree: 373
	FeverInclusive bool  // true: a fever is ≥ the threshold; false: >
	SelfRegPerHour int   // self-registrations one address may send per hour
	AMCutoffHour   int   // county hour after which an unrecorded morning follow-up is missed
}

// DefaultRules are the rules of February 2020.
var DefaultRules = Rules{PeriodDays: 14, ReturneeBasis: FromArrival, ContactBasis: FromExposure,
	FeverTenths: 373, FeverInclusive: true, SelfRegPerHour: 20, AMCutoffHour: 12}

// Setting keys of the rules.
const (
	SettingPeriod         = "screening.period_days"
	SettingReturneeBasis  = "screening.basis_returnee"
	SettingContactBasis   = "screening.basis_contact"
	SettingFever          = "screening.fever_threshold"
	SettingFeverInclusive = "screening.fever_inclusive"
	SettingSelfRegPerHour = "screening.selfreg_per_hour"
	SettingAMCutoff       = "screening.am_cutoff_hour"
)

// Bounds of what the rules may be set to.
const (
	MinPeriod = 1
	MaxPeriod = 60
	// Fever thresholds outside 37.0–38.5 °C are not fever thresholds.
	MinFeverTenths = 370
	MaxFeverTenths = 385
)

// BasisFor is the event a period counts from for a reason: the county's
// choice for returnees and for close contacts; a fever or another reason
// counts from the start of observation.
func (r Rules) BasisFor(reason Reason) Basis {
	switch reason {
	case ForReturnee, ForKeyRegion:
		return r.ReturneeBasis
	case ForCloseContact:
		return r.ContactBasis
	}
	return FromStart
}

// IsFever says whether a temperature (in tenths) is a fever under the rules.
func (r Rules) IsFever(tenths int) bool {
	if r.FeverInclusive {
		return tenths >= r.FeverTenths
	}
	return tenths > r.FeverTenths
}

// Alarming says whether a follow-up opens an alert: a fever or any symptom.
func (r Rules) Alarming(tenths int, symptoms []Symptom) bool {
	return r.IsFever(tenths) || len(symptoms) > 0
}

// Fever is the fever rule as people read it: "≥37.3℃" or ">37.3℃".
func (r Rules) Fever() string {
	op := "≥"
	if !r.FeverInclusive {
		op = ">"
	}
	return op + strconv.FormatFloat(Degrees(int64(r.FeverTenths)), 'f', 1, 64) + "℃"
}

// Tenths converts a temperature to exact tenths of a degree.
func Tenths(c float64) int { return int(math.Round(c * 10)) }

// Degrees converts tenths back to a temperature.
func Degrees(tenths int64) float64 { return float64(tenths) / 10 }

// PlannedEnd is the planned last day of a period of days counted from the
// basis date: 14 days from an exposure on 1 February end on 15 February.
func PlannedEnd(basisDate storage.Date, days int) storage.Date { return basisDate.AddDays(days) }

// On reports whether o is under observation on day d: started on or before
// d, and not ended (released or transferred) on or before d. An observation
// past its planned end but not released is still under observation: it is
// due for release, and counted until someone releases it.
func (o Observation) On(d storage.Date) bool {
	return !o.StartDate.After(d.Time) && (o.EndDate.IsZero() || d.Before(o.EndDate.Time))
}

// FollowUpDay reports whether follow-ups are due from o on day d: under
// observation and within the planned period.
func (o Observation) FollowUpDay(d storage.Date) bool {
	return o.On(d) && !d.After(o.PlannedEnd.Time)
}

// ReleaseDue reports whether o should be released on or before d.
func (o Observation) ReleaseDue(d storage.Date) bool {
	return o.Status == Active && o.On(d) && !o.PlannedEnd.After(d.Time)
}

// Clock is the moment "as of" which follow-ups are judged missed: a day, and
// whether its morning cutoff has passed and the whole day is over.
type Clock struct {
	Day       storage.Date
	AMPassed  bool // the morning follow-up of Day is missed if not recorded
	DayPassed bool // the day is over: every unrecorded slot of Day is missed
}

// ClockAt is the clock for day d seen from today at hour (county time):
// a day before today is over, today is judged by the morning cutoff.
func (r Rules) ClockAt(d, today storage.Date, hour int) Clock {
	if d.Before(today.Time) {
		return Clock{Day: d, AMPassed: true, DayPassed: true}
	}
	return Clock{Day: d, AMPassed: hour >= r.AMCutoffHour}
}

// slotKey names one follow-up slot of one day.
type slotKey struct {
	day  string
	slot Slot
}

// Missed counts the follow-up slots of o, from its start up to the clock,
// that have no record in done (keyed by day and slot).
func (o Observation) Missed(done map[slotKey]bool, c Clock) int {
	n := 0
	for d := o.StartDate; !d.After(c.Day.Time); d = d.AddDays(1) {
		if !o.FollowUpDay(d) {
			continue
		}
		for _, s := range Slots {
			if !done[slotKey{d.String(), s}] && slotPassed(d, s, c) {
				n++
			}
		}
	}
	return n
}

// slotPassed reports whether slot s of day d is over at clock c.
func slotPassed(d storage.Date, s Slot, c Clock) bool {
	if d.Before(c.Day.Time) || c.DayPassed {
		return true
	}
	return s == AM && c.AMPassed
}

// doneSet indexes follow-ups by day and slot.
func doneSet(fs []FollowUp) map[slotKey]bool {
	m := make(map[slotKey]bool, len(fs))
	for _, f := range fs {
		m[slotKey{f.Day.String(), f.Slot}] = true
	}
	return m
}

// NextStage is the stage an alert moves to when event ev (with result res)
// is recorded at stage cur; ok is false for an event out of order. The steps
// go opened → hospital notified → transferred → result; a recheck may rule
// the fever out at any stage before the result.
func NextStage(cur Stage, ev EventKind, res Result) (Stage, bool) {
	switch {
	case cur == StageClosed:
		return cur, false
	case ev == EventResult && res == RuledOut:
		return StageClosed, true
	case ev == EventResult:
		return StageClosed, cur == StageTransferred && res.Valid()
	case ev == EventNotified:
		return StageNotified, cur == StageOpened
	case ev == EventTransferred:
		return StageTransferred, cur == StageNotified
	}
	return cur, false
}

// NextEvents lists the events an alert at stage s may record next.
func NextEvents(s Stage) []EventKind {
	switch s {
	case StageOpened:
		return []EventKind{EventNotified, EventResult}
	case StageNotified:
		return []EventKind{EventTransferred, EventResult}
	case StageTransferred:
		return []EventKind{EventResult}
	}
	return nil
}

// mergeInto is the kept record after other is merged into it: the kept
// record's values win, blanks are filled from other, tags are united, the
// earlier screening day stays, and other's notes are kept after its own.
func mergeInto(kept, other Person) Person {
	fill := func(dst *string, src string) {
		if strings.TrimSpace(*dst) == "" {
			*dst = src
		}
	}
	fill(&kept.Phone, other.Phone)
	fill(&kept.Address, other.Address)
	fill(&kept.Workplace, other.Workplace)
	if other.Notes != "" && other.Notes != kept.Notes {
		if kept.Notes != "" {
			kept.Notes += "\n"
		}
		kept.Notes += other.Notes
	}
	kept.Tags = unionTags(kept.Tags, other.Tags)
	if !other.ScreenedOn.IsZero() && (kept.ScreenedOn.IsZero() || other.ScreenedOn.Before(kept.ScreenedOn.Time)) {
		kept.ScreenedOn = other.ScreenedOn
	}
	return kept
}

// unionTags is a and b without repeats, in the order of Tags.
func unionTags(a, b []Tag) []Tag {
	has := map[Tag]bool{}
	for _, t := range a {
		has[t] = true
	}
	for _, t := range b {
		has[t] = true
	}
	var out []Tag
	for _, t := range Tags {
		if has[t] {
			out = append(out, t)
		}
	}
	return out
}

// encodeTags stores tags as ",a,b," so that one tag is found with
// LIKE '%,a,%' on every engine.
func encodeTags(ts []Tag) string {
	if len(ts) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte(',')
	for _, t := range ts {
		b.WriteString(string(t))
		b.WriteByte(',')
	}
	return b.String()
}

// decodeTags reads what encodeTags stored.
func decodeTags(s string) []Tag {
	var out []Tag
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, Tag(p))
		}
	}
	return out
}

// encodeSymptoms and decodeSymptoms store symptoms as "a,b".
func encodeSymptoms(ss []Symptom) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ",")
}

func decodeSymptoms(s string) []Symptom {
	var out []Symptom
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, Symptom(p))
		}
	}
	return out
}
