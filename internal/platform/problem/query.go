package problem

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// visible is the SQL predicate of the problems p may see (table alias p):
// those in their node scope (leaders, the command, township and village
// cadres, auditors), those assigned to their department (department
// officers), those of their enterprise (enterprise officers), and the ones
// they raised. Without any of these it matches nothing.
func visible(p *auth.Principal, args *storage.Args) string {
	if p == nil {
		return "1=0"
	}
	var parts []string
	if sc := p.Scope(PermRead); !sc.Empty() {
		parts = append(parts, sc.SQL("p.division_id", args))
	}
	if ids := p.ScopeIDs(auth.ScopeDepartment, PermRead); len(ids) > 0 {
		parts = append(parts, "p.department_id IN ("+marks(args, ids)+")")
	}
	if ids := p.ScopeIDs(auth.ScopeEnterprise, PermRead); len(ids) > 0 {
		parts = append(parts, "p.enterprise_id IN ("+marks(args, ids)+")")
	}
	if p.UserID != 0 && p.Can(PermRead) {
		parts = append(parts, "p.raised_by = "+args.Add(p.UserID))
	}
	if len(parts) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

func marks(args *storage.Args, ids []int64) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = args.Add(id)
	}
	return strings.Join(out, ", ")
}

// Involvement is the set of problems a person answers for: those they raised,
// and those raised for the places and enterprises in their charge while they
// had it (a county leader's liaison assignments).
type Involvement struct {
	UserID  int64
	Windows []Window
}

// Window is one place or enterprise in someone's charge for a period: the
// problems raised for it (for the division's whole subtree) from From to To,
// both included.
type Window struct {
	DivisionPath string
	EnterpriseID int64
	From, To     storage.Date
}

// SQL is the predicate of the involvement on table alias p.
func (iv Involvement) SQL(args *storage.Args) string {
	var parts []string
	if iv.UserID != 0 {
		parts = append(parts, "p.raised_by = "+args.Add(iv.UserID))
	}
	for _, w := range iv.Windows {
		period := "p.raised_on >= " + args.Add(w.From) + " AND p.raised_on <= " + args.Add(w.To)
		if w.EnterpriseID != 0 {
			parts = append(parts, "(p.enterprise_id = "+args.Add(w.EnterpriseID)+" AND "+period+")")
		} else {
			parts = append(parts, "(p.division_id IN (SELECT id FROM org_nodes WHERE path LIKE "+args.Add(w.DivisionPath+"%")+") AND "+period+")")
		}
	}
	if len(parts) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// Covers is SQL in Go: whether a problem belongs to the involvement.
func (iv Involvement) Covers(s Snapshot) bool {
	if iv.UserID != 0 && s.RaisedBy == iv.UserID {
		return true
	}
	for _, w := range iv.Windows {
		if s.RaisedOn.Before(w.From.Time) || s.RaisedOn.After(w.To.Time) {
			continue
		}
		if w.EnterpriseID != 0 {
			if s.EnterpriseID == w.EnterpriseID {
				return true
			}
		} else if strings.HasPrefix(s.DivisionPath, w.DivisionPath) {
			return true
		}
	}
	return false
}

// Filter narrows a problem list. Zero fields are ignored, except AsOf: the
// day on which "overdue" is judged, for the flag and the order.
type Filter struct {
	Source       string
	SourceID     int64
	Status       Status
	Unresolved   bool // open or in progress
	Overdue      bool // unresolved and past the deadline on AsOf
	DepartmentID int64
	Involving    *Involvement
	AsOf         storage.Date
	Cursor       string
	Limit        int
}

// Page is one page of a problem list: overdue first, then those awaiting
// the raiser's confirmation, then the other open ones by deadline, then the
// closed ones.
type Page struct {
	Items []Problem `json:"items"`
	Next  string    `json:"next_cursor,omitempty"`
}

// rankSQL orders a list the way Page says; $d is AsOf.
func rankSQL(d string) string {
	return `(CASE WHEN p.status IN ('open', 'in_progress') AND p.deadline < ` + d + ` THEN 0
		WHEN p.status = 'resolved' THEN 1 WHEN p.status IN ('open', 'in_progress') THEN 2 ELSE 3 END)`
}

// rank is rankSQL in Go, for the cursor.
func rank(s Status, deadline, d storage.Date) int {
	switch {
	case OverdueAt(s, deadline, d):
		return 0
	case s == Resolved:
		return 1
	case s.Unresolved():
		return 2
	}
	return 3
}

// List returns the problems the reader may see that match f.
func (s *Store) List(ctx context.Context, p *auth.Principal, f Filter) (Page, error) {
	if f.AsOf.IsZero() {
		f.AsOf = s.Today()
	}
	var args storage.Args
	d := args.Add(f.AsOf)
	where, err := listWhere(p, f, d, &args)
	if err != nil {
		return Page{}, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	r := rankSQL(d)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+problemCols+problemFrom+` WHERE `+where+
		` ORDER BY `+r+`, p.deadline, p.id LIMIT `+args.Add(limit+1), args...)
	if err != nil {
		return Page{}, errs.Wrap(err, "problem list")
	}
	defer rows.Close()
	var pg Page
	for rows.Next() {
		pr, err := scanProblem(rows)
		if err != nil {
			return pg, errs.Wrap(err, "problem scan")
		}
		pr.Overdue = OverdueAt(pr.Status, pr.Deadline, f.AsOf)
		pg.Items = append(pg.Items, pr)
	}
	if err := rows.Err(); err != nil {
		return pg, errs.Wrap(err, "problem list")
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		last := pg.Items[limit-1]
		pg.Next = encodeCursor(rank(last.Status, last.Deadline, f.AsOf), last.Deadline, last.ID)
	}
	list := make([]*Problem, len(pg.Items))
	for i := range pg.Items {
		list[i] = &pg.Items[i]
	}
	return pg, s.fill(ctx, list)
}

func listWhere(p *auth.Principal, f Filter, d string, args *storage.Args) (string, error) {
	where := []string{visible(p, args)}
	if f.Source != "" {
		where = append(where, "p.source = "+args.Add(f.Source))
	}
	if f.SourceID != 0 {
		where = append(where, "p.source_id = "+args.Add(f.SourceID))
	}
	if f.Status != "" {
		where = append(where, "p.status = "+args.Add(string(f.Status)))
	}
	if f.Unresolved || f.Overdue {
		where = append(where, "p.status IN ('open', 'in_progress')")
	}
	if f.Overdue {
		where = append(where, "p.deadline < "+d)
	}
	if f.DepartmentID != 0 {
		where = append(where, "p.department_id = "+args.Add(f.DepartmentID))
	}
	if f.Involving != nil {
		where = append(where, f.Involving.SQL(args))
	}
	if f.Cursor != "" {
		rk, dl, id, ok := decodeCursor(f.Cursor)
		if !ok {
			return "", errs.Field("cursor", "errs.bad_cursor")
		}
		r, a, b, c := rankSQL(d), args.Add(rk), args.Add(dl), args.Add(id)
		where = append(where, fmt.Sprintf("(%s > %s OR (%s = %s AND p.deadline > %s) OR (%s = %s AND p.deadline = %s AND p.id > %s))",
			r, a, r, a, b, r, a, b, c))
	}
	return strings.Join(where, " AND "), nil
}

func encodeCursor(rank int, deadline storage.Date, id int64) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "p%d.%s.%d", rank, deadline.String(), id))
}

func decodeCursor(s string) (int, storage.Date, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != 'p' {
		return 0, storage.Date{}, 0, false
	}
	parts := strings.Split(string(b[1:]), ".")
	if len(parts) != 3 {
		return 0, storage.Date{}, 0, false
	}
	rk, err1 := strconv.Atoi(parts[0])
	dl, err2 := storage.ParseDate(parts[1])
	id, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || rk < 0 || rk > 3 || id <= 0 {
		return 0, storage.Date{}, 0, false
	}
	return rk, dl, id, true
}
