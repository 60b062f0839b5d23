package liaison

import (
	"context"
	"database/sql"
	"errors"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

const assignmentCols = `a.id, a.leader_id, COALESCE(NULLIF(u.display_name, ''), u.username), a.division_id, n.name_zh, n.name_en,
	n.level, n.path, COALESCE(a.enterprise_id, 0), a.from_date, a.to_date, a.note, a.created_by, a.created_at, a.updated_at`

const assignmentFrom = ` FROM liaison_assignments a JOIN users u ON u.id = a.leader_id JOIN org_nodes n ON n.id = a.division_id`

func scanAssignment(row interface{ Scan(...any) error }) (Assignment, error) {
	var a Assignment
	err := row.Scan(&a.ID, &a.LeaderID, &a.LeaderName, &a.DivisionID, &a.DivisionName, &a.DivisionNameEN, &a.DivisionLevel,
		&a.DivisionPath, &a.EnterpriseID, &a.From, &a.To, &a.Note, &a.CreatedBy, &a.CreatedAt, &a.UpdatedAt)
	return a, err
}

// CreateAssignment puts a leader in charge of a township, village or
// enterprise for a period. A leader records their own; the command any
// leader's. The same leader cannot hold the same target twice on one day.
func (s *Store) CreateAssignment(ctx context.Context, p *auth.Principal, in AssignmentInput) (Assignment, error) {
	a, err := in.check()
	if err != nil {
		return a, err
	}
	if err := s.resolveTarget(ctx, &a.Target); err != nil {
		return a, err
	}
	if err := checkWriteScope(p, a.Target); err != nil {
		return a, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		l, err := s.writer(ctx, tx, p, a.LeaderID)
		if err != nil {
			return err
		}
		a.LeaderID, a.LeaderName = l.ID, l.Name
		if err := s.checkOverlap(ctx, tx, a); err != nil {
			return err
		}
		now := s.now()
		a.CreatedBy, a.CreatedAt, a.UpdatedAt = p.Username, now, now
		err = tx.QueryRowContext(ctx, `INSERT INTO liaison_assignments (leader_id, division_id, enterprise_id, from_date,
			to_date, note, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			a.LeaderID, a.DivisionID, nullID(a.EnterpriseID), a.From, a.To, a.Note, a.CreatedBy, now).Scan(&a.ID)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit.ActionCreate, "liaison.assignment", a.ID, a.DivisionID, nil, a)
	})
	return a, err
}

// checkOverlap refuses a second assignment of the same leader to the same
// target over a day the first already covers.
func (s *Store) checkOverlap(ctx context.Context, q storage.Querier, a Assignment) error {
	var args storage.Args
	query := `SELECT COUNT(*) FROM liaison_assignments WHERE leader_id = ` + args.Add(a.LeaderID) +
		` AND id <> ` + args.Add(a.ID) + ` AND from_date <= ` + args.Add(a.To) + ` AND to_date >= ` + args.Add(a.From)
	if a.EnterpriseID != 0 {
		query += ` AND enterprise_id = ` + args.Add(a.EnterpriseID)
	} else {
		query += ` AND enterprise_id IS NULL AND division_id = ` + args.Add(a.DivisionID)
	}
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return errs.Field("from", "liaison.assignment_overlaps")
	}
	return nil
}

// UpdateAssignment changes an assignment's period and note (ending it early,
// extending it); its leader and target stay.
func (s *Store) UpdateAssignment(ctx context.Context, p *auth.Principal, id int64, in AssignmentInput) (Assignment, error) {
	var fc errs.FieldCollector
	from, to := date(&fc, "from", in.From), date(&fc, "to", in.To)
	if !from.IsZero() && !to.IsZero() && to.Before(from.Time) {
		fc.Add("to", "liaison.to_before_from", from.String())
	}
	note := assignmentNote(&fc, in.Note)
	if err := fc.Err(); err != nil {
		return Assignment{}, err
	}
	var a Assignment
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		old, err := s.assignment(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if _, err := s.writer(ctx, tx, p, old.LeaderID); err != nil {
			return errs.Forbid()
		}
		if !p.Scope(PermWrite).Contains(old.DivisionPath) {
			return errs.Forbid()
		}
		a = old
		a.From, a.To, a.Note, a.UpdatedAt = from, to, note, s.now()
		if err := s.checkOverlap(ctx, tx, a); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE liaison_assignments SET from_date = $1, to_date = $2, note = $3, updated_at = $4 WHERE id = $5`,
			a.From, a.To, a.Note, a.UpdatedAt, id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit.ActionUpdate, "liaison.assignment", id, a.DivisionID, old, a)
	})
	if err != nil {
		return a, err
	}
	return a, s.fillEnterprises(ctx, []*Target{&a.Target})
}

// Assignment returns one assignment the reader may see.
func (s *Store) Assignment(ctx context.Context, p *auth.Principal, id int64) (Assignment, error) {
	a, err := s.assignment(ctx, s.DB.R, p, id)
	if err != nil {
		return a, err
	}
	return a, s.fillEnterprises(ctx, []*Target{&a.Target})
}

func (s *Store) assignment(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Assignment, error) {
	var args storage.Args
	a, err := scanAssignment(q.QueryRowContext(ctx, `SELECT `+assignmentCols+assignmentFrom+` WHERE a.id = `+args.Add(id)+
		` AND `+readable(p, "a", &args), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return a, errs.NotFoundf()
	}
	return a, errs.Wrap(err, "assignment")
}

// Assignments lists the assignments the reader may see — of one leader when
// leaderID is set — the latest period first. On marks those running on day on.
func (s *Store) Assignments(ctx context.Context, p *auth.Principal, leaderID int64, on storage.Date) ([]Assignment, error) {
	var args storage.Args
	where := readable(p, "a", &args)
	if leaderID != 0 {
		where += ` AND a.leader_id = ` + args.Add(leaderID)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+assignmentCols+assignmentFrom+` WHERE `+where+
		` ORDER BY a.from_date DESC, a.enterprise_id IS NOT NULL, n.code, a.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "assignments")
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			return nil, errs.Wrap(err, "assignment scan")
		}
		a.Current = a.Covers(on)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(err, "assignments")
	}
	ts := make([]*Target, len(out))
	for i := range out {
		ts[i] = &out[i].Target
	}
	return out, s.fillEnterprises(ctx, ts)
}
