package audit

import (
	"context"
	"database/sql"
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

// Store reads the audit log within the caller's scope.
type Store struct{ DB *storage.DB }

// List returns entries newest first. An auditor at county level sees every
// entry; one scoped to a township sees the entries about its territory only
// (entries with no territory, such as account changes, are county-level).
func (s Store) List(ctx context.Context, p *auth.Principal, f Filter) ([]Entry, error) {
	if !p.Can(auth.PermAuditRead) {
		return nil, errs.Forbid()
	}
	var args storage.Args
	where := []string{s.scopeSQL(p, &args)}
	where = appendFilter(where, &args, f)
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := `SELECT id, at, COALESCE(actor_id, 0), actor, action, entity, entity_id, COALESCE(division_id, 0),
		before_json, after_json, remote_addr FROM audit_log WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY id DESC LIMIT ` + args.Add(f.Limit)
	return s.query(ctx, q, args)
}

// Each streams every matching entry (for Excel export) without a limit.
func (s Store) Each(ctx context.Context, p *auth.Principal, f Filter, fn func(Entry) error) error {
	if !p.Can(auth.PermAuditRead) {
		return errs.Forbid()
	}
	var args storage.Args
	where := appendFilter([]string{s.scopeSQL(p, &args)}, &args, f)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor, action, entity, entity_id,
		COALESCE(division_id, 0), before_json, after_json, remote_addr FROM audit_log WHERE `+
		strings.Join(where, " AND ")+` ORDER BY id DESC`, args...)
	if err != nil {
		return errs.Wrap(err, "audit each")
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s Store) scopeSQL(p *auth.Principal, args *storage.Args) string {
	scope := p.Scope(auth.PermAuditRead)
	county := false
	for _, path := range scope.Paths {
		if strings.Count(path, "/") == 2 { // '/1/': the root
			county = true
		}
	}
	if county {
		return "1=1"
	}
	return scope.SQL("division_id", args)
}

func appendFilter(where []string, args *storage.Args, f Filter) []string {
	if f.Actor != "" {
		where = append(where, "actor = "+args.Add(f.Actor))
	}
	if f.Action != "" {
		where = append(where, "action = "+args.Add(f.Action))
	}
	if f.Entity != "" {
		where = append(where, "entity = "+args.Add(f.Entity))
	}
	if f.EntityID != "" {
		where = append(where, "entity_id = "+args.Add(f.EntityID))
	}
	if !f.From.IsZero() {
		where = append(where, "at >= "+args.Add(f.From.UTC()))
	}
	if !f.To.IsZero() {
		where = append(where, "at < "+args.Add(f.To.UTC()))
	}
	if f.BeforeID > 0 {
		where = append(where, "id < "+args.Add(f.BeforeID))
	}
	return where
}

func (s Store) query(ctx context.Context, q string, args storage.Args) ([]Entry, error) {
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, errs.Wrap(err, "audit list")
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scan(rows *sql.Rows) (Entry, error) {
	var e Entry
	err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.Entity, &e.EntityID,
		&e.DivisionID, &e.Before, &e.After, &e.RemoteAddr)
	return e, err
}
