package screening

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Page is one page of a list, newest first, with the cursor of the next.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next_cursor,omitempty"`
}

// limitOf bounds a page size.
func limitOf(n int) int {
	if n <= 0 || n > 500 {
		return 50
	}
	return n
}

// scope is the caller's scope for perm, narrowed to one division for a
// drill-down; a division outside it is NotFound.
func (s *Store) scope(ctx context.Context, p *auth.Principal, perm auth.Perm, divisionID int64) (auth.Scope, error) {
	sc := p.Scope(perm)
	if divisionID == 0 {
		return sc, nil
	}
	var path string
	if err := s.DB.R.QueryRowContext(ctx, `SELECT path FROM org_nodes WHERE id = $1`, divisionID).Scan(&path); err != nil {
		return sc, errs.NotFoundf()
	}
	if sc = sc.Narrow(path); sc.Empty() {
		return sc, errs.NotFoundf()
	}
	return sc, nil
}

// cursorOf and afterCursor page by id, newest first.
func cursorOf(id int64) string { return base64.RawURLEncoding.EncodeToString([]byte("s" + itoa(id))) }

func afterCursor(c string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || b[0] != 's' {
		return 0, errs.Field("cursor", "errs.bad_cursor")
	}
	id, err := strconv.ParseInt(string(b[1:]), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field("cursor", "errs.bad_cursor")
	}
	return id, nil
}

// PersonFilter narrows the register. Zero fields are ignored.
type PersonFilter struct {
	DivisionID int64  // a township or village: its subtree
	Tag        Tag    // carries this tag
	Q          string // an ID number or phone (exact), else the start of a name
	Source     Source
	Cursor     string
	Limit      int
}

// List returns live records of the register in the caller's scope, newest
// first, personal data masked.
func (s *Store) List(ctx context.Context, p *auth.Principal, f PersonFilter) (Page[Person], error) {
	var args storage.Args
	sc, err := s.scope(ctx, p, PermRead, f.DivisionID)
	if err != nil {
		return Page[Person]{}, err
	}
	where := []string{"p.merged_into IS NULL", sc.SQL("p.division_id", &args)}
	if f.Tag != "" {
		where = append(where, "p.tags LIKE "+args.Add("%,"+string(f.Tag)+",%"))
	}
	if f.Source != "" {
		where = append(where, "p.source = "+args.Add(string(f.Source)))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where = append(where, searchWhere(q, &args))
	}
	if f.Cursor != "" {
		id, err := afterCursor(f.Cursor)
		if err != nil {
			return Page[Person]{}, err
		}
		where = append(where, "p.id < "+args.Add(id))
	}
	limit := limitOf(f.Limit)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+personCols+`,
		(SELECT MAX(t.arrived_on) FROM person_travels t WHERE t.person_id = p.id)
		FROM persons p JOIN org_nodes n ON n.id = p.division_id WHERE `+strings.Join(where, " AND ")+
		` ORDER BY p.id DESC LIMIT `+args.Add(limit+1), args...)
	if err != nil {
		return Page[Person]{}, errs.Wrap(err, "person list")
	}
	defer rows.Close()
	var pg Page[Person]
	for rows.Next() {
		var arrived storage.Date
		pr, err := scanPerson(rows, &arrived)
		if err != nil {
			return pg, errs.Wrap(err, "person scan")
		}
		pr.LastArrival = arrived
		pg.Items = append(pg.Items, pr.Masked())
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		pg.Next = cursorOf(pg.Items[limit-1].ID)
	}
	return pg, rows.Err()
}

// searchWhere finds a person by ID number or phone exactly (a search never
// reveals more than the masked list shows), else by the start of a name.
func searchWhere(q string, args *storage.Args) string {
	digits := strings.TrimRight(q, "xX")
	allDigits := digits != "" && strings.Trim(digits, "0123456789") == ""
	switch {
	case allDigits && (len(q) == 18 || len(q) == 15):
		return "p.id_number = " + args.Add(normalizeIDNumber(q))
	case allDigits && len(q) == 11:
		return "p.phone = " + args.Add(q)
	}
	esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q)
	return "p.name LIKE " + args.Add(esc+"%") + ` ESCAPE '\'`
}

// ObsState picks observations by where they stand on the filter's day.
type ObsState string

// The states a list or a dashboard figure drills down to.
const (
	StateActive      ObsState = "active"      // under observation on the day
	StateNew         ObsState = "new"         // started on the day
	StateReleased    ObsState = "released"    // released on the day
	StateTransferred ObsState = "transferred" // transferred on the day
	StateReleaseDue  ObsState = "release_due" // in progress, planned end on or before the day
	StateEnded       ObsState = "ended"       // released or transferred on or before the day
)

// ObsStates lists the states in display order.
var ObsStates = []ObsState{StateActive, StateNew, StateReleased, StateTransferred, StateReleaseDue, StateEnded}

// Valid reports whether st is a known state.
func (st ObsState) Valid() bool {
	return slices.Contains(ObsStates, st)
}

// ObsFilter narrows the observation list.
type ObsFilter struct {
	DivisionID int64
	Date       storage.Date // the day State is judged on (required with State)
	State      ObsState
	Kind       Kind
	Cursor     string
	Limit      int
}

// stateWhere is the SQL of a state on day d.
func stateWhere(st ObsState, d storage.Date, args *storage.Args) string {
	day := args.Add(d)
	switch st {
	case StateActive:
		return "o.start_date <= " + day + " AND (o.end_date IS NULL OR o.end_date > " + day + ")"
	case StateNew:
		return "o.start_date = " + day
	case StateReleased:
		return "o.status = 'released' AND o.end_date = " + day
	case StateTransferred:
		return "o.status = 'transferred' AND o.end_date = " + day
	case StateReleaseDue:
		return "o.start_date <= " + day + " AND (o.end_date IS NULL OR o.end_date > " + day + ") AND o.planned_end <= " + day
	case StateEnded:
		return "o.end_date <= " + day
	}
	return "1=1"
}

// Observations lists observations in the caller's scope, newest first.
func (s *Store) Observations(ctx context.Context, p *auth.Principal, f ObsFilter) (Page[Observation], error) {
	var args storage.Args
	sc, err := s.scope(ctx, p, PermRead, f.DivisionID)
	if err != nil {
		return Page[Observation]{}, err
	}
	where := []string{sc.SQL("o.division_id", &args)}
	if f.State != "" {
		where = append(where, stateWhere(f.State, f.Date, &args))
	}
	if f.Kind != "" {
		where = append(where, "o.kind = "+args.Add(string(f.Kind)))
	}
	if f.Cursor != "" {
		id, err := afterCursor(f.Cursor)
		if err != nil {
			return Page[Observation]{}, err
		}
		where = append(where, "o.id < "+args.Add(id))
	}
	limit := limitOf(f.Limit)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+obsCols+obsFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY o.id DESC LIMIT `+args.Add(limit+1), args...)
	if err != nil {
		return Page[Observation]{}, errs.Wrap(err, "observation list")
	}
	defer rows.Close()
	var pg Page[Observation]
	for rows.Next() {
		o, err := scanObservation(rows)
		if err != nil {
			return pg, errs.Wrap(err, "observation scan")
		}
		pg.Items = append(pg.Items, o.Masked())
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		pg.Next = cursorOf(pg.Items[limit-1].ID)
	}
	return pg, rows.Err()
}

// AlertState picks alerts by where they stand on the filter's day.
type AlertState string

// The alert states.
const (
	AlertsOpen   AlertState = "open"   // opened on or before the day, no result before it
	AlertsOpened AlertState = "opened" // opened on the day
	AlertsClosed AlertState = "closed" // result on or before the day
)

// AlertFilter narrows the alert list.
type AlertFilter struct {
	DivisionID int64
	Date       storage.Date
	State      AlertState
	Cursor     string
	Limit      int
}

// Alerts lists alerts in the caller's scope, newest first.
func (s *Store) Alerts(ctx context.Context, p *auth.Principal, f AlertFilter) (Page[Alert], error) {
	var args storage.Args
	sc, err := s.scope(ctx, p, PermRead, f.DivisionID)
	if err != nil {
		return Page[Alert]{}, err
	}
	where := []string{sc.SQL("a.division_id", &args)}
	switch f.State {
	case AlertsOpen:
		d := args.Add(f.Date)
		where = append(where, "a.opened_on <= "+d+" AND (a.closed_on IS NULL OR a.closed_on > "+d+")")
	case AlertsOpened:
		where = append(where, "a.opened_on = "+args.Add(f.Date))
	case AlertsClosed:
		where = append(where, "a.closed_on <= "+args.Add(f.Date))
	}
	if f.Cursor != "" {
		id, err := afterCursor(f.Cursor)
		if err != nil {
			return Page[Alert]{}, err
		}
		where = append(where, "a.id < "+args.Add(id))
	}
	limit := limitOf(f.Limit)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+alertCols+alertFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY a.id DESC LIMIT `+args.Add(limit+1), args...)
	if err != nil {
		return Page[Alert]{}, errs.Wrap(err, "alert list")
	}
	defer rows.Close()
	var pg Page[Alert]
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return pg, errs.Wrap(err, "alert scan")
		}
		pg.Items = append(pg.Items, a.Masked())
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		pg.Next = cursorOf(pg.Items[limit-1].ID)
	}
	return pg, rows.Err()
}

// Similar lists live records in the caller's scope that may be the same
// person as pr under another ID number: same name and the same birth date or
// phone. They are offered for a merge, never merged by themselves.
func (s *Store) Similar(ctx context.Context, p *auth.Principal, pr Person) ([]Person, error) {
	var args storage.Args
	name := args.Add(pr.Name)
	cond := "p.birth_date = " + args.Add(pr.BirthDate)
	if pr.Phone != "" {
		cond = "(" + cond + " OR p.phone = " + args.Add(pr.Phone) + ")"
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+personCols+` FROM persons p JOIN org_nodes n ON n.id = p.division_id
		WHERE p.name = `+name+` AND `+cond+` AND p.id <> `+args.Add(pr.ID)+` AND p.merged_into IS NULL AND `+
		p.Scope(PermRead).SQL("p.division_id", &args)+` ORDER BY p.id LIMIT 10`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "similar persons")
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		o, err := scanPerson(rows)
		if err != nil {
			return nil, errs.Wrap(err, "similar scan")
		}
		out = append(out, o.Masked())
	}
	return out, rows.Err()
}
