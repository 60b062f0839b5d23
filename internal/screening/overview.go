package screening

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// Figures are one division's screening figures for one day, computed from
// the records as of that day.
type Figures struct {
	UnderHome        int `json:"under_home"`        // under home observation on the day
	UnderCentralized int `json:"under_centralized"` // under centralized observation on the day
	New              int `json:"new"`               // observations started on the day
	Released         int `json:"released"`          // released on the day
	Transferred      int `json:"transferred"`       // transferred on the day
	ReleaseDue       int `json:"release_due"`       // period over, not yet released
	Due              int `json:"due"`               // follow-up slots of the day
	Done             int `json:"done"`              // of which recorded
	Missed           int `json:"missed"`            // of which missed by the clock
	OpenAlerts       int `json:"open_alerts"`       // fever or symptom alerts without a result
	NewAlerts        int `json:"new_alerts"`        // alerts opened on the day
	Persons          int `json:"persons"`           // people in the register, screened by the day
	// Door-to-door screening against the village register (org_nodes).
	HouseholdsVisited int64 `json:"households_visited"`
	PersonsCovered    int64 `json:"persons_covered"`
	Households        int64 `json:"households"`
	Population        int64 `json:"population"`

	// Internal: follow-up-day observations and morning records, for Missed.
	followObs, doneAM int
}

// Under is everyone under observation on the day.
func (f Figures) Under() int { return f.UnderHome + f.UnderCentralized }

func (f *Figures) add(g Figures) {
	f.UnderHome += g.UnderHome
	f.UnderCentralized += g.UnderCentralized
	f.New += g.New
	f.Released += g.Released
	f.Transferred += g.Transferred
	f.ReleaseDue += g.ReleaseDue
	f.Due += g.Due
	f.Done += g.Done
	f.Missed += g.Missed
	f.OpenAlerts += g.OpenAlerts
	f.NewAlerts += g.NewAlerts
	f.Persons += g.Persons
	f.HouseholdsVisited += g.HouseholdsVisited
	f.PersonsCovered += g.PersonsCovered
	f.Households += g.Households
	f.Population += g.Population
	f.followObs += g.followObs
	f.doneAM += g.doneAM
}

// settle computes the day's due and missed slots from the counts.
func (f *Figures) settle(c Clock) {
	f.Due = 2 * f.followObs
	switch {
	case c.DayPassed:
		f.Missed = f.Due - f.Done
	case c.AMPassed:
		f.Missed = f.followObs - f.doneAM
	default:
		f.Missed = 0
	}
}

// Division names a node of the tree.
type Division struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Level  string `json:"level"`
	path   string
	parent int64
}

// Name is the division's name in lang.
func (d Division) Name(lang string) string {
	if lang == "en" && d.NameEN != "" {
		return d.NameEN
	}
	return d.NameZH
}

// Row is one division of the overview's breakdown.
type Row struct {
	Division Division `json:"division"`
	Figures  Figures  `json:"figures"`
}

// Overview is the screening picture of one division on one day: its
// figures and one row per division below it.
type Overview struct {
	Date     storage.Date `json:"date"`
	Division Division     `json:"division"`
	Total    Figures      `json:"total"`
	Rows     []Row        `json:"rows"`
	Clock    Clock        `json:"-"`
}

// Overview computes the figures of day d over the caller's screening scope,
// or the part of it under divisionID, broken down by the divisions one level
// below (townships, or a township's villages).
func (s *Store) Overview(ctx context.Context, p *auth.Principal, d storage.Date, divisionID int64) (Overview, error) {
	rules := s.Rules(ctx)
	ov := Overview{Date: d, Clock: rules.ClockAt(d, s.Today(), s.now().In(s.zone()).Hour()), Rows: []Row{}}
	sc, err := s.scope(ctx, p, PermRead, divisionID)
	if err != nil {
		return ov, err
	}
	nodes, err := s.nodes(ctx, sc)
	if err != nil {
		return ov, err
	}
	root, err := s.root(ctx, sc, divisionID, nodes)
	if err != nil {
		return ov, err
	}
	ov.Division = root
	perVillage, err := s.figures(ctx, sc, d)
	if err != nil {
		return ov, err
	}
	byChild := map[int64]*Figures{}
	for _, n := range nodes {
		if n.parent == root.ID {
			ov.Rows = append(ov.Rows, Row{Division: n.Division})
		}
	}
	for i := range ov.Rows {
		byChild[ov.Rows[i].Division.ID] = &ov.Rows[i].Figures
	}
	for _, n := range nodes {
		f := perVillage[n.ID]
		if n.Level == "village" {
			f.Households, f.Population = n.households(), n.population()
		}
		ov.Total.add(f)
		if child := childOf(n.path, root.path); child != 0 && byChild[child] != nil {
			byChild[child].add(f)
		}
	}
	ov.Total.settle(ov.Clock)
	for i := range ov.Rows {
		ov.Rows[i].Figures.settle(ov.Clock)
	}
	return ov, nil
}

// node is an org node with its register figures.
type node struct {
	Division
	hh, pop int64
}

func (n node) households() int64 { return n.hh }
func (n node) population() int64 { return n.pop }

// nodes lists the org nodes of a scope.
func (s *Store) nodes(ctx context.Context, sc auth.Scope) ([]node, error) {
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), code, name_zh, name_en, level, path, households,
		population FROM org_nodes WHERE `+sc.SQL("id", &args)+` ORDER BY code`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "overview nodes")
	}
	defer rows.Close()
	var out []node
	for rows.Next() {
		var n node
		if err := rows.Scan(&n.ID, &n.parent, &n.Code, &n.NameZH, &n.NameEN, &n.Level, &n.path, &n.hh, &n.pop); err != nil {
			return nil, errs.Wrap(err, "overview node scan")
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// root is the division the overview is of: the one asked for, else the
// deepest node holding the whole scope (the county for county staff).
func (s *Store) root(ctx context.Context, sc auth.Scope, divisionID int64, nodes []node) (Division, error) {
	id := divisionID
	if id == 0 {
		id = lastID(commonPath(sc.Paths))
	}
	var d Division
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, COALESCE(parent_id, 0), code, name_zh, name_en, level, path FROM org_nodes
		WHERE id = $1`, id).Scan(&d.ID, &d.parent, &d.Code, &d.NameZH, &d.NameEN, &d.Level, &d.path)
	if errors.Is(err, sql.ErrNoRows) && divisionID == 0 && len(nodes) > 0 {
		return nodes[0].Division, nil
	}
	if err != nil {
		return d, errs.NotFoundf()
	}
	return d, nil
}

// commonPath is the longest path of whole segments that every path starts
// with ('/1/4/' and '/1/4/27/' share '/1/4/').
func commonPath(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	common := strings.Split(strings.Trim(paths[0], "/"), "/")
	for _, p := range paths[1:] {
		segs := strings.Split(strings.Trim(p, "/"), "/")
		n := 0
		for n < len(common) && n < len(segs) && common[n] == segs[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) == 0 || common[0] == "" {
		return ""
	}
	return "/" + strings.Join(common, "/") + "/"
}

// lastID is the id a path ends with, 0 for none.
func lastID(path string) int64 {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	id, _ := strconv.ParseInt(segs[len(segs)-1], 10, 64)
	return id
}

// childOf is the id of the child of root (by path) that path lies under, 0
// for root itself or a path outside it.
func childOf(path, root string) int64 {
	if !strings.HasPrefix(path, root) || path == root {
		return 0
	}
	rest := strings.TrimPrefix(path, root)
	seg, _, _ := strings.Cut(rest, "/")
	id, _ := strconv.ParseInt(seg, 10, 64)
	return id
}

// figures computes every figure per village (division id) in one query per
// table, each grouped by division.
func (s *Store) figures(ctx context.Context, sc auth.Scope, d storage.Date) (map[int64]Figures, error) {
	out := map[int64]Figures{}
	steps := []func(context.Context, auth.Scope, storage.Date, map[int64]Figures) error{
		s.obsFigures, s.followFigures, s.alertFigures, s.registerFigures,
	}
	for _, step := range steps {
		if err := step(ctx, sc, d, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// grouped runs a query whose first column is a division id and hands each
// row's remaining columns to fn along with that division's figures.
func (s *Store) grouped(ctx context.Context, q string, args []any, out map[int64]Figures, n int, fn func(f *Figures, v []int64)) error {
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return errs.Wrap(err, "overview figures")
	}
	defer rows.Close()
	for rows.Next() {
		var div int64
		v := make([]sql.NullInt64, n)
		dst := []any{&div}
		for i := range v {
			dst = append(dst, &v[i])
		}
		if err := rows.Scan(dst...); err != nil {
			return errs.Wrap(err, "overview figures scan")
		}
		vals := make([]int64, n)
		for i := range v {
			vals[i] = v[i].Int64
		}
		f := out[div]
		fn(&f, vals)
		out[div] = f
	}
	return rows.Err()
}

func (s *Store) obsFigures(ctx context.Context, sc auth.Scope, d storage.Date, out map[int64]Figures) error {
	var args storage.Args
	day := args.Add(d)
	active := "(o.start_date <= " + day + " AND (o.end_date IS NULL OR o.end_date > " + day + "))"
	q := `SELECT o.division_id,
		SUM(CASE WHEN o.kind = 'home' AND ` + active + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN o.kind = 'centralized' AND ` + active + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN o.start_date = ` + day + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN o.status = 'released' AND o.end_date = ` + day + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN o.status = 'transferred' AND o.end_date = ` + day + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + active + ` AND o.planned_end <= ` + day + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + active + ` AND o.planned_end >= ` + day + ` THEN 1 ELSE 0 END)
		FROM observations o WHERE ` + sc.SQL("o.division_id", &args) + ` AND o.start_date <= ` + day +
		` AND (o.end_date IS NULL OR o.end_date >= ` + day + `) GROUP BY o.division_id`
	return s.grouped(ctx, q, args, out, 7, func(f *Figures, v []int64) {
		f.UnderHome, f.UnderCentralized, f.New = int(v[0]), int(v[1]), int(v[2])
		f.Released, f.Transferred, f.ReleaseDue, f.followObs = int(v[3]), int(v[4]), int(v[5]), int(v[6])
	})
}

func (s *Store) followFigures(ctx context.Context, sc auth.Scope, d storage.Date, out map[int64]Figures) error {
	var args storage.Args
	day := args.Add(d)
	q := `SELECT o.division_id, COUNT(*), SUM(CASE WHEN f.slot = 'am' THEN 1 ELSE 0 END)
		FROM followups f JOIN observations o ON o.id = f.observation_id
		WHERE ` + sc.SQL("o.division_id", &args) + ` AND f.day = ` + day + ` AND o.start_date <= ` + day +
		` AND (o.end_date IS NULL OR o.end_date > ` + day + `) AND o.planned_end >= ` + day + ` GROUP BY o.division_id`
	return s.grouped(ctx, q, args, out, 2, func(f *Figures, v []int64) {
		f.Done, f.doneAM = int(v[0]), int(v[1])
	})
}

func (s *Store) alertFigures(ctx context.Context, sc auth.Scope, d storage.Date, out map[int64]Figures) error {
	var args storage.Args
	day := args.Add(d)
	q := `SELECT a.division_id,
		SUM(CASE WHEN a.closed_on IS NULL OR a.closed_on > ` + day + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN a.opened_on = ` + day + ` THEN 1 ELSE 0 END)
		FROM alerts a WHERE ` + sc.SQL("a.division_id", &args) + ` AND a.opened_on <= ` + day + ` GROUP BY a.division_id`
	return s.grouped(ctx, q, args, out, 2, func(f *Figures, v []int64) {
		f.OpenAlerts, f.NewAlerts = int(v[0]), int(v[1])
	})
}

func (s *Store) registerFigures(ctx context.Context, sc auth.Scope, d storage.Date, out map[int64]Figures) error {
	var args storage.Args
	day := args.Add(d)
	q := `SELECT p.division_id, COUNT(*) FROM persons p WHERE ` + sc.SQL("p.division_id", &args) +
		` AND p.merged_into IS NULL AND p.screened_on <= ` + day + ` GROUP BY p.division_id`
	if err := s.grouped(ctx, q, args, out, 1, func(f *Figures, v []int64) { f.Persons = int(v[0]) }); err != nil {
		return err
	}
	args = nil
	day = args.Add(d)
	q = `SELECT h.division_id, COUNT(*), SUM(h.members) FROM screening_households h WHERE ` + sc.SQL("h.division_id", &args) +
		` AND h.visited_on <= ` + day + ` GROUP BY h.division_id`
	return s.grouped(ctx, q, args, out, 2, func(f *Figures, v []int64) {
		f.HouseholdsVisited, f.PersonsCovered = v[0], v[1]
	})
}

// In is the division's name in a page's language.
func (d Division) In(l i18n.Lang) string { return d.Name(string(l)) }

// HouseholdsPct is the share of the register's households visited.
func (f Figures) HouseholdsPct() string { return percent(f.HouseholdsVisited, f.Households) }

// CoveredPct is the share of the register's population covered by visits.
func (f Figures) CoveredPct() string { return percent(f.PersonsCovered, f.Population) }

func percent(n, d int64) string {
	if d <= 0 {
		return "—"
	}
	return strconv.FormatFloat(100*float64(n)/float64(d), 'f', 0, 64) + "%"
}
