package enterprise

import (
	"context"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Filter narrows the enterprise list. Zero fields are ignored.
type Filter struct {
	DivisionID int64  // a township or village: its subtree
	Industry   string // one of Industries
	AboveSize  string // "1" above-size only, "0" below-size only
	KeyProject bool
	Status     Status
	Q          string // part of the name, or the start of the credit code
	Cursor     string
	Limit      int
}

// Page is one page of the register, in registration order.
type Page struct {
	Items []Enterprise `json:"items"`
	Next  string       `json:"next_cursor,omitempty"`
}

// List returns enterprises in the caller's scope, personal data masked.
func (s *Store) List(ctx context.Context, p *auth.Principal, f Filter) (Page, error) {
	var args storage.Args
	where, err := s.listWhere(ctx, p, f, &args)
	if err != nil {
		return Page{}, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+enterpriseCols+enterpriseFrom+` WHERE `+where+
		` ORDER BY e.id LIMIT `+args.Add(limit+1), args...)
	if err != nil {
		return Page{}, errs.Wrap(err, "enterprise list")
	}
	defer rows.Close()
	pg := Page{Items: []Enterprise{}}
	today := s.today()
	for rows.Next() {
		e, err := scanEnterprise(rows, today)
		if err != nil {
			return pg, errs.Wrap(err, "enterprise scan")
		}
		pg.Items = append(pg.Items, e.Masked())
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		pg.Next = cursor.Encode(pg.Items[limit-1].ID)
	}
	return pg, errs.Wrap(rows.Err(), "enterprise rows")
}

// Each streams every enterprise of the filter (no paging) for exports;
// masked unless unmasked, in which case the caller audits the export.
func (s *Store) Each(ctx context.Context, p *auth.Principal, f Filter, unmasked bool, fn func(Enterprise) error) error {
	var args storage.Args
	f.Cursor = ""
	where, err := s.listWhere(ctx, p, f, &args)
	if err != nil {
		return err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+enterpriseCols+enterpriseFrom+` WHERE `+where+` ORDER BY e.id`, args...)
	if err != nil {
		return errs.Wrap(err, "enterprise export")
	}
	defer rows.Close()
	today := s.today()
	for rows.Next() {
		e, err := scanEnterprise(rows, today)
		if err != nil {
			return errs.Wrap(err, "enterprise scan")
		}
		if !unmasked {
			e = e.Masked()
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// suspendedSQL is true while an enterprise has an open suspension.
const suspendedSQL = `EXISTS (SELECT 1 FROM enterprise_suspensions s WHERE s.enterprise_id = e.id AND s.to_day IS NULL)`

func (s *Store) listWhere(ctx context.Context, p *auth.Principal, f Filter, args *storage.Args) (string, error) {
	where := []string{scopeSQL(p, auth.PermEnterpriseRead, args)}
	if f.DivisionID != 0 {
		var path string
		if err := s.DB.R.QueryRowContext(ctx, `SELECT path FROM org_nodes WHERE id = $1`, f.DivisionID).Scan(&path); err != nil {
			return "", errs.Field("division", "errs.not_found")
		}
		where = append(where, "e.division_id IN (SELECT id FROM org_nodes WHERE path LIKE "+args.Add(path+"%")+")")
	}
	if f.Industry != "" {
		where = append(where, "e.industry = "+args.Add(f.Industry))
	}
	switch f.AboveSize {
	case "1":
		where = append(where, "e.above_size = "+args.Add(true))
	case "0":
		where = append(where, "e.above_size = "+args.Add(false))
	}
	if f.KeyProject {
		where = append(where, "e.key_project = "+args.Add(true))
	}
	if f.Status != "" {
		where = append(where, statusSQL(f.Status, s.today(), args))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := escapeLike(q)
		where = append(where, "(e.name LIKE "+args.Add("%"+like+"%")+` ESCAPE '\' OR e.credit_code LIKE `+
			args.Add(strings.ToUpper(like)+"%")+` ESCAPE '\')`)
	}
	if f.Cursor != "" {
		id, ok := cursor.Decode(f.Cursor)
		if !ok {
			return "", errs.Field("cursor", "errs.bad_cursor")
		}
		where = append(where, "e.id > "+args.Add(id))
	}
	return strings.Join(where, " AND "), nil
}

// statusSQL is the predicate of one enterprise status as of today.
func statusSQL(st Status, today storage.Date, args *storage.Args) string {
	approved := "f.status IN ('approved', 'effective')"
	switch st {
	case NotFiled:
		return "e.current_filing_id IS NULL"
	case Scheduled:
		return approved + " AND f.resume_day > " + args.Add(today) + " AND NOT " + suspendedSQL
	case Resumed:
		return approved + " AND f.resume_day <= " + args.Add(today) + " AND NOT " + suspendedSQL
	case Suspended:
		return approved + " AND " + suspendedSQL
	}
	return "f.status = " + args.Add(string(st))
}

// escapeLike makes s match literally inside a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// cursor pages this list by id; see storage.IDCursor.
var cursor = storage.IDCursor('e')
