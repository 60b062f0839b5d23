package enterprise

import (
	"context"
	"strconv"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Stats is day D's work-resumption figures over the caller's scope, computed
// from the register, the filings, the suspensions and the daily reports:
// nothing here is typed in or stored.
type Stats struct {
	Date storage.Date `json:"date"`
	Figures
	Pending    Pending `json:"pending"`
	Mode       Mode    `json:"mode"`
	ByTownship []Row   `json:"by_township"`
	ByIndustry []Row   `json:"by_industry"`
}

// Row is one line of a breakdown: a township (ID, names) or an industry (Key).
type Row struct {
	Key    string `json:"key"`
	ID     int64  `json:"id,omitempty"`
	Name   string `json:"name,omitempty"`
	NameEN string `json:"name_en,omitempty"`
	Figures
}

// Label is the row's township name in lang ("" for industry rows).
func (r Row) Label(lang string) string {
	if lang == "en" && r.NameEN != "" {
		return r.NameEN
	}
	return r.Name
}

// Stats computes day d's figures for the caller (the command dashboard calls
// it too): the resumption rate of above-size enterprises, of all and of key
// projects, workers back, capacity use, reports received and missing, fevers,
// pending filings by age, and the same by township and by industry.
func (s *Store) Stats(ctx context.Context, p *auth.Principal, d storage.Date) (Stats, error) {
	facts, err := s.facts(ctx, p, d, true)
	if err != nil {
		return Stats{}, err
	}
	trails, err := s.trails(ctx, p, d)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Date: d, Figures: Compute(d, facts), Pending: PendingOn(d, trails, s.AnswerDays(ctx), s.Calendar(ctx)), Mode: s.Mode(ctx),
		ByTownship: []Row{}, ByIndustry: []Row{}}
	towns := computeBy(d, facts, func(f Fact) string { return strconv.FormatInt(f.TownshipID, 10) })
	if st.ByTownship, err = s.townshipRows(ctx, towns); err != nil {
		return st, err
	}
	inds := computeBy(d, facts, func(f Fact) string { return f.Industry })
	for _, ind := range Industries {
		if fig, ok := inds[ind]; ok {
			st.ByIndustry = append(st.ByIndustry, Row{Key: ind, Figures: fig})
		}
	}
	return st, nil
}

// townshipRows names the township groups, in code order.
func (s *Store) townshipRows(ctx context.Context, groups map[string]Figures) ([]Row, error) {
	out := []Row{}
	if len(groups) == 0 {
		return out, nil
	}
	var args storage.Args
	ph := make([]string, 0, len(groups))
	for k := range groups {
		id, _ := strconv.ParseInt(k, 10, 64)
		ph = append(ph, args.Add(id))
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name_zh, name_en FROM org_nodes WHERE id IN (`+
		strings.Join(ph, ", ")+`) ORDER BY code`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "stats townships")
	}
	defer rows.Close()
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.Name, &r.NameEN); err != nil {
			return nil, errs.Wrap(err, "stats township scan")
		}
		r.Key = strconv.FormatInt(r.ID, 10)
		r.Figures = groups[r.Key]
		out = append(out, r)
	}
	return out, rows.Err()
}

// Trend is the above-size resumption rate of each day from..to over the
// caller's scope.
func (s *Store) Trend(ctx context.Context, p *auth.Principal, from, to storage.Date) ([]TrendPoint, error) {
	if to.Before(from.Time) || to.DaysSince(from) > 366 {
		return nil, errs.Field("from", "enterprise.err.bad_range")
	}
	facts, err := s.facts(ctx, p, to, false)
	if err != nil {
		return nil, err
	}
	return Trend(from, to, facts), nil
}

// facts loads, for every enterprise in scope registered by d, what the rule
// needs: approvals and suspensions up to d and, when asked, the report of d.
// Four grouped queries, whatever the number of enterprises.
func (s *Store) facts(ctx context.Context, p *auth.Principal, d storage.Date, reports bool) ([]Fact, error) {
	scoped := func(q string) (string, []any) {
		args := storage.Args{d}
		return q + ` AND ` + scopeSQL(p, auth.PermEnterpriseRead, &args), args
	}
	var facts []Fact
	index := map[int64]int{}
	q, args := scoped(`SELECT e.id, n.path, e.industry, e.above_size, e.key_project, e.employees, e.registered_on
		FROM enterprises e JOIN org_nodes n ON n.id = e.division_id WHERE e.registered_on <= $1`)
	err := s.scan(ctx, q, args, func(rows scanner) error {
		var f Fact
		var path string
		if err := rows.Scan(&f.ID, &path, &f.Industry, &f.AboveSize, &f.KeyProject, &f.Employees, &f.Registered); err != nil {
			return err
		}
		f.TownshipID = townshipOf(path)
		index[f.ID] = len(facts)
		facts = append(facts, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	q, args = scoped(`SELECT f.enterprise_id, f.decided_on, f.resume_day FROM enterprise_filings f
		JOIN enterprises e ON e.id = f.enterprise_id WHERE f.status IN ('approved', 'effective') AND f.decided_on <= $1`)
	err = s.scan(ctx, q, args, func(rows scanner) error {
		var id int64
		var a Approval
		if err := rows.Scan(&id, &a.Decided, &a.ResumeDay); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			facts[i].Approvals = append(facts[i].Approvals, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	q, args = scoped(`SELECT s.enterprise_id, s.from_day, s.to_day FROM enterprise_suspensions s
		JOIN enterprises e ON e.id = s.enterprise_id WHERE s.from_day <= $1`)
	err = s.scan(ctx, q, args, func(rows scanner) error {
		var id int64
		var sp Span
		if err := rows.Scan(&id, &sp.From, &sp.To); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			facts[i].Suspensions = append(facts[i].Suspensions, sp)
		}
		return nil
	})
	if err != nil || !reports {
		return facts, err
	}
	q, args = scoped(`SELECT r.enterprise_id, r.on_site, r.returned_today, r.from_outside, r.under_observation,
		r.fever_cases, r.capacity_pct FROM enterprise_reports r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.day = $1`)
	err = s.scan(ctx, q, args, func(rows scanner) error {
		var id int64
		var r DayReport
		if err := rows.Scan(&id, &r.OnSite, &r.ReturnedToday, &r.FromOutside, &r.UnderObservation, &r.FeverCases, &r.CapacityPct); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			facts[i].Report = &r
		}
		return nil
	})
	return facts, err
}

// trails loads the workflow steps up to d of every filing in scope.
func (s *Store) trails(ctx context.Context, p *auth.Principal, d storage.Date) ([]Trail, error) {
	args := storage.Args{d}
	q := `SELECT v.filing_id, f.enterprise_id, v.step, v.to_status, v.day FROM enterprise_filing_events v
		JOIN enterprise_filings f ON f.id = v.filing_id JOIN enterprises e ON e.id = f.enterprise_id
		WHERE v.day <= $1 AND ` + scopeSQL(p, auth.PermEnterpriseRead, &args) + ` ORDER BY v.filing_id, v.id`
	var out []Trail
	err := s.scan(ctx, q, args, func(rows scanner) error {
		var fid, eid int64
		var ev TrailEvent
		var step, to string
		if err := rows.Scan(&fid, &eid, &step, &to, &ev.Day); err != nil {
			return err
		}
		ev.Step, ev.To = Step(step), FilingStatus(to)
		if n := len(out); n == 0 || out[n-1].FilingID != fid {
			out = append(out, Trail{FilingID: fid, EnterpriseID: eid})
		}
		out[len(out)-1].Events = append(out[len(out)-1].Events, ev)
		return nil
	})
	return out, err
}

type scanner interface{ Scan(...any) error }

// scan runs a read query and hands each row to fn.
func (s *Store) scan(ctx context.Context, q string, args []any, fn func(scanner) error) error {
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return errs.Wrap(err, "enterprise stats")
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return errs.Wrap(err, "enterprise stats scan")
		}
	}
	return errs.Wrap(rows.Err(), "enterprise stats rows")
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

// Brief names an enterprise in an alert list.
type Brief struct {
	ID         int64  `json:"id"`
	DivisionID int64  `json:"division_id"`
	Name       string `json:"name"`
	Township   string `json:"township"`
	TownshipEN string `json:"-"`
	AboveSize  bool   `json:"above_size"`
	FeverCases int64  `json:"fever_cases,omitempty"`
}

// TownshipName is the township in lang.
func (b Brief) TownshipName(lang string) string {
	if lang == "en" && b.TownshipEN != "" {
		return b.TownshipEN
	}
	return b.Township
}

// Alerts are the enterprises that need attention on day d: resumed ones
// without a daily report, and those reporting fever cases.
type Alerts struct {
	Date    storage.Date `json:"date"`
	Missing []Brief      `json:"missing_reports"`
	Fever   []Brief      `json:"fever"`
}

// Alerts lists, for day d over the caller's scope, the resumed enterprises
// whose report is missing and those that reported fever cases.
func (s *Store) Alerts(ctx context.Context, p *auth.Principal, d storage.Date) (Alerts, error) {
	facts, err := s.facts(ctx, p, d, true)
	if err != nil {
		return Alerts{}, err
	}
	a := Alerts{Date: d, Missing: []Brief{}, Fever: []Brief{}}
	missing, fever := map[int64]bool{}, map[int64]int64{}
	for _, f := range facts {
		if f.Report != nil && f.Report.FeverCases > 0 {
			fever[f.ID] = f.Report.FeverCases
		}
		if f.Report == nil && ResumedOn(d, f) {
			missing[f.ID] = true
		}
	}
	if len(missing)+len(fever) == 0 {
		return a, nil
	}
	var args storage.Args
	q := `SELECT e.id, e.division_id, e.name, COALESCE(t.name_zh, n.name_zh), COALESCE(t.name_en, n.name_en), e.above_size
		FROM enterprises e JOIN org_nodes n ON n.id = e.division_id LEFT JOIN org_nodes t ON t.id = n.parent_id AND n.level = 'village'
		WHERE ` + scopeSQL(p, auth.PermEnterpriseRead, &args) + ` ORDER BY e.id`
	err = s.scan(ctx, q, args, func(rows scanner) error {
		var b Brief
		if err := rows.Scan(&b.ID, &b.DivisionID, &b.Name, &b.Township, &b.TownshipEN, &b.AboveSize); err != nil {
			return err
		}
		if missing[b.ID] {
			a.Missing = append(a.Missing, b)
		}
		if n, ok := fever[b.ID]; ok {
			b.FeverCases = n
			a.Fever = append(a.Fever, b)
		}
		return nil
	})
	return a, err
}
