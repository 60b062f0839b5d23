package surveillance

import (
	"testing"

	"fangkong/internal/platform/storage"
)

var d = storage.MustDate

func confirmedOn(day string, setting string) Milestones {
	return Milestones{Confirmed: d(day), Setting: setting}
}

// many makes n confirmed cases, the last on lastDay, in distinct settings.
func many(n int, lastDay string) []Milestones {
	out := make([]Milestones, n)
	for i := range out {
		out[i] = Milestones{CaseID: int64(i + 1), Confirmed: d("2020-01-20")}
	}
	out[n-1].Confirmed = d(lastDay)
	return out
}

func TestRiskLevelBoundaries(t *testing.T) {
	withCluster := func(ms []Milestones, day string) []Milestones {
		ms = append(ms, Milestones{CaseID: 901, Confirmed: d(day), Setting: "household:A"},
			Milestones{CaseID: 902, Asymptomatic: d(day), Setting: "household:A"})
		return ms
	}
	cases := []struct {
		name string
		asOf string
		ms   []Milestones
		want Risk
		days int // -1: nil
	}{
		{"no cases at all", "2020-02-22", nil, Low, -1},
		{"a case today", "2020-02-05", []Milestones{confirmedOn("2020-02-05", "")}, Medium, 0},
		{"day 13 after the last case", "2020-02-18", []Milestones{confirmedOn("2020-02-05", "")}, Medium, 13},
		{"day 14 after the last case", "2020-02-19", []Milestones{confirmedOn("2020-02-05", "")}, Low, 14},
		{"day 15 after the last case", "2020-02-20", []Milestones{confirmedOn("2020-02-05", "")}, Low, 15},
		{"Ningjin 2020-02-22", "2020-02-22", []Milestones{confirmedOn("2020-01-28", ""), confirmedOn("2020-02-05", "")}, Low, 17},
		{"50 cumulative with a cluster", "2020-02-10", withCluster(many(49, "2020-02-10"), "2020-02-09"), Medium, 0},
		{"51 cumulative without a cluster", "2020-02-10", many(51, "2020-02-10"), Medium, 0},
		{"51 cumulative with a cluster", "2020-02-10", withCluster(many(50, "2020-02-10"), "2020-02-09"), High, 0},
		{"51 cumulative, cluster 14 days old", "2020-02-23", withCluster(many(50, "2020-02-20"), "2020-02-09"), Medium, 3},
		{"51 cumulative, cluster 13 days old", "2020-02-22", withCluster(many(50, "2020-02-20"), "2020-02-09"), High, 2},
		{"51 cumulative, quiet 14 days", "2020-02-24", withCluster(many(50, "2020-02-10"), "2020-02-10"), Low, 14},
		{"case in the future does not count", "2020-02-01", []Milestones{confirmedOn("2020-02-05", "")}, Low, -1},
		{"struck case does not count", "2020-02-10", []Milestones{{Confirmed: d("2020-02-05"), Struck: d("2020-02-07")}}, Low, -1},
		{"struck later still counts before", "2020-02-06", []Milestones{{Confirmed: d("2020-02-05"), Struck: d("2020-02-07")}}, Medium, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Compute(d(c.asOf), c.ms, DefaultRules)
			if s.RiskLevel != c.want {
				t.Errorf("risk = %s, want %s (cum %d, clusters %d)", s.RiskLevel, c.want, s.CumulativeConfirmed, s.Clusters)
			}
			got := -1
			if s.DaysWithoutNewConfirmed != nil {
				got = *s.DaysWithoutNewConfirmed
			}
			if got != c.days {
				t.Errorf("days without new = %d, want %d", got, c.days)
			}
		})
	}
}

func TestComputeFigures(t *testing.T) {
	ms := []Milestones{
		{CaseID: 1, Confirmed: d("2020-01-28"), Cured: d("2020-02-14")},
		{CaseID: 2, Confirmed: d("2020-02-05")},
		{CaseID: 3, Confirmed: d("2020-02-03"), Died: d("2020-02-08")},
		{CaseID: 4, Confirmed: d("2020-02-04"), Struck: d("2020-02-06")},
		{CaseID: 5, Asymptomatic: d("2020-02-05"), Confirmed: d("2020-02-09")},
		{CaseID: 6, Asymptomatic: d("2020-02-09"), Released: d("2020-02-23")},
		{CaseID: 7, Asymptomatic: d("2020-02-10")},
	}
	s := Compute(d("2020-02-09"), ms, DefaultRules)
	want := Summary{NewConfirmed: 1, CumulativeConfirmed: 4, Cured: 0, Deaths: 1, CurrentConfirmed: 3}
	if s.NewConfirmed != want.NewConfirmed || s.CumulativeConfirmed != want.CumulativeConfirmed ||
		s.Cured != want.Cured || s.Deaths != want.Deaths || s.CurrentConfirmed != want.CurrentConfirmed {
		t.Errorf("got %+v", s)
	}
	if a := s.Asymptomatic; a.New != 1 || a.TurnedConfirmed != 1 || a.UnderObservation != 1 || a.Released != 0 {
		t.Errorf("asymptomatic %+v", a)
	}
	s = Compute(d("2020-02-23"), ms, DefaultRules)
	if s.Cured != 1 || s.CurrentConfirmed != 2 || s.Asymptomatic.Released != 1 || s.Asymptomatic.UnderObservation != 1 {
		t.Errorf("2020-02-23: %+v", s)
	}
}

func TestClusterThresholdIsASetting(t *testing.T) {
	ms := []Milestones{
		{CaseID: 1, Confirmed: d("2020-02-01"), Setting: "factory"},
		{CaseID: 2, Confirmed: d("2020-02-03"), Setting: "factory"},
		{CaseID: 3, Asymptomatic: d("2020-02-04"), Setting: "factory"},
		{CaseID: 4, Confirmed: d("2020-02-04"), Setting: "home"},
	}
	if n := len(Clusters(d("2020-02-05"), ms, DefaultRules)); n != 1 {
		t.Errorf("threshold 2: %d clusters, want 1", n)
	}
	five := DefaultRules
	five.ClusterThreshold = 5
	if n := len(Clusters(d("2020-02-05"), ms, five)); n != 0 {
		t.Errorf("threshold 5: %d clusters, want 0", n)
	}
	three := DefaultRules
	three.ClusterThreshold = 3
	if n := len(Clusters(d("2020-02-05"), ms, three)); n != 1 {
		t.Errorf("threshold 3: %d clusters, want 1", n)
	}
	if n := len(Clusters(d("2020-02-16"), ms, DefaultRules)); n != 1 {
		t.Errorf("window: case of 02-03 and 02-04 still within 14 days on 02-16: got %d", n)
	}
	if n := len(Clusters(d("2020-02-17"), ms, DefaultRules)); n != 0 {
		t.Errorf("window: on 02-17 only one factory case is within 14 days; got %d clusters", n)
	}
}

func TestTrend(t *testing.T) {
	ms := []Milestones{
		{Confirmed: d("2020-01-28"), Cured: d("2020-02-14")},
		{Confirmed: d("2020-02-05")},
	}
	tr := Trend(d("2020-01-27"), d("2020-02-22"), ms, DefaultRules)
	if len(tr) != 27 {
		t.Fatalf("%d points", len(tr))
	}
	if tr[0].Cumulative != 0 || tr[1].New != 1 || tr[1].Cumulative != 1 {
		t.Errorf("start %+v %+v", tr[0], tr[1])
	}
	last := tr[len(tr)-1]
	if last.Cumulative != 2 || last.Current != 1 || last.New != 0 {
		t.Errorf("last %+v", last)
	}
}

func TestTransitions(t *testing.T) {
	cases := []struct {
		from, to Status
		ok       bool
	}{
		{"", Confirmed, true}, {"", Cured, false}, {Suspected, Confirmed, true}, {Confirmed, Cured, true},
		{Cured, Confirmed, false}, {Struck, Confirmed, false}, {Asymptomatic, Released, true}, {Confirmed, Suspected, false},
	}
	for _, c := range cases {
		if got := CanMove(c.from, c.to); got != c.ok {
			t.Errorf("%q → %q = %v", c.from, c.to, got)
		}
	}
}
