package surveillance

import (
	"context"
	"fmt"
	"testing"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
)

// TestExposureClustersFeedTheRiskLevel: 51 cumulative cases make a county
// high risk only with a cluster in the window; here the cluster comes, or
// not, from contact tracing's links.
func TestExposureClustersFeedTheRiskLevel(t *testing.T) {
	base := func(extra ...Milestones) []Milestones {
		ms := many(49, "2020-02-10") // cases 1..49, no settings
		return append(ms, extra...)
	}
	a := Milestones{CaseID: 901, Confirmed: d("2020-02-08")}
	b := Milestones{CaseID: 902, Confirmed: d("2020-02-09")}
	c := Milestones{CaseID: 903, Asymptomatic: d("2020-02-09")}
	inHome := func(m Milestones) Milestones { m.Setting = "东汪村三组王家"; return m }
	link := func(day string, setting string, ids ...int64) Link {
		return Link{CaseIDs: ids, Day: d(day), Setting: setting}
	}
	three := DefaultRules
	three.ClusterThreshold = 3
	cases := []struct {
		name     string
		asOf     string
		ms       []Milestones
		links    []Link
		rules    Rules
		clusters int
		risk     Risk
		kinds    string
	}{
		{"no cluster", "2020-02-10", base(a, b), nil, DefaultRules, 0, Medium, ""},
		{"exposure between two cases", "2020-02-10", base(a, b), []Link{link("2020-02-07", "", 901, 902)}, DefaultRules, 1, High, "[exposure]"},
		{"below a threshold of 3", "2020-02-10", base(a, b, c), []Link{link("2020-02-07", "", 901, 902)}, three, 0, Medium, ""},
		{"at a threshold of 3", "2020-02-10", base(a, b, c), []Link{link("2020-02-07", "", 901, 902), link("2020-02-08", "", 902, 903)}, three, 1, High, "[exposure]"},
		{"common setting of two exposures", "2020-02-10", base(a, b), []Link{link("2020-02-03", "鸿达阀门车间", 901), link("2020-02-05", "鸿达阀门车间", 902)}, DefaultRules, 1, High, "[exposure]"},
		{"one case twice in a setting", "2020-02-10", base(a, b), []Link{link("2020-02-03", "鸿达阀门车间", 901), link("2020-02-05", "鸿达阀门车间", 901)}, DefaultRules, 0, Medium, ""},
		{"exposure before the window", "2020-02-10", base(a, b), []Link{link("2020-01-27", "", 901, 902)}, DefaultRules, 0, Medium, ""},
		{"exposure after the day asked", "2020-02-10", base(a, b), []Link{link("2020-02-11", "", 901, 902)}, DefaultRules, 0, Medium, ""},
		{"cases positive before the window", "2020-02-23", base(a, b), []Link{link("2020-02-12", "", 901, 902)}, DefaultRules, 0, Medium, ""},
		{"a case outside the scope", "2020-02-10", base(a), []Link{link("2020-02-07", "", 901, 902)}, DefaultRules, 0, Medium, ""},
		{"a struck case", "2020-02-10", base(a, Milestones{CaseID: 902, Confirmed: d("2020-02-09"), Struck: d("2020-02-10")}), []Link{link("2020-02-07", "", 901, 902)}, DefaultRules, 0, Medium, ""},
		{"case cluster only", "2020-02-10", base(inHome(a), inHome(b)), nil, DefaultRules, 1, High, "[setting]"},
		{"overlapping: counted once", "2020-02-10", base(inHome(a), inHome(b), c), []Link{link("2020-02-07", "", 902, 903)}, DefaultRules, 1, High, "[exposure setting]"},
		{"overlapping through the same setting", "2020-02-10", base(inHome(a), inHome(b), c), []Link{link("2020-02-07", "东汪村三组王家", 903)}, DefaultRules, 1, High, "[exposure setting]"},
		{"overlap reaches a threshold of 3", "2020-02-10", base(inHome(a), inHome(b), c), []Link{link("2020-02-07", "", 902, 903)}, three, 1, High, "[exposure setting]"},
		{"disjoint: two clusters", "2020-02-10", base(inHome(a), inHome(b), c, Milestones{CaseID: 904, Confirmed: d("2020-02-10")}), []Link{link("2020-02-07", "", 903, 904)}, DefaultRules, 2, High, "[setting]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := ComputeWith(d(tc.asOf), tc.ms, tc.rules, tc.links)
			if s.Clusters != tc.clusters || s.RiskLevel != tc.risk {
				t.Errorf("clusters %d risk %s, want %d %s (cumulative %d)", s.Clusters, s.RiskLevel, tc.clusters, tc.risk, s.CumulativeConfirmed)
			}
			cs := ClustersWith(d(tc.asOf), tc.ms, tc.rules, tc.links)
			if tc.kinds != "" && fmt.Sprint(cs[0].Kinds) != tc.kinds {
				t.Errorf("kinds %v, want %s", cs[0].Kinds, tc.kinds)
			}
			seen := map[int64]bool{}
			for _, c := range cs {
				for _, id := range c.CaseIDs {
					if seen[id] {
						t.Errorf("case %d in two clusters: %+v", id, cs)
					}
					seen[id] = true
				}
			}
		})
	}
}

func TestMergedClusterDescribesBothKinds(t *testing.T) {
	ms := []Milestones{
		{CaseID: 1, Confirmed: d("2020-02-03"), Setting: "王家"},
		{CaseID: 2, Asymptomatic: d("2020-02-05"), Setting: "王家"},
		{CaseID: 3, Confirmed: d("2020-02-07")},
	}
	cs := ClustersWith(d("2020-02-10"), ms, DefaultRules, []Link{{CaseIDs: []int64{3, 2}, Day: d("2020-02-04"), Setting: "鸿达车间"}})
	if len(cs) != 1 {
		t.Fatalf("clusters %+v", cs)
	}
	c := cs[0]
	if fmt.Sprint(c.CaseIDs) != "[1 2 3]" || fmt.Sprint(c.Settings) != "[王家 鸿达车间]" || c.Setting != "王家" ||
		c.First != d("2020-02-03") || c.Last != d("2020-02-07") {
		t.Errorf("cluster %+v", c)
	}
	// Without the link, the case records' cluster alone; the old function agrees.
	if got := Clusters(d("2020-02-10"), ms, DefaultRules); len(got) != 1 || fmt.Sprint(got[0].CaseIDs) != "[1 2]" {
		t.Errorf("case clusters %+v", got)
	}
}

func TestStoreLinksAsksTheWindow(t *testing.T) {
	var from, to storage.Date
	s := &Store{ClusterSource: func(_ context.Context, _ auth.Scope, f, t storage.Date) ([]Link, error) {
		from, to = f, t
		return nil, nil
	}}
	if _, err := s.Links(context.Background(), auth.Scope{}, d("2020-02-22"), DefaultRules); err != nil {
		t.Fatal(err)
	}
	if from != d("2020-02-09") || to != d("2020-02-22") {
		t.Errorf("window %s – %s", from, to)
	}
	if links, err := (&Store{}).Links(context.Background(), auth.Scope{}, d("2020-02-22"), DefaultRules); links != nil || err != nil {
		t.Errorf("no source: %v %v", links, err)
	}
}
