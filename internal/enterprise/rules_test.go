package enterprise

import (
	"testing"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

var d = storage.MustDate

func TestWorkingDays(t *testing.T) {
	// 2020-02-14 is a Friday.
	cases := []struct {
		from, to string
		want     int
	}{
		{"2020-02-14", "2020-02-14", 0}, // same day
		{"2020-02-14", "2020-02-15", 0}, // Saturday
		{"2020-02-14", "2020-02-16", 0}, // Sunday
		{"2020-02-14", "2020-02-17", 1}, // Monday
		{"2020-02-14", "2020-02-18", 2},
		{"2020-02-14", "2020-02-19", 3}, // past the 2-day limit
		{"2020-02-15", "2020-02-17", 1}, // filed on Saturday
		{"2020-02-16", "2020-02-16", 0},
		{"2020-02-10", "2020-02-14", 4}, // Monday to Friday
		{"2020-02-10", "2020-02-17", 5}, // a week
		{"2020-02-10", "2020-02-24", 10},
		{"2020-02-03", "2020-02-22", 14}, // three weeks less a day, Saturday
		{"2020-02-18", "2020-02-17", 0},  // backwards
		{"", "2020-02-17", 0},
	}
	for _, c := range cases {
		var from storage.Date
		if c.from != "" {
			from = d(c.from)
		}
		if got := WorkingDays(from, d(c.to)); got != c.want {
			t.Errorf("WorkingDays(%s, %s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
	// Against counting day by day.
	start := d("2020-01-01")
	for i := 0; i < 60; i++ {
		for j := i; j < i+30; j++ {
			want := 0
			for k := i + 1; k <= j; k++ {
				if wd := start.AddDays(k).Weekday(); wd != 0 && wd != 6 {
					want++
				}
			}
			if got := WorkingDays(start.AddDays(i), start.AddDays(j)); got != want {
				t.Fatalf("WorkingDays(+%d, +%d) = %d, want %d", i, j, got, want)
			}
		}
	}
}

func TestWorkflowTransitions(t *testing.T) {
	cases := []struct {
		from FilingStatus
		step Step
		mode Mode
		to   FilingStatus // "" = refused
	}{
		{"", StepSubmit, ModeApproval, FStatusFiled},
		{"", StepSubmit, ModeCommitment, FStatusEffective},
		{FStatusFiled, StepTownshipPass, ModeApproval, FStatusTownshipPassed},
		{FStatusFiled, StepTownshipReturn, ModeApproval, FStatusReturned},
		{FStatusFiled, StepApprove, ModeApproval, ""}, // the county cannot skip the township
		{FStatusFiled, StepRefuse, ModeApproval, ""},
		{FStatusTownshipPassed, StepApprove, ModeApproval, FStatusApproved},
		{FStatusTownshipPassed, StepCountyReturn, ModeApproval, FStatusReturned},
		{FStatusTownshipPassed, StepRefuse, ModeApproval, FStatusRefused},
		{FStatusTownshipPassed, StepTownshipPass, ModeApproval, ""}, // twice
		{FStatusReturned, StepResubmit, ModeApproval, FStatusFiled},
		{FStatusReturned, StepResubmit, ModeCommitment, FStatusEffective},
		{FStatusReturned, StepApprove, ModeApproval, ""},
		{FStatusApproved, StepRefuse, ModeApproval, ""}, // final
		{FStatusApproved, StepResubmit, ModeApproval, ""},
		{FStatusRefused, StepResubmit, ModeApproval, ""}, // a refused enterprise files anew
		{FStatusEffective, StepTownshipReturn, ModeApproval, ""},
		{"", StepApprove, ModeApproval, ""},
		{FStatusFiled, "bogus", ModeApproval, ""},
	}
	for _, c := range cases {
		to, ok := Next(c.from, c.step, c.mode)
		if ok != (c.to != "") || to != c.to {
			t.Errorf("Next(%q, %s, %s) = %q %v, want %q", c.from, c.step, c.mode, to, ok, c.to)
		}
	}
	for step, want := range map[Step]bool{StepSubmit: false, StepResubmit: false, StepTownshipPass: false,
		StepApprove: false, StepTownshipReturn: true, StepCountyReturn: true, StepRefuse: true} {
		if NeedsReasons(step) != want {
			t.Errorf("NeedsReasons(%s) = %v", step, !want)
		}
	}
}

func TestDecisionInput(t *testing.T) {
	cases := []struct {
		in     DecisionInput
		steps  map[string]Step
		fields []string
	}{
		{DecisionInput{Action: "approve"}, decisionSteps, nil},
		{DecisionInput{Action: "refuse"}, decisionSteps, []string{"reasons"}},
		{DecisionInput{Action: "refuse", Reasons: "   "}, decisionSteps, []string{"reasons"}},
		{DecisionInput{Action: "refuse", Reasons: "未设隔离区"}, decisionSteps, nil},
		{DecisionInput{Action: "return"}, reviewSteps, []string{"reasons"}},
		{DecisionInput{Action: "pass"}, reviewSteps, nil},
		{DecisionInput{Action: "approve"}, reviewSteps, []string{"action"}}, // the township cannot approve
		{DecisionInput{Action: ""}, decisionSteps, []string{"action"}},
	}
	for _, c := range cases {
		_, _, err := c.in.step(c.steps)
		got := fieldsOf(err)
		if len(got) != len(c.fields) {
			t.Errorf("%+v: fields %v, want %v", c.in, got, c.fields)
			continue
		}
		for i := range got {
			if got[i] != c.fields[i] {
				t.Errorf("%+v: fields %v, want %v", c.in, got, c.fields)
			}
		}
	}
}

func TestResumedOn(t *testing.T) {
	base := Fact{Registered: d("2020-02-03"), AboveSize: true}
	with := func(f Fact, a ...Approval) Fact { f.Approvals = a; return f }
	susp := func(f Fact, s ...Span) Fact { f.Suspensions = s; return f }
	approved := with(base, Approval{Decided: d("2020-02-12"), ResumeDay: d("2020-02-14")})
	cases := []struct {
		name string
		f    Fact
		day  string
		want bool
	}{
		{"no filing", base, "2020-02-22", false},
		{"approved, resumption day ahead", approved, "2020-02-13", false},
		{"on the resumption day", approved, "2020-02-14", true},
		{"after", approved, "2020-02-22", true},
		{"before the decision", approved, "2020-02-11", false},
		{"decided after the planned date", with(base, Approval{Decided: d("2020-02-18"), ResumeDay: d("2020-02-18")}), "2020-02-17", false},
		{"not yet registered", with(Fact{Registered: d("2020-02-20")}, Approval{Decided: d("2020-02-10"), ResumeDay: d("2020-02-10")}), "2020-02-19", false},
		{"suspended that day", susp(approved, Span{From: d("2020-02-18")}), "2020-02-20", false},
		{"suspension starts later", susp(approved, Span{From: d("2020-02-18")}), "2020-02-17", true},
		{"suspension lifted (exclusive end)", susp(approved, Span{From: d("2020-02-16"), To: d("2020-02-19")}), "2020-02-19", true},
		{"last day of the suspension", susp(approved, Span{From: d("2020-02-16"), To: d("2020-02-19")}), "2020-02-18", false},
	}
	for _, c := range cases {
		if got := ResumedOn(d(c.day), c.f); got != c.want {
			t.Errorf("%s: ResumedOn(%s) = %v, want %v", c.name, c.day, got, c.want)
		}
	}
}

// TestRateRounding: the seed report's 223 of 240 is 92.9%, shown as 93%.
func TestRateRounding(t *testing.T) {
	cases := []struct {
		num, den int64
		pct      int
	}{{223, 240, 93}, {0, 240, 0}, {240, 240, 100}, {0, 0, 0}, {1, 8, 13}, {37, 40, 93}, {1, 3, 33}, {2, 3, 67}, {185, 200, 93}, {184, 200, 92}}
	for _, c := range cases {
		if _, pct := ratio(c.num, c.den); pct != c.pct {
			t.Errorf("ratio(%d, %d) = %d%%, want %d%%", c.num, c.den, pct, c.pct)
		}
	}
	if r, _ := ratio(223, 240); r < 0.929 || r > 0.9292 {
		t.Errorf("rate %v", r)
	}
}

func TestCompute(t *testing.T) {
	day := d("2020-02-22")
	var facts []Fact
	ok := Approval{Decided: d("2020-02-12"), ResumeDay: d("2020-02-12")}
	for i := 0; i < 240; i++ {
		f := Fact{ID: int64(i + 1), AboveSize: true, Registered: d("2020-02-03"), Employees: 100, TownshipID: int64(1 + i%2)}
		if i < 223 {
			f.Approvals = []Approval{ok}
			f.Report = &DayReport{OnSite: 80, CapacityPct: 70}
		}
		facts = append(facts, f)
	}
	// Noise that must not count: below-size, registered later, approved
	// for a later day, suspended.
	facts = append(facts,
		Fact{ID: 900, Registered: d("2020-02-03"), Employees: 10, Approvals: []Approval{ok}},
		Fact{ID: 901, AboveSize: true, Registered: d("2020-02-23"), Approvals: []Approval{ok}},
	)
	facts[222].Report = nil // resumed, no report: missing
	facts[223].Approvals = []Approval{{Decided: d("2020-02-21"), ResumeDay: d("2020-02-24")}}
	fig := Compute(day, facts)
	if fig.AboveSize.Total != 240 || fig.AboveSize.Resumed != 223 || fig.AboveSize.Pct != 93 {
		t.Errorf("above size %+v, want 223/240 93%%", fig.AboveSize)
	}
	if fig.All.Total != 241 || fig.All.Resumed != 224 {
		t.Errorf("all %+v", fig.All)
	}
	if fig.Expected != 224 || fig.Reporting != 222 || fig.Missing != 2 {
		t.Errorf("reports expected %d received %d missing %d", fig.Expected, fig.Reporting, fig.Missing)
	}
	if fig.OnSite != 222*80 || fig.Employees != 222*100 || fig.WorkerPct != 80 || fig.CapacityPct != 70 {
		t.Errorf("workers %d/%d %d%%, capacity %d%%", fig.OnSite, fig.Employees, fig.WorkerPct, fig.CapacityPct)
	}
	by := computeBy(day, facts, func(f Fact) string { return string(rune('0' + f.TownshipID)) })
	if by["1"].AboveSize.Total != 120 || by["2"].AboveSize.Total != 120 || by["1"].AboveSize.Resumed+by["2"].AboveSize.Resumed != 223 {
		t.Errorf("by township %+v %+v", by["1"].AboveSize, by["2"].AboveSize)
	}
	// Earlier days count fewer, from the same records.
	if early := Compute(d("2020-02-11"), facts); early.AboveSize.Resumed != 0 || early.AboveSize.Total != 240 {
		t.Errorf("2020-02-11: %+v", early.AboveSize)
	}
	if before := Compute(d("2020-02-02"), facts); before.AboveSize.Total != 0 || before.AboveSize.Pct != 0 {
		t.Errorf("before registration: %+v", before.AboveSize)
	}
	tr := Trend(d("2020-02-11"), day, facts)
	if len(tr) != 12 || tr[0].Resumed != 0 || tr[1].Resumed != 223 || tr[11].Pct != 93 {
		t.Errorf("trend %+v", tr)
	}
}

func TestPendingOn(t *testing.T) {
	trail := func(events ...TrailEvent) Trail { return Trail{Events: events} }
	ev := func(step Step, to FilingStatus, day string) TrailEvent {
		return TrailEvent{Step: step, To: to, Day: d(day)}
	}
	trails := []Trail{
		trail(ev(StepSubmit, FStatusFiled, "2020-02-14")),                                                            // Friday: 3 working days by Wed 19th
		trail(ev(StepSubmit, FStatusFiled, "2020-02-17"), ev(StepTownshipPass, FStatusTownshipPassed, "2020-02-18")), // 2 days
		trail(ev(StepSubmit, FStatusFiled, "2020-02-10"), ev(StepApprove, FStatusApproved, "2020-02-12")),            // answered
		trail(ev(StepSubmit, FStatusFiled, "2020-02-10"), ev(StepTownshipReturn, FStatusReturned, "2020-02-11"),
			ev(StepResubmit, FStatusFiled, "2020-02-18")), // clock restarts on refiling: 1 day
		trail(ev(StepSubmit, FStatusFiled, "2020-02-20")), // not yet filed on the 19th
	}
	p := PendingOn(d("2020-02-19"), trails, 2, Calendar{})
	if p.Township != 2 || p.County != 1 || p.Overdue != 1 || p.ByAge != [4]int{0, 1, 1, 1} {
		t.Errorf("pending %+v", p)
	}
	// On the 11th the returned filing is with the enterprise, not pending.
	p = PendingOn(d("2020-02-11"), trails, 2, Calendar{})
	if p.Township != 1 || p.County != 0 {
		t.Errorf("pending on the 11th %+v", p)
	}
}

func TestParseMoney(t *testing.T) {
	cases := map[string]Money{"": 0, "0": 0, "12500": 1250000, "12,500.5": 1250050, "１２５００元": 1250000, "3.07": 307, "0.1": 10}
	for in, want := range cases {
		got, ok := ParseMoney(in)
		if !ok || got != want {
			t.Errorf("ParseMoney(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"-5", "1.234", "abc", "1.", ".5", "99999999999999", "1e5"} {
		if _, ok := ParseMoney(bad); ok {
			t.Errorf("ParseMoney(%q) accepted", bad)
		}
	}
	if s := Money(1250050).String(); s != "12500.50" {
		t.Errorf("String = %s", s)
	}
}

func TestStatusOf(t *testing.T) {
	today := d("2020-02-22")
	cases := []struct {
		f         FilingStatus
		resume    string
		suspended bool
		want      Status
	}{
		{"", "", false, NotFiled},
		{FStatusFiled, "", false, Filed},
		{FStatusReturned, "", false, Returned},
		{FStatusApproved, "2020-02-24", false, Scheduled},
		{FStatusApproved, "2020-02-22", false, Resumed},
		{FStatusEffective, "2020-02-20", false, Resumed},
		{FStatusApproved, "2020-02-20", true, Suspended},
	}
	for _, c := range cases {
		var r storage.Date
		if c.resume != "" {
			r = d(c.resume)
		}
		if got := statusOf(c.f, r, c.suspended, today); got != c.want {
			t.Errorf("statusOf(%s, %s, %v) = %s, want %s", c.f, c.resume, c.suspended, got, c.want)
		}
	}
}

func TestReportInput(t *testing.T) {
	today, filed := d("2020-02-22"), d("2020-02-10")
	ok := ReportInput{Day: "2020-02-20", OnSite: 110, ReturnedToday: 10, FromOutside: 5, CapacityPct: 80}
	cases := []struct {
		name   string
		mod    func(*ReportInput)
		filed  storage.Date
		fields []string
	}{
		{"valid", func(*ReportInput) {}, filed, nil},
		{"on site over employees plus returned", func(r *ReportInput) { r.OnSite = 111 }, filed, []string{"on_site"}},
		{"negative counts", func(r *ReportInput) { r.FeverCases, r.ReturnedToday = -1, -2 }, filed, []string{"returned_today", "fever_cases"}},
		{"before the filing", func(r *ReportInput) { r.Day = "2020-02-09" }, filed, []string{"day"}},
		{"in the future", func(r *ReportInput) { r.Day = "2020-02-23" }, filed, []string{"day"}},
		{"no filing", func(*ReportInput) {}, storage.Date{}, []string{"day"}},
		{"capacity over 100", func(r *ReportInput) { r.CapacityPct = 120 }, filed, []string{"capacity_pct"}},
		{"from outside over on site", func(r *ReportInput) { r.FromOutside = 200 }, filed, []string{"from_outside"}},
	}
	for _, c := range cases {
		in := ok
		c.mod(&in)
		_, err := in.check(today, c.filed, 100)
		got := fieldsOf(err)
		if len(got) != len(c.fields) {
			t.Errorf("%s: fields %v, want %v", c.name, got, c.fields)
			continue
		}
		for i := range got {
			if got[i] != c.fields[i] {
				t.Errorf("%s: fields %v, want %v", c.name, got, c.fields)
			}
		}
	}
}

// fieldsOf lists the fields an error names, in order.
func fieldsOf(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, fe := range errs.As(err).Fields {
		out = append(out, fe.Field)
	}
	return out
}
