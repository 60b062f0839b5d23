package enterprise

import (
	"time"

	"fangkong/internal/platform/storage"
)

// Step is one action of a filing's workflow.
type Step string

// The steps. Returns and the refusal need reasons.
const (
	StepSubmit         Step = "submit"          // the enterprise files
	StepResubmit       Step = "resubmit"        // the enterprise files again after a return
	StepTownshipPass   Step = "township_pass"   // the township passes it on to the county
	StepTownshipReturn Step = "township_return" // the township returns it for changes
	StepApprove        Step = "approve"         // the county approves
	StepCountyReturn   Step = "county_return"   // the county returns it for changes
	StepRefuse         Step = "refuse"          // the county refuses
)

// transitions says, for each step, the status it starts from ("" for a new
// filing) and the status it leads to under approval mode.
var transitions = map[Step]struct{ from, to FilingStatus }{
	StepSubmit:         {"", FStatusFiled},
	StepResubmit:       {FStatusReturned, FStatusFiled},
	StepTownshipPass:   {FStatusFiled, FStatusTownshipPassed},
	StepTownshipReturn: {FStatusFiled, FStatusReturned},
	StepApprove:        {FStatusTownshipPassed, FStatusApproved},
	StepCountyReturn:   {FStatusTownshipPassed, FStatusReturned},
	StepRefuse:         {FStatusTownshipPassed, FStatusRefused},
}

// Next is the status a filing in status from reaches by step under mode; ok
// is false when the step is not allowed from there. In notice-and-commitment
// mode a (re)submission is effective at once.
func Next(from FilingStatus, step Step, mode Mode) (FilingStatus, bool) {
	t, ok := transitions[step]
	if !ok || t.from != from {
		return "", false
	}
	if mode == ModeCommitment && (step == StepSubmit || step == StepResubmit) {
		return FStatusEffective, true
	}
	return t.to, true
}

// NeedsReasons reports whether a step must say why: a return or a refusal
// the enterprise has to act on.
func NeedsReasons(s Step) bool {
	return s == StepTownshipReturn || s == StepCountyReturn || s == StepRefuse
}

// isReview reports whether a step is the township's; isDecision whether the county's.
func isReview(s Step) bool   { return s == StepTownshipPass || s == StepTownshipReturn }
func isDecision(s Step) bool { return s == StepApprove || s == StepCountyReturn || s == StepRefuse }

// reviewSteps and decisionSteps map the API's action words to steps.
var (
	reviewSteps   = map[string]Step{"pass": StepTownshipPass, "return": StepTownshipReturn}
	decisionSteps = map[string]Step{"approve": StepApprove, "return": StepCountyReturn, "refuse": StepRefuse}
)

// DefaultAnswerDays is the 2020 rule: a filing is answered within 2 working days.
const DefaultAnswerDays = 2

// WorkingDays counts the working days (Monday to Friday) after from up to and
// including to: a filing made on Friday is 0 days old on Sunday and 1 on
// Monday. It is 0 when to is not after from. Public holidays are not known
// to it (the 2020 Spring Festival break ended before the first filings).
func WorkingDays(from, to storage.Date) int {
	if from.IsZero() || !to.After(from.Time) {
		return 0
	}
	days := to.DaysSince(from)
	n := days / 7 * 5
	wd := from.Weekday()
	for i := 0; i < days%7; i++ {
		wd = (wd + 1) % 7
		if wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// resumeDay is the day an approved filing lets the enterprise resume: its
// planned date, or the decision day when that came later.
func resumeDay(planned, decided storage.Date) storage.Date {
	if decided.After(planned.Time) {
		return decided
	}
	return planned
}

// Approval is an approved (or effective) filing as statistics see it.
type Approval struct {
	Decided   storage.Date // approved, or effective on submission
	ResumeDay storage.Date
}

// Span is a suspension: from From until To, exclusive (zero To: still on).
type Span struct{ From, To storage.Date }

// covers reports whether the suspension is on during day d.
func (s Span) covers(d storage.Date) bool {
	return !s.From.After(d.Time) && (s.To.IsZero() || d.Before(s.To.Time))
}

// DayReport is the figures of one daily report.
type DayReport struct {
	OnSite, ReturnedToday, FromOutside, UnderObservation, FeverCases, CapacityPct int64
}

// Fact is one enterprise as the statistics of day D need it.
type Fact struct {
	ID          int64
	TownshipID  int64
	Industry    string
	AboveSize   bool
	KeyProject  bool
	Employees   int64
	Registered  storage.Date
	Approvals   []Approval
	Suspensions []Span
	Report      *DayReport // the report dated D, if any
}

// registeredBy reports whether the enterprise was on the register on day d.
func (f Fact) registeredBy(d storage.Date) bool { return !f.Registered.After(d.Time) }

// ResumedOn is the resumption rule: on day d the enterprise is resumed when
// it was registered, one of its filings was approved (or effective) on or
// before d with its resumption day on or before d, and no suspension covers d.
func ResumedOn(d storage.Date, f Fact) bool {
	if !f.registeredBy(d) {
		return false
	}
	ok := false
	for _, a := range f.Approvals {
		if !a.Decided.After(d.Time) && !a.ResumeDay.After(d.Time) {
			ok = true
			break
		}
	}
	if !ok {
		return false
	}
	for _, s := range f.Suspensions {
		if s.covers(d) {
			return false
		}
	}
	return true
}

// Tally is "resumed of total".
type Tally struct {
	Total   int     `json:"total"`
	Resumed int     `json:"resumed"`
	Rate    float64 `json:"rate"` // Resumed ÷ Total, 0 when Total is 0
	Pct     int     `json:"pct"`  // the rate in whole percent, half rounded up: 223/240 → 93
}

func (t *Tally) add(resumed bool) {
	t.Total++
	if resumed {
		t.Resumed++
	}
}

func (t *Tally) finish() {
	t.Rate, t.Pct = ratio(int64(t.Resumed), int64(t.Total))
}

// ratio is num ÷ den and its whole percent, half rounded up in integers so
// 92.5% is always 93% (a float could print 92).
func ratio(num, den int64) (float64, int) {
	if den <= 0 {
		return 0, 0
	}
	return float64(num) / float64(den), int((200*num + den) / (2 * den))
}

// Figures are one day's figures over a set of enterprises.
type Figures struct {
	AboveSize   Tally `json:"above_size"`   // 规模以上企业复工率
	All         Tally `json:"all"`          // every registered enterprise
	KeyProjects Tally `json:"key_projects"` // 重点项目开复工
	// Workers back (返岗率): on-site employees ÷ registered employees, over
	// the resumed enterprises that reported on D.
	Employees  int64   `json:"employees"`
	OnSite     int64   `json:"on_site"`
	WorkerRate float64 `json:"worker_rate"`
	WorkerPct  int     `json:"worker_pct"`
	// CapacityPct is the mean capacity use of those reports, in whole percent.
	CapacityPct      int   `json:"capacity_pct"`
	ReturnedToday    int64 `json:"returned_today"`
	FromOutside      int64 `json:"from_outside"`
	UnderObservation int64 `json:"under_observation"`
	FeverCases       int64 `json:"fever_cases"`
	FeverEnterprises int   `json:"fever_enterprises"`
	// Expected reports are the resumed enterprises'; Missing those without one on D.
	Expected  int `json:"reports_expected"`
	Reporting int `json:"reports_received"`
	Missing   int `json:"reports_missing"`
}

// acc accumulates Figures.
type acc struct {
	Figures
	capSum int64
}

func (a *acc) add(d storage.Date, f Fact) {
	if !f.registeredBy(d) {
		return
	}
	resumed := ResumedOn(d, f)
	a.All.add(resumed)
	if f.AboveSize {
		a.AboveSize.add(resumed)
	}
	if f.KeyProject {
		a.KeyProjects.add(resumed)
	}
	if r := f.Report; r != nil {
		a.ReturnedToday += r.ReturnedToday
		a.FromOutside += r.FromOutside
		a.UnderObservation += r.UnderObservation
		a.FeverCases += r.FeverCases
		if r.FeverCases > 0 {
			a.FeverEnterprises++
		}
	}
	if !resumed {
		return
	}
	a.Expected++
	if r := f.Report; r != nil {
		a.Reporting++
		a.Employees += f.Employees
		a.OnSite += r.OnSite
		a.capSum += r.CapacityPct
	} else {
		a.Missing++
	}
}

func (a *acc) finish() Figures {
	a.All.finish()
	a.AboveSize.finish()
	a.KeyProjects.finish()
	a.WorkerRate, a.WorkerPct = ratio(a.OnSite, a.Employees)
	if a.Reporting > 0 {
		_, a.CapacityPct = ratio(a.capSum, int64(a.Reporting)*100)
	}
	return a.Figures
}

// Compute is day d's figures over facts (the pure core of Store.Stats).
func Compute(d storage.Date, facts []Fact) Figures {
	var a acc
	for _, f := range facts {
		a.add(d, f)
	}
	return a.finish()
}

// computeBy splits facts by key and computes each group's figures.
func computeBy(d storage.Date, facts []Fact, key func(Fact) string) map[string]Figures {
	groups := map[string]*acc{}
	for _, f := range facts {
		k := key(f)
		if groups[k] == nil {
			groups[k] = &acc{}
		}
		groups[k].add(d, f)
	}
	out := make(map[string]Figures, len(groups))
	for k, a := range groups {
		out[k] = a.finish()
	}
	return out
}

// TrendPoint is the above-size resumption rate of one day.
type TrendPoint struct {
	Date storage.Date `json:"date"`
	Tally
}

// Trend is the above-size resumption rate of each day from..to (approval and
// suspension history replayed; reports are not needed).
func Trend(from, to storage.Date, facts []Fact) []TrendPoint {
	var out []TrendPoint
	for d := from; !d.After(to.Time); d = d.AddDays(1) {
		var t Tally
		for _, f := range facts {
			if f.AboveSize && f.registeredBy(d) {
				t.add(ResumedOn(d, f))
			}
		}
		t.finish()
		out = append(out, TrendPoint{Date: d, Tally: t})
	}
	return out
}

// Trail is one filing's workflow history, as "pending as of D" replays it.
type Trail struct {
	FilingID     int64
	EnterpriseID int64
	Events       []TrailEvent // in order
}

// TrailEvent is one step of a trail.
type TrailEvent struct {
	Step Step
	To   FilingStatus
	Day  storage.Date
}

// PendingAt says where the filing stood at the end of day d: pending with
// the township or the county (ok), since the day of its latest submission.
func (t Trail) PendingAt(d storage.Date) (stage FilingStatus, since storage.Date, ok bool) {
	var status FilingStatus
	for _, e := range t.Events {
		if e.Day.After(d.Time) {
			break
		}
		status = e.To
		if e.Step == StepSubmit || e.Step == StepResubmit {
			since = e.Day
		}
	}
	if status != FStatusFiled && status != FStatusTownshipPassed {
		return "", storage.Date{}, false
	}
	return status, since, true
}

// Pending is the filings awaiting an answer at the end of a day, by stage and
// by age in working days since their latest submission.
type Pending struct {
	Township int `json:"awaiting_township"`
	County   int `json:"awaiting_county"`
	// ByAge counts pending filings 0, 1, 2 and 3 or more working days old.
	ByAge   [4]int `json:"by_age"`
	Overdue int    `json:"overdue"` // older than the answer limit
	Limit   int    `json:"limit_working_days"`
}

// PendingOn counts the trails pending at the end of day d; limit is the
// answer limit in working days of cal.
func PendingOn(d storage.Date, trails []Trail, limit int, cal Calendar) Pending {
	p := Pending{Limit: limit}
	for _, t := range trails {
		stage, since, ok := t.PendingAt(d)
		if !ok {
			continue
		}
		if stage == FStatusFiled {
			p.Township++
		} else {
			p.County++
		}
		age := cal.WorkingDays(since, d)
		p.ByAge[min(age, 3)]++
		if age > limit {
			p.Overdue++
		}
	}
	return p
}
