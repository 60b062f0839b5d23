package tracing

import (
	"context"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/surveillance"
)

// Clusters detects, as of day d, the clusters among the cases in the
// caller's scope from the exposures of the window (SPEC §1). Surveillance's
// risk level can count them: see the package report for the hook.
func (s *Store) Clusters(ctx context.Context, p *auth.Principal, d storage.Date) ([]Cluster, error) {
	rules := surveillance.DefaultRules
	if s.Cases != nil {
		rules = s.Cases.Rules(ctx)
	}
	from := d.AddDays(-(rules.ClusterWindowDays - 1))
	g, err := s.load(ctx, p, GraphFilter{From: from, To: d})
	if err != nil {
		return nil, err
	}
	ms, err := s.Cases.Milestones(ctx, p.Scope(auth.PermCaseRead), d)
	if err != nil {
		return nil, err
	}
	positive := map[int64]storage.Date{}
	for _, m := range ms {
		if !m.Struck.IsZero() && !m.Struck.After(d.Time) {
			continue
		}
		first := m.Confirmed
		if !m.Asymptomatic.IsZero() && (first.IsZero() || m.Asymptomatic.Before(first.Time)) {
			first = m.Asymptomatic
		}
		if !first.IsZero() {
			positive[m.CaseID] = first
		}
	}
	var cases []CasePoint
	for pid, n := range g.caseOf {
		if day, ok := positive[n.CaseID]; ok {
			cases = append(cases, CasePoint{CaseID: n.CaseID, PersonID: pid, Positive: day})
		}
	}
	out := Clusters(d, cases, g.edges, rules)
	if out == nil {
		out = []Cluster{}
	}
	return out, nil
}
