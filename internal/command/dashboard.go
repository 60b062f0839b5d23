package command

import (
	"context"

	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/surveillance"
)

// Division names a node of the tree in the reader's language.
type Division struct {
	ID    int64     `json:"id"`
	Code  string    `json:"code"`
	Name  string    `json:"name"`
	Level org.Level `json:"level"`
}

func divisionOf(n org.Node, lang string) Division {
	return Division{ID: n.ID, Code: n.Code, Name: n.Name(lang), Level: n.Level}
}

// Row is one line of the breakdown table: a township (or, in a township's
// drill-down, a village) with its figures for the day.
type Row struct {
	Division
	surveillance.Summary
}

// Dashboard is everything the commander's page shows for one day and one
// division: the division's figures, one row per division below it, and the
// trend. Every number is computed from case records as of Date.
type Dashboard struct {
	Date     storage.Date              `json:"date"`
	Division Division                  `json:"division"`
	Summary  surveillance.Summary      `json:"summary"`
	RowLevel org.Level                 `json:"row_level,omitempty"`
	Rows     []Row                     `json:"rows"`
	Direct   *Row                      `json:"direct,omitempty"` // cases recorded on the division itself, in none of the rows
	Trend    []surveillance.TrendPoint `json:"trend"`
	// Home is the division the user's own dashboard starts at; Crumbs lead
	// from it down to Division.
	Home   Division   `json:"-"`
	Crumbs []Division `json:"-"`
	// ClusterWindow is the days a cluster is looked for in (a setting).
	ClusterWindow int `json:"cluster_window_days"`
}

// loader assembles dashboards from the org tree and the case records.
type loader struct {
	db   *storage.DB
	org  *org.Store
	surv *surveillance.Store
}

// load builds the dashboard of day d for the caller, over their whole
// dashboard scope or, when divisionID is set, the part of it under that
// division (404 when that is nothing).
func (l *loader) load(ctx context.Context, p *auth.Principal, lang string, d storage.Date, divisionID int64) (*Dashboard, error) {
	scope := p.Scope(auth.PermDashboard)
	home, err := l.home(ctx, scope)
	if err != nil {
		return nil, err
	}
	root, sc := home, scope
	if divisionID != 0 {
		if root, err = l.org.ByID(ctx, divisionID); err != nil {
			return nil, err // NotFound for an unknown id
		}
		if sc = scope.Narrow(root.Path); sc.Empty() {
			return nil, errs.NotFoundf()
		}
	}
	ms, err := l.surv.Milestones(ctx, sc, d)
	if err != nil {
		return nil, err
	}
	rules := l.surv.Rules(ctx)
	// One ask for the links of the whole territory shown: a link names only
	// cases of the scope asked, so kept to a row's cases it is that row's.
	links, err := l.surv.Links(ctx, sc, d, rules)
	if err != nil {
		return nil, err
	}
	db := &Dashboard{Date: d, Division: divisionOf(root, lang), Home: divisionOf(home, lang),
		Summary: surveillance.ComputeWith(d, ms, rules, links), Rows: []Row{}, ClusterWindow: rules.ClusterWindowDays}
	if err := l.breakdown(ctx, p, lang, db, root, sc, ms, rules, links); err != nil {
		return nil, err
	}
	db.Trend = surveillance.Trend(trendFrom(d, firstConfirmed(ms, d)), d, ms, rules)
	db.Crumbs, err = l.crumbs(ctx, lang, home.Path, root.Path)
	return db, err
}

// home is where a user's dashboard starts: the deepest node holding all of
// their grants (the county for county staff, the township for a township
// admin), or the county when they hold no territorial grant.
func (l *loader) home(ctx context.Context, scope auth.Scope) (org.Node, error) {
	if cp := commonPath(scope.Paths); cp != "" {
		if n, err := l.org.ByID(ctx, lastID(cp)); err == nil {
			return n, nil
		}
	}
	n, err := l.org.Root(ctx)
	if errs.CodeOf(err) == errs.NotFound {
		return org.Node{Path: "/", Level: org.County}, nil // an empty tree: nothing to show, nothing to fail
	}
	return n, err
}

// breakdown fills the rows: every child of root that the scope reaches, with
// zero rows for children without cases, so a quiet township is visibly quiet.
func (l *loader) breakdown(ctx context.Context, p *auth.Principal, lang string, db *Dashboard, root org.Node,
	sc auth.Scope, ms []surveillance.Milestones, rules surveillance.Rules, links []surveillance.Link) error {
	if root.ID == 0 {
		return nil
	}
	children, err := l.org.Children(ctx, p, root.ID)
	if err != nil {
		return err
	}
	groups, err := l.groupByChild(ctx, sc, root, ms)
	if err != nil {
		return err
	}
	for _, ch := range children {
		if sc.Narrow(ch.Path).Empty() {
			continue
		}
		db.RowLevel = ch.Level
		db.Rows = append(db.Rows, Row{Division: divisionOf(ch, lang), Summary: surveillance.ComputeWith(db.Date, groups[ch.ID], rules, links)})
	}
	if direct := groups[0]; len(direct) > 0 {
		db.Direct = &Row{Division: divisionOf(root, lang), Summary: surveillance.ComputeWith(db.Date, direct, rules, links)}
	}
	return nil
}

// groupByChild splits the milestones by the child of root each case lies
// under; cases recorded on root itself go under 0. Below the county the
// milestones' township is not enough, so the cases' divisions are read.
func (l *loader) groupByChild(ctx context.Context, sc auth.Scope, root org.Node, ms []surveillance.Milestones) (map[int64][]surveillance.Milestones, error) {
	depth := root.Depth()
	if depth == 0 {
		return surveillance.ByTownship(ms), nil
	}
	paths, err := l.casePaths(ctx, sc)
	if err != nil {
		return nil, err
	}
	out := map[int64][]surveillance.Milestones{}
	for _, m := range ms {
		k := idAt(paths[m.CaseID], depth+1)
		out[k] = append(out[k], m)
	}
	return out, nil
}

// casePaths maps each case in scope to its division's org path.
func (l *loader) casePaths(ctx context.Context, sc auth.Scope) (map[int64]string, error) {
	var args storage.Args
	rows, err := l.db.R.QueryContext(ctx, `SELECT c.id, n.path FROM cases c JOIN org_nodes n ON n.id = c.division_id
		WHERE `+sc.SQL("c.division_id", &args), args...)
	if err != nil {
		return nil, errs.Wrap(err, "dashboard case paths")
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var path string
		if err := rows.Scan(&id, &path); err != nil {
			return nil, errs.Wrap(err, "dashboard case paths scan")
		}
		out[id] = path
	}
	return out, rows.Err()
}

// crumbs names the divisions from the user's home down to (not including)
// the division shown.
func (l *loader) crumbs(ctx context.Context, lang, home, path string) ([]Division, error) {
	var out []Division
	for _, a := range ancestors(home, path) {
		n, err := l.org.ByID(ctx, lastID(a))
		if err != nil {
			return nil, err
		}
		out = append(out, divisionOf(n, lang))
	}
	return out, nil
}

// firstConfirmed is the day of the earliest confirmed case still counted on
// d (zero when there is none): the trend chart starts at its month.
func firstConfirmed(ms []surveillance.Milestones, d storage.Date) storage.Date {
	var first storage.Date
	for _, m := range ms {
		if m.Confirmed.IsZero() || (!m.Struck.IsZero() && !m.Struck.After(d.Time)) {
			continue
		}
		if first.IsZero() || m.Confirmed.Before(first.Time) {
			first = m.Confirmed
		}
	}
	return first
}
