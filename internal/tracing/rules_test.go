package tracing

import (
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

func TestClusters(t *testing.T) {
	r := surveillance.Rules{ClusterThreshold: 2, ClusterWindowDays: 14}
	cases := []CasePoint{
		{CaseID: 10, PersonID: 1, Positive: day("2020-02-05")},
		{CaseID: 11, PersonID: 2, Positive: day("2020-02-08")},
		{CaseID: 12, PersonID: 3, Positive: day("2020-02-09")},
		{CaseID: 13, PersonID: 4, Positive: day("2020-01-01")}, // outside the window
	}
	cases = append(cases, CasePoint{CaseID: 14, PersonID: 9, Positive: day("2020-02-10")})
	edges := []Edge{
		{From: 1, To: 2, Day: day("2020-02-03"), Setting: "A家"},   // transmission
		{From: 7, To: 3, Day: day("2020-02-04"), Setting: "B厂车间"}, // common exposure with 9
		{From: 8, To: 9, Day: day("2020-02-04"), Setting: "B厂车间"},
		{From: 4, To: 1, Day: day("2020-02-01"), Setting: "A家"},
	}
	got := Clusters(day("2020-02-14"), cases, edges, r)
	if len(got) != 2 || len(got[0].CaseIDs) != 2 || got[0].CaseIDs[0] != 10 || got[1].Settings[0] != "B厂车间" {
		t.Fatalf("clusters %+v", got)
	}
	// Threshold 3 (a county setting) finds none; past the window, none.
	if got := Clusters(day("2020-02-14"), cases, edges, surveillance.Rules{ClusterThreshold: 3, ClusterWindowDays: 14}); len(got) != 0 {
		t.Errorf("threshold 3: %+v", got)
	}
	if got := Clusters(day("2020-03-10"), cases, edges, r); len(got) != 0 {
		t.Errorf("later: %+v", got)
	}
}
