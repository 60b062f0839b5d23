package org

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

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
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SaveDepartment creates or updates a department; county-level org.write only.
func (s *Store) SaveDepartment(ctx context.Context, p *auth.Principal, d Department) (Department, error) {
	if p != nil && !s.countyWriter(ctx, p) {
		return d, errs.Forbid()
	}
	var fc errs.FieldCollector
	d.Code, d.NameZH, d.NameEN = strings.TrimSpace(d.Code), strings.TrimSpace(d.NameZH), strings.TrimSpace(d.NameEN)
	if d.Code == "" {
		fc.Add("code", "errs.required")
	}
	if d.NameZH == "" {
		fc.Add("name_zh", "errs.required")
	}
	if err := fc.Err(); err != nil {
		return d, err
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		now := time.Now().UTC()
		var err error
		if d.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO departments (code, name_zh, name_en, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
				d.Code, d.NameZH, d.NameEN, now).Scan(&d.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE departments SET code = $1, name_zh = $2, name_en = $3, updated_at = $4 WHERE id = $5`,
				d.Code, d.NameZH, d.NameEN, now, d.ID)
		}
		if err != nil {
			if storage.IsUniqueViolation(err) {
				return errs.Field("code", "org.code_taken")
			}
			return err
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "department", strconv.FormatInt(d.ID, 10), 0, nil, d)
	})
	return d, err
}

func (s *Store) countyWriter(ctx context.Context, p *auth.Principal) bool {
	root, err := s.Root(ctx)
	if err != nil {
		return false
	}
	return p.Scope(auth.PermOrgWrite).Contains(root.Path)
}
