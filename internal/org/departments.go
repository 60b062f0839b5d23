package org

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Departments lists every department (the list is public to signed-in users).
func (s *Store) Departments(ctx context.Context) ([]Department, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, code, name_zh, name_en FROM departments ORDER BY code`)
	if err != nil {
		return nil, errs.Wrap(err, "departments")
	}
	defer rows.Close()
	var out []Department
	for rows.Next() {
		var d Department
		if err := rows.Scan(&d.ID, &d.Code, &d.NameZH, &d.NameEN); err != nil {
			return nil, errs.Wrap(err, "departments scan")
		}
		out = append(out, d)
	}
	return out, errs.Wrap(rows.Err(), "departments rows")
}

// Department returns one department by id.
func (s *Store) Department(ctx context.Context, id int64) (Department, error) {
	return departmentByID(ctx, s.DB.R, id)
}

func departmentByID(ctx context.Context, q storage.Querier, id int64) (Department, error) {
	var d Department
	err := q.QueryRowContext(ctx, `SELECT id, code, name_zh, name_en FROM departments WHERE id = $1`, id).
		Scan(&d.ID, &d.Code, &d.NameZH, &d.NameEN)
	if errors.Is(err, sql.ErrNoRows) {
		return d, errs.NotFoundf()
	}
	return d, errs.Wrap(err, "department")
}

// SaveDepartment creates (ID 0) or updates a department. Departments serve the
// whole county, so only a user with org.write over the county root (or the
// system, p nil) may change them.
func (s *Store) SaveDepartment(ctx context.Context, p *auth.Principal, d Department) (Department, error) {
	if !s.CountyWriter(ctx, p) {
		return d, errs.Forbid()
	}
	if err := checkDepartment(&d); err != nil {
		return d, err
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if d.ID == 0 {
			return insertDepartment(ctx, tx, &d)
		}
		return updateDepartment(ctx, tx, d)
	})
	if err != nil {
		return d, errs.Wrap(err, "department save")
	}
	return d, nil
}

func insertDepartment(ctx context.Context, tx *sql.Tx, d *Department) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO departments (code, name_zh, name_en, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
		d.Code, d.NameZH, d.NameEN, now()).Scan(&d.ID)
	if storage.IsUniqueViolation(err) {
		return errs.Field("code", "org.code_taken")
	}
	if err != nil {
		return err
	}
	return audit.Write(ctx, tx, audit.ActionCreate, "department", strconv.FormatInt(d.ID, 10), 0, nil, d)
}

func updateDepartment(ctx context.Context, tx *sql.Tx, d Department) error {
	old, err := departmentByID(ctx, tx, d.ID)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE departments SET code = $1, name_zh = $2, name_en = $3, updated_at = $4 WHERE id = $5`,
		d.Code, d.NameZH, d.NameEN, now(), d.ID)
	if storage.IsUniqueViolation(err) {
		return errs.Field("code", "org.code_taken")
	}
	if err != nil {
		return err
	}
	return audit.Write(ctx, tx, audit.ActionUpdate, "department", strconv.FormatInt(d.ID, 10), 0, old, d)
}

// CountyWriter reports whether p holds org.write over the county root: the
// right to change what serves the whole county (departments, new townships).
func (s *Store) CountyWriter(ctx context.Context, p *auth.Principal) bool {
	root, err := s.Root(ctx)
	if err != nil {
		return false
	}
	return p.Scope(auth.PermOrgWrite).Contains(root.Path)
}
