package checkpoint

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/platform/storage"
)

// Windows are the day's shifts of a pattern. A custom pattern is read from
// its text ("06:00-14:00,14:00-22:00"; an end at or before the start runs
// past midnight); a malformed one gives an error naming the custom field.
func (p Pattern) Windows() ([]Window, error) {
	switch p.Kind {
	case ThreeEight:
		return []Window{{0, 8 * time.Hour}, {8 * time.Hour, 8 * time.Hour}, {16 * time.Hour, 8 * time.Hour}}, nil
	case TwoTwelve:
		return []Window{{0, 12 * time.Hour}, {12 * time.Hour, 12 * time.Hour}}, nil
	case Custom:
		return parseWindows(p.Custom)
	}
	return nil, fmt.Errorf("unknown pattern %q", p.Kind)
}

// parseWindows reads "HH:MM-HH:MM,…". Windows must not overlap within a day.
func parseWindows(s string) ([]Window, error) {
	var out []Window
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("window %q", part)
		}
		from, err1 := clockOf(a)
		to, err2 := clockOf(b)
		if err1 != nil || err2 != nil || from == 24*time.Hour {
			return nil, fmt.Errorf("window %q", part)
		}
		length := to - from
		if length <= 0 {
			length += 24 * time.Hour
		}
		out = append(out, Window{Start: from, Length: length})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no windows")
	}
	slices.SortFunc(out, func(a, b Window) int { return int(a.Start - b.Start) })
	for i := 1; i < len(out); i++ {
		if out[i-1].Start+out[i-1].Length > out[i].Start {
			return nil, fmt.Errorf("windows overlap")
		}
	}
	if last := out[len(out)-1]; last.Start+last.Length > 24*time.Hour+out[0].Start {
		return nil, fmt.Errorf("windows overlap")
	}
	return out, nil
}

// clockOf reads "HH:MM" (24:00 allowed) as time after midnight.
func clockOf(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("clock %q", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// ShiftsFor lays a pattern over the days from..to (inclusive, county time),
// giving shifts in UTC with no ids.
func ShiftsFor(p Pattern, from, to storage.Date, zone *time.Location) ([]Shift, error) {
	ws, err := p.Windows()
	if err != nil {
		return nil, err
	}
	var out []Shift
	for d := from; !d.After(to.Time); d = d.AddDays(1) {
		midnight := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, zone)
		for _, w := range ws {
			start := midnight.Add(w.Start)
			out = append(out, Shift{CheckpointID: p.CheckpointID, Start: start.UTC(), End: start.Add(w.Length).UTC(), MinStaff: p.MinStaff})
		}
	}
	return out, nil
}

// Duty is one person on one shift, as the rules see it.
type Duty struct {
	PersonID     int64     `json:"person_id"`
	CheckpointID int64     `json:"checkpoint_id"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
}

// on reports whether the duty is on shift s.
func (d Duty) on(s Shift) bool { return d.CheckpointID == s.CheckpointID && d.Start.Equal(s.Start) }

// GenerateInput is what Generate fills a roster from.
type GenerateInput struct {
	Shifts []Shift      // the shifts to fill
	Pool   []DutyPerson // who may stand them; unavailable people are skipped
	// Existing is every duty the pool's people already hold (at any
	// checkpoint, including on Shifts), so rest and weekly hours count them.
	Existing []Duty
	Rules    RosterRules
}

// Gap is a shift left short of its minimum staff.
type Gap struct {
	CheckpointID int64     `json:"checkpoint_id"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	Have         int       `json:"have"`
	Need         int       `json:"need"`
}

// GenerateResult is the new duties and the shifts that stay short.
type GenerateResult struct {
	Duties []Duty `json:"duties"`
	Gaps   []Gap  `json:"gaps"`
}

// Generate fills the shifts from the pool, in time order, taking for each
// shift the people with the fewest duty hours so far in the range (then the
// longest rested, then the lowest id), never breaking the rest rule or the
// weekly maximum: a shift nobody may stand stays a gap. It is deterministic.
func Generate(in GenerateInput) GenerateResult {
	shifts := slices.Clone(in.Shifts)
	slices.SortStableFunc(shifts, func(a, b Shift) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return int(a.CheckpointID - b.CheckpointID)
	})
	led := newLedger(in.Rules, in.Existing)
	if len(shifts) > 0 {
		led.countFrom, led.countTo = shifts[0].Start, shifts[len(shifts)-1].End
	}
	pool := slices.Clone(in.Pool)
	slices.SortFunc(pool, func(a, b DutyPerson) int { return int(a.ID - b.ID) })
	var res GenerateResult
	for _, s := range shifts {
		have := led.countOn(s)
		var cands []DutyPerson
		for _, p := range pool {
			if p.Available && led.fits(p.ID, s) {
				cands = append(cands, p)
			}
		}
		slices.SortStableFunc(cands, func(a, b DutyPerson) int {
			if c := led.rangeHours(a.ID) - led.rangeHours(b.ID); c != 0 {
				return int(c)
			}
			if c := led.lastEnd(a.ID, s.Start).Compare(led.lastEnd(b.ID, s.Start)); c != 0 {
				return c
			}
			return int(a.ID - b.ID)
		})
		for _, p := range cands {
			if have >= s.MinStaff {
				break
			}
			d := Duty{PersonID: p.ID, CheckpointID: s.CheckpointID, Start: s.Start, End: s.End}
			led.add(d)
			res.Duties = append(res.Duties, d)
			have++
		}
		if have < s.MinStaff {
			res.Gaps = append(res.Gaps, Gap{CheckpointID: s.CheckpointID, Start: s.Start, End: s.End, Have: have, Need: s.MinStaff})
		}
	}
	return res
}

// ledger is every person's duties while generating or checking.
type ledger struct {
	rules              RosterRules
	byPerson           map[int64][]Duty
	countFrom, countTo time.Time
}

func newLedger(r RosterRules, ds []Duty) *ledger {
	l := &ledger{rules: r, byPerson: map[int64][]Duty{}}
	for _, d := range ds {
		l.add(d)
	}
	return l
}

func (l *ledger) add(d Duty) { l.byPerson[d.PersonID] = append(l.byPerson[d.PersonID], d) }

// countOn is how many people stand shift s.
func (l *ledger) countOn(s Shift) int {
	n := 0
	for _, ds := range l.byPerson {
		for _, d := range ds {
			if d.on(s) {
				n++
			}
		}
	}
	return n
}

// fits reports whether person id may take shift s: not on it already, no
// overlap, the rest rule held both ways, the week's maximum not passed.
func (l *ledger) fits(id int64, s Shift) bool {
	cand := Duty{PersonID: id, CheckpointID: s.CheckpointID, Start: s.Start, End: s.End}
	week := l.rules.weekOf(s.Start)
	total := s.End.Sub(s.Start)
	for _, d := range l.byPerson[id] {
		if d.on(s) || l.clash(d, cand) != "" {
			return false
		}
		if l.rules.weekOf(d.Start) == week {
			total += d.End.Sub(d.Start)
		}
	}
	return total <= l.rules.WeekMax
}

// clash names the rule two duties of one person break together, or "".
func (l *ledger) clash(a, b Duty) string {
	if a.Start.Before(b.End) && b.Start.Before(a.End) {
		return IssueOverlap
	}
	if b.Start.Sub(a.End) >= 0 && b.Start.Sub(a.End) < l.rules.Rest || a.Start.Sub(b.End) >= 0 && a.Start.Sub(b.End) < l.rules.Rest {
		return IssueRest
	}
	return ""
}

// rangeHours is a person's duty within the range being generated, in minutes.
func (l *ledger) rangeHours(id int64) int64 {
	var m int64
	for _, d := range l.byPerson[id] {
		if d.End.After(l.countFrom) && d.Start.Before(l.countTo) {
			m += int64(d.End.Sub(d.Start) / time.Minute)
		}
	}
	return m
}

// lastEnd is when the person's latest duty before t ended (zero if none).
func (l *ledger) lastEnd(id int64, t time.Time) time.Time {
	var last time.Time
	for _, d := range l.byPerson[id] {
		if !d.End.After(t) && d.End.After(last) {
			last = d.End
		}
	}
	return last
}

// The kinds of roster issue.
const (
	IssueGap         = "gap"         // fewer people than the minimum
	IssueRest        = "rest"        // two duties closer than the rest setting
	IssueOverlap     = "overlap"     // two duties at once
	IssueWeekMax     = "week_max"    // over the weekly maximum
	IssueUnavailable = "unavailable" // rostered while marked unavailable
)

// Issue is one gap or rule break of a roster.
type Issue struct {
	Kind         string    `json:"kind"`
	CheckpointID int64     `json:"checkpoint_id"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	PersonID     int64     `json:"person_id,omitempty"`
	Have         int       `json:"have,omitempty"`
	Need         int       `json:"need,omitempty"`
	Hours        float64   `json:"hours,omitempty"` // the week's hours, for week_max
}

// CheckInput is a roster to check: its shifts, every duty of the people on
// them (at any checkpoint), who is unavailable, and the time after which an
// unavailable person's duty matters.
type CheckInput struct {
	Shifts      []Shift
	Duties      []Duty
	Unavailable map[int64]bool
	Now         time.Time
	Rules       RosterRules
}

// Check lists the gaps and rule breaks touching the given shifts, in time
// order: a shift short of staff, and for each person on one of them a rest
// or overlap clash with another of their duties, a week over the maximum, or
// duty while unavailable.
func Check(in CheckInput) []Issue {
	l := newLedger(in.Rules, in.Duties)
	var out []Issue
	weeks := map[[2]int64]bool{}
	shown := map[[2]int64]bool{}
	for _, s := range in.Shifts {
		shown[[2]int64{s.CheckpointID, s.Start.Unix()}] = true
	}
	for _, s := range in.Shifts {
		if have := l.countOn(s); have < s.MinStaff {
			out = append(out, Issue{Kind: IssueGap, CheckpointID: s.CheckpointID, Start: s.Start, End: s.End, Have: have, Need: s.MinStaff})
		}
		for _, d := range in.Duties {
			if !d.on(s) {
				continue
			}
			out = append(out, l.personIssues(d, s, in, weeks, shown)...)
		}
	}
	slices.SortStableFunc(out, func(a, b Issue) int { return a.Start.Compare(b.Start) })
	return out
}

// personIssues are the rule breaks of duty d on shift s.
func (l *ledger) personIssues(d Duty, s Shift, in CheckInput, weeks, shown map[[2]int64]bool) []Issue {
	var out []Issue
	base := Issue{CheckpointID: s.CheckpointID, Start: s.Start, End: s.End, PersonID: d.PersonID}
	var weekTotal time.Duration
	week := l.rules.weekOf(d.Start)
	for _, o := range l.byPerson[d.PersonID] {
		if l.rules.weekOf(o.Start) == week {
			weekTotal += o.End.Sub(o.Start)
		}
		// Report a clash once: on the later of two shown duties, else on
		// the shown one.
		later := o.Start.After(d.Start) || (o.Start.Equal(d.Start) && o.CheckpointID > d.CheckpointID)
		if o == d || (later && shown[[2]int64{o.CheckpointID, o.Start.Unix()}]) {
			continue
		}
		if k := l.clash(o, d); k != "" {
			is := base
			is.Kind = k
			out = append(out, is)
		}
	}
	wk := [2]int64{d.PersonID, week.Unix()}
	if weekTotal > l.rules.WeekMax && !weeks[wk] {
		weeks[wk] = true
		is := base
		is.Kind, is.Hours = IssueWeekMax, weekTotal.Hours()
		out = append(out, is)
	}
	if in.Unavailable[d.PersonID] && d.End.After(in.Now) {
		is := base
		is.Kind = IssueUnavailable
		out = append(out, is)
	}
	return out
}
