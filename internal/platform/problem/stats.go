package problem

import (
	"context"
	"sort"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// Snapshot is one problem as it stood at the end of a day, replayed from its
// events (a later reassignment or resolution does not change the past).
type Snapshot struct {
	ID           int64
	Source       string
	RaisedBy     int64
	RaisedOn     storage.Date
	DivisionID   int64
	DivisionPath string
	EnterpriseID int64
	State
	Overdue bool
}

// Snapshots returns every problem the reader may see that had been raised by
// day d (of one source module, or all when source is ""), as it stood at the
// end of d.
func (s *Store) Snapshots(ctx context.Context, p *auth.Principal, d storage.Date, source string) ([]Snapshot, error) {
	var args storage.Args
	day := args.Add(d)
	where := visible(p, &args) + ` AND p.raised_on <= ` + day + ` AND e.day <= ` + day + ` AND e.action <> 'comment'`
	if source != "" {
		where += ` AND p.source = ` + args.Add(source)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT p.id, p.source, p.raised_by, p.raised_on, p.division_id, n.path,
		COALESCE(p.enterprise_id, 0), e.action, e.to_status, COALESCE(e.department_id, 0), e.deadline, e.day
		FROM problems p JOIN org_nodes n ON n.id = p.division_id JOIN problem_events e ON e.problem_id = p.id
		WHERE `+where+` ORDER BY p.id, e.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "problem snapshots")
	}
	defer rows.Close()
	var out []Snapshot
	var events []Event
	var cur Snapshot
	flush := func() {
		if cur.ID == 0 {
			return
		}
		if st, ok := StateAt(events, d); ok {
			cur.State, cur.Overdue = st, OverdueAt(st.Status, st.Deadline, d)
			out = append(out, cur)
		}
	}
	for rows.Next() {
		var sn Snapshot
		var e Event
		var action, to string
		if err := rows.Scan(&sn.ID, &sn.Source, &sn.RaisedBy, &sn.RaisedOn, &sn.DivisionID, &sn.DivisionPath,
			&sn.EnterpriseID, &action, &to, &e.DepartmentID, &e.Deadline, &e.Day); err != nil {
			return nil, errs.Wrap(err, "problem snapshot scan")
		}
		e.Action, e.To = Action(action), Status(to)
		if sn.ID != cur.ID {
			flush()
			cur, events = sn, events[:0]
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(err, "problem snapshots")
	}
	flush()
	return out, nil
}

// Tally counts problems by where they stood on a day.
type Tally struct {
	Raised     int `json:"raised"`     // raised up to the day
	Unresolved int `json:"unresolved"` // open or in progress
	Overdue    int `json:"overdue"`    // unresolved and past the deadline
	Resolved   int `json:"resolved"`   // resolved, awaiting the raiser's confirmation
	Confirmed  int `json:"confirmed"`  // closed
}

// Add counts one problem.
func (t *Tally) Add(s Snapshot) {
	t.Raised++
	switch {
	case s.Status.Unresolved():
		t.Unresolved++
		if s.Overdue {
			t.Overdue++
		}
	case s.Status == Resolved:
		t.Resolved++
	case s.Status == Confirmed:
		t.Confirmed++
	}
}

// DepartmentTally is one department's line of the table of problems by
// department.
type DepartmentTally struct {
	DepartmentID int64  `json:"department_id"`
	Name         string `json:"name"`
	NameEN       string `json:"name_en"`
	Tally
}

// Label is the department's name in lang.
func (t DepartmentTally) Label(lang i18n.Lang) string { return pick(lang, t.Name, t.NameEN) }

// ByDepartment counts snapshots by the department each was assigned to on
// the day, most overdue first; departments without problems are left out.
func (s *Store) ByDepartment(ctx context.Context, snaps []Snapshot) ([]DepartmentTally, error) {
	by := map[int64]*DepartmentTally{}
	for _, sn := range snaps {
		t := by[sn.DepartmentID]
		if t == nil {
			t = &DepartmentTally{DepartmentID: sn.DepartmentID}
			by[sn.DepartmentID] = t
		}
		t.Add(sn)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name_zh, name_en FROM departments`)
	if err != nil {
		return nil, errs.Wrap(err, "department names")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var zh, en string
		if err := rows.Scan(&id, &zh, &en); err != nil {
			return nil, errs.Wrap(err, "department names scan")
		}
		if t := by[id]; t != nil {
			t.Name, t.NameEN = zh, en
		}
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(err, "department names")
	}
	out := make([]DepartmentTally, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	SortTallies(out, func(t DepartmentTally) (Tally, string) { return t.Tally, t.Name })
	return out, nil
}

// SortTallies orders table lines most overdue first, then most unresolved,
// then by name.
func SortTallies[T any](list []T, key func(T) (Tally, string)) {
	sort.SliceStable(list, func(i, j int) bool {
		a, an := key(list[i])
		b, bn := key(list[j])
		if a.Overdue != b.Overdue {
			return a.Overdue > b.Overdue
		}
		if a.Unresolved != b.Unresolved {
			return a.Unresolved > b.Unresolved
		}
		return an < bn
	})
}

// Total adds the snapshots up.
func Total(snaps []Snapshot) Tally {
	var t Tally
	for _, s := range snaps {
		t.Add(s)
	}
	return t
}

// Stats counts the problems p may see as they stood at the end of day d (of
// one source module, or all when source is ""), in total and by department.
func (s *Store) Stats(ctx context.Context, p *auth.Principal, d storage.Date, source string) (Stats, error) {
	snaps, err := s.Snapshots(ctx, p, d, source)
	if err != nil {
		return Stats{}, err
	}
	by, err := s.ByDepartment(ctx, snaps)
	if err != nil {
		return Stats{}, err
	}
	return Stats{Date: d.String(), Source: source, Total: Total(snaps), ByDepartment: by}, nil
}
