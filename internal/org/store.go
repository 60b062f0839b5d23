package org

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Store reads and writes the tree, always within the caller's scope. A nil
// principal is the system itself (the CLI, the demo loader, test fixtures):
// it writes anywhere, but reads through List, Get and Children see nothing,
// so a forgotten principal fails closed where data leaves the server.
type Store struct{ DB *storage.DB }

const nodeCols = `id, COALESCE(parent_id, 0), code, name_zh, name_en, level, kind, path, population, households, updated_at`

func scanNode(row interface{ Scan(...any) error }) (Node, error) {
	var n Node
	var level string
	err := row.Scan(&n.ID, &n.ParentID, &n.Code, &n.NameZH, &n.NameEN, &level, &n.Kind, &n.Path,
		&n.Population, &n.Households, &n.UpdatedAt)
	n.Level = Level(level)
	return n, err
}

func scanNodes(rows *sql.Rows, err error) ([]Node, error) {
	if err != nil {
		return nil, errs.Wrap(err, "org query")
	}
	defer rows.Close()
	var out []Node
	for rows.Next() {
		n, err := scanNode(rows)
		if err != nil {
			return nil, errs.Wrap(err, "org scan")
		}
		out = append(out, n)
	}
	return out, errs.Wrap(rows.Err(), "org rows")
}

// readable and writable say whether p may read or change the node at path.
// Loaders and the CLI write as auth.System, whose scope is everything; a nil
// principal may do nothing.
func readable(p *auth.Principal, path string) bool {
	return p.Scope(auth.PermOrgRead).Contains(path)
}

func writable(p *auth.Principal, path string) bool {
	return p.Scope(auth.PermOrgWrite).Contains(path)
}

// CanWrite reports whether p may edit the node n (and add children to it).
func CanWrite(p *auth.Principal, n Node) bool { return writable(p, n.Path) }

// List returns the nodes the caller may see — the subtrees of their grants —
// in tree order (by code, which nests: 130528 < 130528100 < 130528100201).
func (s *Store) List(ctx context.Context, p *auth.Principal) ([]Node, error) {
	var args storage.Args
	return scanNodes(s.DB.R.QueryContext(ctx, `SELECT `+nodeCols+` FROM org_nodes WHERE `+
		p.Scope(auth.PermOrgRead).SQL("id", &args)+` ORDER BY code`, args...))
}

// Get returns one node by id, or NotFound when it is outside the caller's scope.
func (s *Store) Get(ctx context.Context, p *auth.Principal, id int64) (Node, error) {
	var args storage.Args
	q := `SELECT ` + nodeCols + ` FROM org_nodes WHERE id = ` + args.Add(id) + ` AND ` + p.Scope(auth.PermOrgRead).SQL("id", &args)
	n, err := scanNode(s.DB.R.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Node{}, errs.NotFoundf()
	}
	return n, errs.Wrap(err, "org get")
}

// ByCode returns a node by its statistical code, unscoped: for imports, the
// demo and the CLI, which check scope themselves.
func (s *Store) ByCode(ctx context.Context, code string) (Node, error) {
	return nodeWhere(ctx, s.DB.R, "code", code)
}

// ByID returns a node unscoped (internal use: joins, names).
func (s *Store) ByID(ctx context.Context, id int64) (Node, error) {
	return nodeWhere(ctx, s.DB.R, "id", id)
}

// nodeWhere reads the one node whose unique column col equals v, unscoped.
func nodeWhere(ctx context.Context, q storage.Querier, col string, v any) (Node, error) {
	n, err := scanNode(q.QueryRowContext(ctx, `SELECT `+nodeCols+` FROM org_nodes WHERE `+col+` = $1`, v))
	if errors.Is(err, sql.ErrNoRows) {
		return Node{}, errs.NotFoundf()
	}
	return n, errs.Wrap(err, "org node")
}

// Children returns the direct children of a node within scope.
func (s *Store) Children(ctx context.Context, p *auth.Principal, parentID int64) ([]Node, error) {
	var args storage.Args
	q := `SELECT ` + nodeCols + ` FROM org_nodes WHERE parent_id = ` + args.Add(parentID) + ` AND ` +
		p.Scope(auth.PermOrgRead).SQL("id", &args) + ` ORDER BY code`
	return scanNodes(s.DB.R.QueryContext(ctx, q, args...))
}

// Ancestors returns the nodes above n that the caller may see, from the top:
// a township administrator's breadcrumb starts at their township.
func (s *Store) Ancestors(ctx context.Context, p *auth.Principal, n Node) ([]Node, error) {
	ids := pathIDs(n.Path)
	if len(ids) < 2 {
		return nil, nil
	}
	var args storage.Args
	marks := make([]string, len(ids)-1)
	for i, id := range ids[:len(ids)-1] {
		marks[i] = args.Add(id)
	}
	q := `SELECT ` + nodeCols + ` FROM org_nodes WHERE id IN (` + strings.Join(marks, ", ") + `) AND ` +
		p.Scope(auth.PermOrgRead).SQL("id", &args) + ` ORDER BY code`
	return scanNodes(s.DB.R.QueryContext(ctx, q, args...))
}

// pathIDs splits a path ('/1/4/27/') into its ids, top first.
func pathIDs(path string) []int64 {
	var out []int64
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// Root returns the county node.
func (s *Store) Root(ctx context.Context) (Node, error) {
	n, err := scanNode(s.DB.R.QueryRowContext(ctx, `SELECT `+nodeCols+` FROM org_nodes WHERE parent_id IS NULL ORDER BY id LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return Node{}, errs.NotFoundf()
	}
	return n, errs.Wrap(err, "org root")
}

// Save creates (ID 0) or updates a node. A new node goes under ParentID, which
// must lie in the caller's org.write scope (a parent outside the read scope is
// a not-found parent_id, one readable but not writable a 403); the county root
// is created only when the tree is empty. An update keeps the node's parent and
// level; when UpdatedAt is set it must match the stored one (else Conflict), so
// two editors cannot overwrite each other unseen. Changing a code rewrites the
// codes of the node's subtree, which nest in it.
func (s *Store) Save(ctx context.Context, p *auth.Principal, n Node) (Node, error) {
	var saved Node
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		saved, err = s.saveTx(ctx, tx, p, n)
		return err
	})
	if err != nil {
		return n, errs.Wrap(err, "org save")
	}
	return saved, nil
}

func (s *Store) saveTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, n Node) (Node, error) {
	if n.ID == 0 {
		return s.insertTx(ctx, tx, p, n)
	}
	return updateTx(ctx, tx, p, n)
}

// now is the stored time of a write, cut to what PostgreSQL keeps, so the
// value a write returns equals the one a later read returns.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
