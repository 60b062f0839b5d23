package org

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Store reads and writes the tree, always within the caller's scope.
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

// List returns the nodes the caller may see — the subtrees of their grants —
// in tree order (by code, which nests: 130528 < 130528100 < 130528100201).
func (s *Store) List(ctx context.Context, p *auth.Principal) ([]Node, error) {
	scope := p.Scope(auth.PermOrgRead)
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+nodeCols+` FROM org_nodes WHERE `+scope.SQL("id", &args)+` ORDER BY code`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "org list")
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
	return out, rows.Err()
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
	n, err := scanNode(s.DB.R.QueryRowContext(ctx, `SELECT `+nodeCols+` FROM org_nodes WHERE code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Node{}, errs.NotFoundf()
	}
	return n, errs.Wrap(err, "org by code")
}

// ByID returns a node unscoped (internal use: joins, names).
func (s *Store) ByID(ctx context.Context, id int64) (Node, error) {
	n, err := scanNode(s.DB.R.QueryRowContext(ctx, `SELECT `+nodeCols+` FROM org_nodes WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Node{}, errs.NotFoundf()
	}
	return n, errs.Wrap(err, "org by id")
}

// Children returns the direct children of a node within scope.
func (s *Store) Children(ctx context.Context, p *auth.Principal, parentID int64) ([]Node, error) {
	var args storage.Args
	q := `SELECT ` + nodeCols + ` FROM org_nodes WHERE parent_id = ` + args.Add(parentID) + ` AND ` +
		p.Scope(auth.PermOrgRead).SQL("id", &args) + ` ORDER BY code`
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, errs.Wrap(err, "org children")
	}
	defer rows.Close()
	var out []Node
	for rows.Next() {
		n, err := scanNode(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
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
// must lie in the caller's org.write scope; the county root is created only
// when the tree is empty (by the CLI or an import at county level).
func (s *Store) Save(ctx context.Context, p *auth.Principal, n Node) (Node, error) {
	if err := validateNode(&n); err != nil {
		return n, err
	}
	var saved Node
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		saved, err = s.saveTx(ctx, tx, p, n)
		return err
	})
	return saved, err
}

func (s *Store) saveTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, n Node) (Node, error) {
	if n.ID == 0 {
		return s.insertTx(ctx, tx, p, n)
	}
	old, err := scanNode(tx.QueryRowContext(ctx, `SELECT `+nodeCols+` FROM org_nodes WHERE id = $1`, n.ID))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !p.Scope(auth.PermOrgWrite).Contains(old.Path)) {
		if err == nil && p.Scope(auth.PermOrgRead).Contains(old.Path) {
			return n, errs.Forbid()
		}
		return n, errs.NotFoundf()
	}
	if err != nil {
		return n, err
	}
	now := time.Now().UTC()
	_, err = tx.ExecContext(ctx, `UPDATE org_nodes SET code = $1, name_zh = $2, name_en = $3, kind = $4,
		population = $5, households = $6, updated_at = $7 WHERE id = $8`,
		n.Code, n.NameZH, n.NameEN, n.Kind, n.Population, n.Households, now, n.ID)
	if storage.IsUniqueViolation(err) {
		return n, errs.Field("code", "org.code_taken")
	}
	if err != nil {
		return n, err
	}
	n.ParentID, n.Level, n.Path, n.UpdatedAt = old.ParentID, old.Level, old.Path, now
	return n, audit.Write(ctx, tx, audit.ActionUpdate, "org_node", strconv.FormatInt(n.ID, 10), n.ID, old, n)
}

func (s *Store) insertTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, n Node) (Node, error) {
	parentPath := ""
	n.Level = County
	if n.ParentID != 0 {
		parent, err := scanNode(tx.QueryRowContext(ctx, `SELECT `+nodeCols+` FROM org_nodes WHERE id = $1`, n.ParentID))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !p.Scope(auth.PermOrgRead).Contains(parent.Path)) {
			return n, errs.Field("parent_id", "errs.not_found")
		}
		if err != nil {
			return n, err
		}
		if !p.Scope(auth.PermOrgWrite).Contains(parent.Path) {
			return n, errs.Forbid()
		}
		lvl, ok := childLevel[parent.Level]
		if !ok {
			return n, errs.Field("parent_id", "org.too_deep")
		}
		if !strings.HasPrefix(n.Code, parent.Code) {
			return n, errs.Field("code", "org.code_prefix", parent.Code)
		}
		n.Level, parentPath = lvl, parent.Path
	} else if err := s.rootAllowed(ctx, tx, p); err != nil {
		return n, err
	}
	return insertNode(ctx, tx, n, parentPath)
}

// rootAllowed permits a county root only in an empty tree, by the system
// (CLI, demo) or a user with county-wide org.write.
func (s *Store) rootAllowed(ctx context.Context, tx *sql.Tx, p *auth.Principal) error {
	var count int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM org_nodes`).Scan(&count); err != nil {
		return err
	}
	if count > 0 {
		return errs.Field("parent_id", "errs.required")
	}
	if p != nil && !p.Can(auth.PermOrgWrite) {
		return errs.Forbid()
	}
	return nil
}

func insertNode(ctx context.Context, tx *sql.Tx, n Node, parentPath string) (Node, error) {
	now := time.Now().UTC()
	var parent any
	if n.ParentID != 0 {
		parent = n.ParentID
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO org_nodes (parent_id, code, name_zh, name_en, level, kind, population, households, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		parent, n.Code, n.NameZH, n.NameEN, string(n.Level), n.Kind, n.Population, n.Households, now).Scan(&n.ID)
	if storage.IsUniqueViolation(err) {
		return n, errs.Field("code", "org.code_taken")
	}
	if err != nil {
		return n, err
	}
	n.Path = parentPath
	if n.Path == "" {
		n.Path = "/"
	}
	n.Path += strconv.FormatInt(n.ID, 10) + "/"
	n.UpdatedAt = now
	if _, err := tx.ExecContext(ctx, `UPDATE org_nodes SET path = $1 WHERE id = $2`, n.Path, n.ID); err != nil {
		return n, err
	}
	return n, audit.Write(ctx, tx, audit.ActionCreate, "org_node", strconv.FormatInt(n.ID, 10), n.ID, nil, n)
}

func validateNode(n *Node) error {
	var fc errs.FieldCollector
	n.Code, n.NameZH, n.NameEN = strings.TrimSpace(n.Code), strings.TrimSpace(n.NameZH), strings.TrimSpace(n.NameEN)
	if n.Code == "" {
		fc.Add("code", "errs.required")
	} else if !isDigits(n.Code) || len(n.Code) > 15 {
		fc.Add("code", "org.code_digits")
	}
	if n.NameZH == "" {
		fc.Add("name_zh", "errs.required")
	} else if len([]rune(n.NameZH)) > 60 {
		fc.Add("name_zh", "errs.too_long", 60)
	}
	if len([]rune(n.NameEN)) > 120 {
		fc.Add("name_en", "errs.too_long", 120)
	}
	if n.Population < 0 {
		fc.Add("population", "org.negative")
	}
	if n.Households < 0 {
		fc.Add("households", "org.negative")
	}
	return fc.Err()
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
