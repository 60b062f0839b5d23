package surveillance

import (
	"context"
	"strconv"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Setting keys of the surveillance rules.
const (
	SettingClusterThreshold = "surveillance.cluster_threshold"
	SettingClusterWindow    = "surveillance.cluster_window_days"
)

// Rules reads the county's current rule settings.
func (s *Store) Rules(ctx context.Context) Rules {
	r := DefaultRules
	if s.Settings != nil {
		r.ClusterThreshold = s.Settings.Int(ctx, SettingClusterThreshold, r.ClusterThreshold)
		r.ClusterWindowDays = s.Settings.Int(ctx, SettingClusterWindow, r.ClusterWindowDays)
	}
	return r
}

// Milestones loads, for every case in scope, the first day it reached each
// status on or before d: one grouped query, the input of every statistic.
func (s *Store) Milestones(ctx context.Context, scope auth.Scope, d storage.Date) ([]Milestones, error) {
	var args storage.Args
	day := args.Add(d)
	q := `SELECT c.id, n.path, c.setting,
		MIN(CASE WHEN e.kind = 'confirmed' THEN e.day END),
		MIN(CASE WHEN e.kind = 'asymptomatic' THEN e.day END),
		MIN(CASE WHEN e.kind = 'released' THEN e.day END),
		MIN(CASE WHEN e.kind = 'cured' THEN e.day END),
		MIN(CASE WHEN e.kind = 'died' THEN e.day END),
		MIN(CASE WHEN e.kind = 'struck' THEN e.day END)
		FROM cases c JOIN org_nodes n ON n.id = c.division_id JOIN case_events e ON e.case_id = c.id
		WHERE e.day <= ` + day + ` AND e.kind IN ('confirmed', 'asymptomatic', 'released', 'cured', 'died', 'struck')
		AND ` + scope.SQL("c.division_id", &args) + `
		GROUP BY c.id, n.path, c.setting`
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, errs.Wrap(err, "milestones")
	}
	defer rows.Close()
	var out []Milestones
	for rows.Next() {
		var m Milestones
		var path string
		if err := rows.Scan(&m.CaseID, &path, &m.Setting, &m.Confirmed, &m.Asymptomatic, &m.Released,
			&m.Cured, &m.Died, &m.Struck); err != nil {
			return nil, errs.Wrap(err, "milestones scan")
		}
		m.TownshipID = townshipOf(path)
		out = append(out, m)
	}
	return out, rows.Err()
}

// townshipOf reads the township id from an org path '/county/township/…/'.
func townshipOf(path string) int64 {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 {
		return 0
	}
	id, _ := strconv.ParseInt(parts[1], 10, 64)
	return id
}

// Summary computes the figures for day d over the caller's scope, or over one
// division of it (by statistical code) when code is not empty; the clusters
// include those of the ClusterSource, if any.
func (s *Store) Summary(ctx context.Context, p *auth.Principal, d storage.Date, code string) (Summary, error) {
	scope, err := s.scopeByCode(ctx, p, code)
	if err != nil {
		return Summary{}, err
	}
	ms, err := s.Milestones(ctx, scope, d)
	if err != nil {
		return Summary{}, err
	}
	rules := s.Rules(ctx)
	links, err := s.Links(ctx, scope, d, rules)
	if err != nil {
		return Summary{}, err
	}
	return ComputeWith(d, ms, rules, links), nil
}

func (s *Store) scopeByCode(ctx context.Context, p *auth.Principal, code string) (auth.Scope, error) {
	if code == "" {
		return p.Scope(auth.PermCaseRead), nil
	}
	var id int64
	if err := s.DB.R.QueryRowContext(ctx, `SELECT id FROM org_nodes WHERE code = $1`, code).Scan(&id); err != nil {
		return auth.Scope{}, errs.Field("division", "errs.not_found")
	}
	return s.scopeFor(ctx, p, id)
}

// ByTownship splits milestones by township, for the per-township table.
func ByTownship(ms []Milestones) map[int64][]Milestones {
	out := map[int64][]Milestones{}
	for _, m := range ms {
		out[m.TownshipID] = append(out[m.TownshipID], m)
	}
	return out
}
