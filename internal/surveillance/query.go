package surveillance

import (
	"context"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Filter narrows the case list. Zero fields are ignored.
type Filter struct {
	Status     Status
	DivisionID int64  // a township or village: its subtree (drill-down)
	IDNumber   string // exact match: find one person's case
	Cursor     string // from the previous page's Next
	Limit      int
}

// Page is one page of a list, newest first.
type Page struct {
	Items []Case `json:"items"`
	Next  string `json:"next_cursor,omitempty"`
}

// List returns cases in the caller's scope, personal data masked.
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
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+caseCols+` FROM cases c JOIN org_nodes n ON n.id = c.division_id
		WHERE `+where+` ORDER BY c.id DESC LIMIT `+args.Add(limit+1), args...)
	if err != nil {
		return Page{}, errs.Wrap(err, "case list")
	}
	defer rows.Close()
	var pg Page
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return pg, errs.Wrap(err, "case scan")
		}
		pg.Items = append(pg.Items, c.Masked())
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		pg.Next = cursor.Encode(pg.Items[limit-1].ID)
	}
	return pg, rows.Err()
}

// Each streams every case of the filter (no paging) for exports; masked unless
// the caller holds pii.export, in which case the caller must audit the export.
func (s *Store) Each(ctx context.Context, p *auth.Principal, f Filter, unmasked bool, fn func(Case) error) error {
	var args storage.Args
	f.Cursor = ""
	where, err := s.listWhere(ctx, p, f, &args)
	if err != nil {
		return err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+caseCols+` FROM cases c JOIN org_nodes n ON n.id = c.division_id
		WHERE `+where+` ORDER BY c.id DESC`, args...)
	if err != nil {
		return errs.Wrap(err, "case export")
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return err
		}
		if !unmasked {
			c = c.Masked()
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *Store) listWhere(ctx context.Context, p *auth.Principal, f Filter, args *storage.Args) (string, error) {
	scope, err := s.scopeFor(ctx, p, f.DivisionID)
	if err != nil {
		return "", err
	}
	where := []string{scope.SQL("c.division_id", args)}
	if f.Status != "" {
		where = append(where, "c.status = "+args.Add(string(f.Status)))
	}
	if f.IDNumber != "" {
		where = append(where, "c.id_number = "+args.Add(strings.ToUpper(strings.TrimSpace(f.IDNumber))))
	}
	if f.Cursor != "" {
		id, ok := cursor.Decode(f.Cursor)
		if !ok {
			return "", errs.Field("cursor", "errs.bad_cursor")
		}
		where = append(where, "c.id < "+args.Add(id))
	}
	return strings.Join(where, " AND "), nil
}

// scopeFor is the caller's case.read scope, narrowed to one division when a
// drill-down asks for it; a division outside the scope is NotFound.
func (s *Store) scopeFor(ctx context.Context, p *auth.Principal, divisionID int64) (auth.Scope, error) {
	scope := p.Scope(auth.PermCaseRead)
	if divisionID == 0 {
		return scope, nil
	}
	path, err := divisionPath(ctx, s.DB.R, divisionID)
	if err != nil {
		return scope, errs.NotFoundf()
	}
	narrowed := scope.Narrow(path)
	if narrowed.Empty() {
		return narrowed, errs.NotFoundf()
	}
	return narrowed, nil
}

// cursor pages this list by id; see storage.IDCursor.
var cursor = storage.IDCursor('c')
