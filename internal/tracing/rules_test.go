package tracing

import (
	"fmt"
	"testing"

	"fangkong/internal/platform/storage"
	"fangkong/internal/surveillance"
)

func day(s string) storage.Date { return storage.MustDate(s) }

func TestBuildChain(t *testing.T) {
	// Case 1 → 2 → 3; case 4 reached from case 1 (not a root); 5 → 6 with no case.
	edges := []Edge{
		{ID: 1, From: 1, To: 2, Day: day("2020-02-01")},
		{ID: 2, From: 2, To: 3, Day: day("2020-02-03")},
		{ID: 3, From: 1, To: 4, Day: day("2020-02-02")},
		{ID: 4, From: 4, To: 3, Day: day("2020-02-04")}, // second exposure of 3: not drawn
		{ID: 5, From: 5, To: 6, Day: day("2020-02-05")},
	}
	ch := BuildChain(edges, []int64{1, 4})
	if len(ch.Roots) != 2 || ch.Roots[0] != 1 || ch.Roots[1] != 5 {
		t.Fatalf("roots %v", ch.Roots)
	}
	if ch.Gen[3] != 2 || ch.Gen[4] != 1 || ch.Size[1] != 3 || ch.Extra != 1 {
		t.Errorf("gen %v size %v extra %d", ch.Gen, ch.Size, ch.Extra)
	}
	if pg := ch.PerGeneration(map[int64]bool{1: true}); len(pg) != 3 || pg[0] != 1 || pg[1] != 2 || pg[2] != 1 {
		t.Errorf("per generation %v", pg)
	}
	rows := ch.Rows(1, 1, 100)
	if len(rows) != 3 || rows[1].Person != 2 || !rows[1].Collapsed || rows[2].Person != 4 {
		t.Errorf("rows %+v", rows)
	}
	// A loop of cases still gets a root.
	loop := BuildChain([]Edge{{ID: 1, From: 7, To: 8}, {ID: 2, From: 8, To: 7}}, []int64{7, 8})
	if len(loop.Roots) != 1 || loop.Gen[8] != 1 {
		t.Errorf("loop %+v", loop)
	}
}

// TestLinksMakeClusters: the exposures, as links, give surveillance the
// clusters of transmission and of common exposure.
func TestLinksMakeClusters(t *testing.T) {
	r := surveillance.Rules{ClusterThreshold: 2, ClusterWindowDays: 14}
	// Persons 1, 2, 3, 4 and 9 are cases 10, 11, 12, 13 and 14; 7 and 8 are not cases.
	casesOf := map[int64][]int64{1: {10}, 2: {11}, 3: {12}, 4: {13}, 9: {14}}
	ms := []surveillance.Milestones{
		{CaseID: 10, Confirmed: day("2020-02-05")},
		{CaseID: 11, Confirmed: day("2020-02-08")},
		{CaseID: 12, Confirmed: day("2020-02-09")},
		{CaseID: 13, Confirmed: day("2020-01-01")}, // positive outside the window
		{CaseID: 14, Asymptomatic: day("2020-02-10")},
	}
	edges := []Edge{
		{ID: 1, From: 1, To: 2, Day: day("2020-02-03"), Setting: "A家"},   // transmission
		{ID: 2, From: 7, To: 3, Day: day("2020-02-04"), Setting: "B厂车间"}, // common exposure with 9
		{ID: 3, From: 8, To: 9, Day: day("2020-02-04"), Setting: "B厂车间"},
		{ID: 4, From: 4, To: 1, Day: day("2020-02-01"), Setting: "A家"},
		{ID: 5, From: 7, To: 8, Day: day("2020-02-04")}, // no case: no link
		{ID: 6, From: 3, To: 8, Day: day("2020-02-04")}, // one case, no setting: no link
	}
	links := Links(edges, casesOf)
	if len(links) != 4 || fmt.Sprint(links[0].CaseIDs) != "[10 11]" || fmt.Sprint(links[1].CaseIDs) != "[12]" ||
		fmt.Sprint(links[3].CaseIDs) != "[10 13]" {
		t.Fatalf("links %+v", links)
	}
	got := surveillance.ClustersWith(day("2020-02-14"), ms, r, links)
	if len(got) != 2 || fmt.Sprint(got[0].CaseIDs) != "[10 11]" || fmt.Sprint(got[1].CaseIDs) != "[12 14]" ||
		fmt.Sprint(got[1].Settings) != "[B厂车间]" || fmt.Sprint(got[1].Kinds) != "[exposure]" {
		t.Fatalf("clusters %+v", got)
	}
	// Threshold 3 (a county setting) finds none; past the window, none.
	if got := surveillance.ClustersWith(day("2020-02-14"), ms, surveillance.Rules{ClusterThreshold: 3, ClusterWindowDays: 14}, links); len(got) != 0 {
		t.Errorf("threshold 3: %+v", got)
	}
	if got := surveillance.ClustersWith(day("2020-03-10"), ms, r, links); len(got) != 0 {
		t.Errorf("later: %+v", got)
	}
}

func TestSearchPeriod(t *testing.T) {
	cases := []struct {
		onset, positive, status, from, to string
	}{
		{"2020-02-02", "2020-02-05", "2020-02-05", "2020-01-19", "2020-02-05"}, // onset, then confirmed
		{"", "2020-02-05", "2020-02-05", "2020-01-22", "2020-02-05"},           // no onset: from confirmation
		{"2020-02-08", "2020-02-05", "2020-02-05", "2020-01-22", "2020-02-05"}, // asymptomatic first, onset later
		{"2020-02-20", "", "2020-02-21", "2020-02-06", "2020-02-22"},           // suspected: up to today
	}
	opt := func(s string) storage.Date {
		if s == "" {
			return storage.Date{}
		}
		return day(s)
	}
	for _, c := range cases {
		from, to := searchPeriod(opt(c.onset), opt(c.positive), opt(c.status), day("2020-02-22"))
		if from.String() != c.from || to.String() != c.to {
			t.Errorf("%+v: %s – %s", c, from, to)
		}
	}
}
