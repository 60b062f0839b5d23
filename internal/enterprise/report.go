package enterprise

import (
	"context"
	"database/sql"
	"errors"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// SaveReport records an enterprise's daily report for a day. A second report
// for the same day corrects the first (both versions audited). The day may
// not be in the future nor before the enterprise's current filing was first
// submitted, and on-site employees may not exceed the registered employees
// plus those returned that day.
func (s *Store) SaveReport(ctx context.Context, p *auth.Principal, enterpriseID int64, in ReportInput) (Report, bool, error) {
	var r Report
	created := false
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		e, err := s.reach(ctx, tx, p, auth.PermEnterpriseFile, enterpriseID)
		if err != nil {
			return err
		}
		var filed storage.Date
		if e.FilingID != 0 && e.Status != Refused {
			if err := tx.QueryRowContext(ctx, `SELECT first_submitted_on FROM enterprise_filings WHERE id = $1`,
				e.FilingID).Scan(&filed); err != nil {
				return err
			}
		}
		if r, err = in.check(s.today(), filed, e.Employees); err != nil {
			return err
		}
		r.EnterpriseID, r.EnterpriseName, r.CreatedBy = e.ID, e.Name, username(p)
		old, err := reportOn(ctx, tx, e.ID, r.Day)
		switch {
		case errs.CodeOf(err) == errs.NotFound:
			created = true
			err = s.insertReport(ctx, tx, &r)
		case err == nil:
			r.ID = old.ID
			err = s.updateReport(ctx, tx, &r)
		}
		if err != nil {
			return err
		}
		if created {
			return audit.Write(ctx, tx, audit.ActionCreate, "enterprise.report", itoa(r.ID), e.DivisionID, nil, r)
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "enterprise.report", itoa(r.ID), e.DivisionID, old, r)
	})
	return r, created, err
}

func (s *Store) insertReport(ctx context.Context, tx *sql.Tx, r *Report) error {
	r.UpdatedAt = s.now()
	return tx.QueryRowContext(ctx, `INSERT INTO enterprise_reports (enterprise_id, day, on_site, returned_today, from_outside,
		under_observation, fever_cases, capacity_pct, note, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
		r.EnterpriseID, r.Day, r.OnSite, r.ReturnedToday, r.FromOutside, r.UnderObservation, r.FeverCases,
		r.CapacityPct, r.Note, r.CreatedBy, r.UpdatedAt).Scan(&r.ID)
}

func (s *Store) updateReport(ctx context.Context, tx *sql.Tx, r *Report) error {
	r.UpdatedAt = s.now()
	_, err := tx.ExecContext(ctx, `UPDATE enterprise_reports SET on_site = $1, returned_today = $2, from_outside = $3,
		under_observation = $4, fever_cases = $5, capacity_pct = $6, note = $7, created_by = $8, updated_at = $9 WHERE id = $10`,
		r.OnSite, r.ReturnedToday, r.FromOutside, r.UnderObservation, r.FeverCases, r.CapacityPct, r.Note, r.CreatedBy,
		r.UpdatedAt, r.ID)
	return err
}

const reportCols = `r.id, r.enterprise_id, e.name, r.day, r.on_site, r.returned_today, r.from_outside, r.under_observation,
	r.fever_cases, r.capacity_pct, r.note, r.created_by, r.updated_at`

func scanReport(row interface{ Scan(...any) error }) (Report, error) {
	var r Report
	err := row.Scan(&r.ID, &r.EnterpriseID, &r.EnterpriseName, &r.Day, &r.OnSite, &r.ReturnedToday, &r.FromOutside,
		&r.UnderObservation, &r.FeverCases, &r.CapacityPct, &r.Note, &r.CreatedBy, &r.UpdatedAt)
	return r, err
}

func reportOn(ctx context.Context, q storage.Querier, enterpriseID int64, day storage.Date) (Report, error) {
	r, err := scanReport(q.QueryRowContext(ctx, `SELECT `+reportCols+` FROM enterprise_reports r
		JOIN enterprises e ON e.id = r.enterprise_id WHERE r.enterprise_id = $1 AND r.day = $2`, enterpriseID, day))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.NotFoundf()
	}
	return r, err
}

// Reports lists an enterprise's daily reports on or before asOf, newest first, up to limit.
func (s *Store) Reports(ctx context.Context, p *auth.Principal, enterpriseID int64, asOf storage.Date, limit int) ([]Report, error) {
	if _, err := s.get(ctx, s.DB.R, p, auth.PermEnterpriseRead, enterpriseID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 366 {
		limit = 31
	}
	return s.reports(ctx, `r.enterprise_id = $1 AND r.day <= $2 ORDER BY r.day DESC LIMIT $3`, enterpriseID, asOf, limit)
}

// DayReports lists the reports of day d over the caller's scope, by enterprise.
func (s *Store) DayReports(ctx context.Context, p *auth.Principal, d storage.Date) ([]Report, error) {
	args := storage.Args{d}
	return s.reports(ctx, `r.day = $1 AND `+scopeSQL(p, auth.PermEnterpriseRead, &args)+` ORDER BY e.id`, args...)
}

func (s *Store) reports(ctx context.Context, where string, args ...any) ([]Report, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+reportCols+` FROM enterprise_reports r
		JOIN enterprises e ON e.id = r.enterprise_id WHERE `+where, args...)
	if err != nil {
		return nil, errs.Wrap(err, "reports")
	}
	defer rows.Close()
	out := []Report{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, errs.Wrap(err, "report scan")
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
