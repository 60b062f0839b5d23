package checkpoint

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"fangkong/internal/platform/storage"
)

var cst = time.FixedZone("CST", 8*3600)

func pool(n int) []DutyPerson {
	out := make([]DutyPerson, n)
	for i := range out {
		out[i] = DutyPerson{ID: int64(i + 1), Name: fmt.Sprint("p", i+1), Kind: Volunteer, Available: true}
	}
	return out
}

func week(t *testing.T, p Pattern) []Shift {
	t.Helper()
	from, _ := storage.ParseDate("2020-02-10") // a Monday
	sh, err := ShiftsFor(p, from, from.AddDays(6), cst)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestGenerate(t *testing.T) {
	three := Pattern{CheckpointID: 1, Kind: ThreeEight, MinStaff: 2}
	two := Pattern{CheckpointID: 1, Kind: TwoTwelve, MinStaff: 1}
	custom := Pattern{CheckpointID: 1, Kind: Custom, Custom: "06:00-14:00,14:00-22:00", MinStaff: 1}
	unavail := pool(8)
	unavail[0].Available, unavail[1].Available, unavail[2].Available = false, false, false
	cases := []struct {
		name     string
		p        Pattern
		pool     []DutyPerson
		rules    RosterRules
		existing []Duty
		gaps     int // -1: some
	}{
		{"3x8, two a shift, a pool of 8", three, pool(8), DefaultRosterRules(cst), nil, 0},
		{"3x8, a pool of 12", three, pool(12), DefaultRosterRules(cst), nil, 0},
		{"2x12, one a shift, a pool of 4", two, pool(4), DefaultRosterRules(cst), nil, 0},
		{"custom day shifts, a pool of 3", custom, pool(3), DefaultRosterRules(cst), nil, 0},
		{"3x8, a pool of 3 is too small", three, pool(3), DefaultRosterRules(cst), nil, -1},
		{"3x8, three of 8 unavailable: too few", three, unavail, DefaultRosterRules(cst), nil, -1},
		{"3x8 with a 40 h week maximum and 6 people", three, pool(6), RosterRules{Rest: 8 * time.Hour, WeekMax: 40 * time.Hour, Zone: cst}, nil, -1},
		{"3x8 with 16 h rest", three, pool(8), RosterRules{Rest: 16 * time.Hour, WeekMax: 56 * time.Hour, Zone: cst}, nil, 0},
		{"duties elsewhere count", three, pool(8), DefaultRosterRules(cst), []Duty{
			{PersonID: 1, CheckpointID: 9, Start: time.Date(2020, 2, 10, 0, 0, 0, 0, cst), End: time.Date(2020, 2, 10, 8, 0, 0, 0, cst)},
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shifts := week(t, c.p)
			in := GenerateInput{Shifts: shifts, Pool: c.pool, Existing: c.existing, Rules: c.rules}
			res := Generate(in)
			if c.gaps == 0 && len(res.Gaps) != 0 {
				t.Fatalf("gaps with a sufficient pool: %+v", res.Gaps)
			}
			if c.gaps < 0 && len(res.Gaps) == 0 {
				t.Fatalf("no gaps reported with too small a pool")
			}
			all := append(append([]Duty(nil), c.existing...), res.Duties...)
			unav := map[int64]bool{}
			for _, p := range c.pool {
				if !p.Available {
					unav[p.ID] = true
				}
			}
			issues := Check(CheckInput{Shifts: shifts, Duties: all, Unavailable: unav, Rules: c.rules})
			gaps := 0
			for _, is := range issues {
				if is.Kind != IssueGap {
					t.Errorf("rule broken: %+v", is)
				} else {
					gaps++
				}
			}
			if gaps != len(res.Gaps) {
				t.Errorf("Check finds %d gaps, Generate reported %d", gaps, len(res.Gaps))
			}
			if again := Generate(in); !reflect.DeepEqual(again, res) {
				t.Error("not deterministic")
			}
			if c.gaps == 0 {
				hours := map[int64]float64{}
				for _, d := range res.Duties {
					hours[d.PersonID] += d.End.Sub(d.Start).Hours()
				}
				lo, hi := 1e9, 0.0
				for _, p := range c.pool {
					if p.Available {
						lo, hi = min(lo, hours[p.ID]), max(hi, hours[p.ID])
					}
				}
				if hi-lo > 2*shifts[0].Hours() {
					t.Errorf("hours unbalanced: %v", hours)
				}
			}
		})
	}
}

func TestCheckFindsBreaks(t *testing.T) {
	r := DefaultRosterRules(cst)
	at := func(h int) time.Time {
		return time.Date(2020, 2, 10, 0, 0, 0, 0, cst).Add(time.Duration(h) * time.Hour)
	}
	s1 := Shift{CheckpointID: 1, Start: at(0), End: at(8), MinStaff: 1}
	s2 := Shift{CheckpointID: 1, Start: at(8), End: at(16), MinStaff: 1}
	s3 := Shift{CheckpointID: 2, Start: at(4), End: at(12), MinStaff: 1}
	d := func(p int64, s Shift) Duty {
		return Duty{PersonID: p, CheckpointID: s.CheckpointID, Start: s.Start, End: s.End}
	}
	cases := []struct {
		name   string
		duties []Duty
		unav   map[int64]bool
		want   []string
	}{
		{"fine", []Duty{d(1, s1), d(2, s2)}, nil, nil},
		{"a gap", []Duty{d(1, s1)}, nil, []string{IssueGap}},
		{"back to back breaks rest", []Duty{d(1, s1), d(1, s2)}, nil, []string{IssueRest}},
		{"two places at once", []Duty{d(1, s1), d(2, s2), d(1, s3)}, nil, []string{IssueOverlap}},
		{"unavailable", []Duty{d(1, s1), d(2, s2)}, map[int64]bool{2: true}, []string{IssueUnavailable}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := []string(nil)
			for _, is := range Check(CheckInput{Shifts: []Shift{s1, s2}, Duties: c.duties, Unavailable: c.unav, Rules: r}) {
				got = append(got, is.Kind)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	var many []Duty
	var shifts []Shift
	for i := range 8 {
		s := Shift{CheckpointID: 1, Start: at(i * 16), End: at(i*16 + 8), MinStaff: 1}
		shifts = append(shifts, s)
		many = append(many, d(1, s))
	}
	is := Check(CheckInput{Shifts: shifts, Duties: many, Rules: r})
	if len(is) != 1 || is[0].Kind != IssueWeekMax || is[0].Hours != 64 {
		t.Errorf("week max: %+v", is)
	}
}

func TestPatternWindows(t *testing.T) {
	cases := []struct {
		custom string
		ok     bool
		n      int
	}{
		{"06:00-14:00,14:00-22:00", true, 2},
		{"20:00-08:00,08:00-20:00", true, 2},
		{"00:00-24:00", true, 1},
		{"06:00-14:00,13:00-22:00", false, 0},
		{"25:00-07:00", false, 0},
		{"", false, 0},
		{"06:00", false, 0},
	}
	for _, c := range cases {
		ws, err := Pattern{Kind: Custom, Custom: c.custom}.Windows()
		if (err == nil) != c.ok || len(ws) != c.n {
			t.Errorf("%q: %v %v", c.custom, ws, err)
		}
	}
	sh, _ := ShiftsFor(Pattern{CheckpointID: 1, Kind: ThreeEight, MinStaff: 2}, mustDate("2020-02-22"), mustDate("2020-02-22"), cst)
	if len(sh) != 3 || sh[0].Start != time.Date(2020, 2, 21, 16, 0, 0, 0, time.UTC) || sh[2].End != time.Date(2020, 2, 22, 16, 0, 0, 0, time.UTC) {
		t.Errorf("3x8 on 22 Feb: %+v", sh)
	}
}

func mustDate(s string) storage.Date {
	d, err := storage.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
