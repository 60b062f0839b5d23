package tracing

import (
	"context"
	"slices"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
	"fangkong/internal/surveillance"
)

// ClusterSource is tracing's evidence for surveillance's cluster detection
// (Store.Links), for internal/app to hand to the stores that compute the
// risk level: surveillance cannot import tracing.
func ClusterSource(env *web.Env) surveillance.ClusterSource {
	return (&Store{DB: env.DB}).Links
}

// Links is a surveillance.ClusterSource: the exposures dated from..to that
// touch a person of a case of scope, as links between those cases (see the
// pure Links). Cases are matched to persons of the register by ID number.
// Scope is in both queries' SQL, on the cases' divisions: a link names only
// cases of the scope, whoever's village the exposure was recorded in.
func (s *Store) Links(ctx context.Context, scope auth.Scope, from, to storage.Date) ([]surveillance.Link, error) {
	casesOf, err := s.casePersons(ctx, scope)
	if err != nil || len(casesOf) == 0 {
		return nil, err
	}
	var args storage.Args
	// The case persons of the scope, once for each side: uncorrelated, so
	// the engine builds the set once instead of probing it per exposure.
	casePersons := func() string {
		return `(SELECT p.id FROM persons p JOIN cases c ON c.id_number = p.id_number WHERE c.id_number <> '' AND ` +
			scope.SQL("c.division_id", &args) + `)`
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT e.id, e.source_id, e.contact_id, e.day, e.setting FROM tracing_exposures e
		WHERE e.day >= `+args.Add(from)+` AND e.day <= `+args.Add(to)+` AND (e.source_id IN `+casePersons()+
		` OR e.contact_id IN `+casePersons()+`) ORDER BY e.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "cluster exposures")
	}
	defer rows.Close()
	var edges []Edge
	for rows.Next() {
		var e Edge
		if err := rows.Scan(&e.ID, &e.From, &e.To, &e.Day, &e.Setting); err != nil {
			return nil, errs.Wrap(err, "cluster exposure scan")
		}
		edges = append(edges, e)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(err, "cluster exposures")
	}
	return Links(edges, casesOf), nil
}

// casePersons maps each live person of the register who is a case of scope
// to their case ids. Which of those cases count on a day (positive, not
// struck) is surveillance's to decide, from the cases' milestones.
func (s *Store) casePersons(ctx context.Context, scope auth.Scope) (map[int64][]int64, error) {
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT p.id, c.id FROM cases c JOIN persons p ON p.id_number = c.id_number
		WHERE c.id_number <> '' AND p.merged_into IS NULL AND `+scope.SQL("c.division_id", &args)+` ORDER BY c.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "cluster case persons")
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var pid, cid int64
		if err := rows.Scan(&pid, &cid); err != nil {
			return nil, errs.Wrap(err, "cluster case person scan")
		}
		out[pid] = append(out[pid], cid)
	}
	return out, rows.Err()
}

// Cluster is a cluster as tracing lists it: surveillance's cluster (its
// cases, the settings and kinds of evidence linking them, its first and last
// positive days) and whether it was first detected on the day asked.
type Cluster struct {
	surveillance.Cluster
	// New: none of its cases was in a cluster the day before, so the day
	// asked is the day it was detected (it reached the threshold, or an
	// exposure of that day linked its cases).
	New bool `json:"new"`
}

// ClusterList is the clusters in force on a day, the risk level's clusters.
type ClusterList struct {
	Date       storage.Date `json:"date"`
	WindowDays int          `json:"window_days"`
	Threshold  int          `json:"threshold"`
	InForce    int          `json:"in_force"` // clusters in force on Date (the risk level's count)
	New        int          `json:"new"`      // of those, the ones first detected on Date
	Items      []Cluster    `json:"items"`    // all in force, or (new=1) only the new ones
}

// Clusters lists the clusters in force on day d among the cases in the
// caller's case.read scope — the same clusters, by the same rule
// (surveillance.ClustersWith, with this module's links), that the dashboard's
// risk level counts over that scope — marking those first detected on d.
func (s *Store) Clusters(ctx context.Context, p *auth.Principal, d storage.Date) (ClusterList, error) {
	scope := p.Scope(auth.PermCaseRead)
	rules := s.rules(ctx)
	l := ClusterList{Date: d, WindowDays: rules.ClusterWindowDays, Threshold: rules.ClusterThreshold, Items: []Cluster{}}
	ms, err := s.Cases.Milestones(ctx, scope, d)
	if err != nil {
		return l, err
	}
	// The links of both windows, today's and yesterday's: ClustersWith keeps
	// to each day's window, and milestones after a day do not count on it.
	links, err := s.Links(ctx, scope, d.AddDays(-rules.ClusterWindowDays), d)
	if err != nil {
		return l, err
	}
	before := map[int64]bool{}
	for _, c := range surveillance.ClustersWith(d.AddDays(-1), ms, rules, links) {
		for _, id := range c.CaseIDs {
			before[id] = true
		}
	}
	for _, c := range surveillance.ClustersWith(d, ms, rules, links) {
		isNew := !slices.ContainsFunc(c.CaseIDs, func(id int64) bool { return before[id] })
		if isNew {
			l.New++
		}
		l.Items = append(l.Items, Cluster{Cluster: c, New: isNew})
	}
	l.InForce = len(l.Items)
	return l, nil
}

// rules are the county's cluster rules (surveillance's settings).
func (s *Store) rules(ctx context.Context) surveillance.Rules {
	if s.Cases == nil {
		return surveillance.DefaultRules
	}
	return s.Cases.Rules(ctx)
}
