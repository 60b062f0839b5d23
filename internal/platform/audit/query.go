package audit

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Filter narrows an audit search. Zero fields are ignored.
type Filter struct {
	Actor    string
	Action   string
	Entity   string
	EntityID string
	From, To time.Time // To is exclusive
	BeforeID int64     // cursor: entries with smaller ids
	Limit    int
}

// Page sizes of List and Page.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Page is one page of the log, newest first. NextBeforeID is the BeforeID
// of the following page, 0 on the last page.
type Page struct {
	Items        []Entry
	NextBeforeID int64
}

// Store reads the audit log within the caller's scope.
//
// It has no Update or Delete, and nothing else in the code base may issue one
// against audit_log (TestNothingRewritesTheLog scans the sources for it). The
// guard is in the code and in the database role rather than in the schema: a
// trigger needs a different body on SQLite and PostgreSQL (migrations are one
// SQL text for both), and on Citus triggers on distributed tables are off by
// default (citus.enable_unsafe_triggers), so it would not travel to the
// province deployment. There the application role is granted only SELECT and
// INSERT on audit_log (GRANT SELECT, INSERT ON audit_log TO fangkong_app), so
// even a compromised replica cannot rewrite history.
type Store struct{ DB *storage.DB }

// entryCols is the select list scan reads; n is the entry's division, if any.
const entryCols = `a.id, a.at, COALESCE(a.actor_id, 0), a.actor, a.action, a.entity, a.entity_id,
	COALESCE(a.division_id, 0), COALESCE(n.name_zh, ''), COALESCE(n.name_en, ''), a.before_json, a.after_json, a.remote_addr`

const entryFrom = ` FROM audit_log a LEFT JOIN org_nodes n ON n.id = a.division_id WHERE `

// List returns entries newest first. An auditor at county level sees every
// entry; one scoped to a township sees the entries about its territory only
// (entries with no territory, such as account changes, are county-level).
func (s Store) List(ctx context.Context, p *auth.Principal, f Filter) ([]Entry, error) {
	pg, err := s.Page(ctx, p, f)
	return pg.Items, err
}

// Page is List with the cursor of the next page: it reads one entry more
// than the limit to know whether another page follows.
func (s Store) Page(ctx context.Context, p *auth.Principal, f Filter) (Page, error) {
	if !p.Can(auth.PermAuditRead) {
		return Page{}, errs.Forbid()
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = DefaultLimit
	}
	var args storage.Args
	where := appendFilter([]string{scopeSQL(p, &args)}, &args, f)
	q := `SELECT ` + entryCols + entryFrom + strings.Join(where, " AND ") +
		` ORDER BY a.id DESC LIMIT ` + args.Add(limit+1)
	pg := Page{Items: []Entry{}}
	err := s.each(ctx, q, args, func(e Entry) error {
		pg.Items = append(pg.Items, e)
		return nil
	})
	if err != nil {
		return Page{}, err
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		pg.NextBeforeID = pg.Items[limit-1].ID
	}
	return pg, nil
}

// Get returns one entry; NotFound when it lies outside the caller's scope.
func (s Store) Get(ctx context.Context, p *auth.Principal, id int64) (Entry, error) {
	if !p.Can(auth.PermAuditRead) {
		return Entry{}, errs.Forbid()
	}
	var args storage.Args
	q := `SELECT ` + entryCols + entryFrom + `a.id = ` + args.Add(id) + ` AND ` + scopeSQL(p, &args)
	e, err := scan(s.DB.R.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Entry{}, errs.NotFoundf()
	}
	return e, errs.Wrap(err, "audit get")
}

// Each streams every matching entry (for Excel export) without a limit;
// BeforeID and Limit are ignored.
func (s Store) Each(ctx context.Context, p *auth.Principal, f Filter, fn func(Entry) error) error {
	if !p.Can(auth.PermAuditRead) {
		return errs.Forbid()
	}
	f.BeforeID = 0
	var args storage.Args
	where := appendFilter([]string{scopeSQL(p, &args)}, &args, f)
	q := `SELECT ` + entryCols + entryFrom + strings.Join(where, " AND ") + ` ORDER BY a.id DESC`
	return s.each(ctx, q, args, fn)
}

// CountyWide reports whether p reads the whole log: a grant with audit.read
// on the root of the tree (a path with one id, '/1/'; the system principal's
// '/' too). Such a grant also covers the entries that belong to no division
// (sign-ins, accounts, settings); any other grant covers the entries of its
// subtree only.
func CountyWide(p *auth.Principal) bool {
	for _, path := range p.Scope(auth.PermAuditRead).Paths {
		if strings.Count(path, "/") <= 2 {
			return true
		}
	}
	return false
}

// scopeSQL limits entries to the caller's audit.read scope.
func scopeSQL(p *auth.Principal, args *storage.Args) string {
	if CountyWide(p) {
		return "1=1"
	}
	return p.Scope(auth.PermAuditRead).SQL("a.division_id", args)
}

func appendFilter(where []string, args *storage.Args, f Filter) []string {
	for _, c := range []struct{ col, v string }{
		{"a.actor", f.Actor}, {"a.action", f.Action}, {"a.entity", f.Entity}, {"a.entity_id", f.EntityID},
	} {
		if c.v != "" {
			where = append(where, c.col+" = "+args.Add(c.v))
		}
	}
	if !f.From.IsZero() {
		where = append(where, "a.at >= "+args.Add(f.From.UTC()))
	}
	if !f.To.IsZero() {
		where = append(where, "a.at < "+args.Add(f.To.UTC()))
	}
	if f.BeforeID > 0 {
		where = append(where, "a.id < "+args.Add(f.BeforeID))
	}
	return where
}

func (s Store) each(ctx context.Context, q string, args storage.Args, fn func(Entry) error) error {
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return errs.Wrap(err, "audit list")
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return errs.Wrap(err, "audit scan")
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return errs.Wrap(rows.Err(), "audit list")
}

func scan(row interface{ Scan(...any) error }) (Entry, error) {
	var e Entry
	err := row.Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.Entity, &e.EntityID,
		&e.DivisionID, &e.DivisionName, &e.DivisionNameEN, &e.Before, &e.After, &e.RemoteAddr)
	e.At = e.At.UTC()
	return e, err
}
