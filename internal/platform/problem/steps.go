package problem

import (
	"context"
	"database/sql"
	"strconv"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Step takes action a (start, resolve, confirm, reopen or comment) on a
// problem: NotFound when the reader cannot see it, Forbidden when their
// relation to it never allows a, Conflict when its status does not allow a
// now (someone else moved it first, say). Resolve, reopen and comment need a
// note. It returns the problem as it now stands.
func (s *Store) Step(ctx context.Context, p *auth.Principal, id int64, a Action, note string) (Problem, error) {
	if !a.Valid() || a == Assign {
		return Problem{}, errs.Field("action", "errs.bad_choice")
	}
	var fc errs.FieldCollector
	note = checkNote(&fc, a, note)
	if err := fc.Err(); err != nil {
		return Problem{}, err
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		pr, to, err := s.loadFor(ctx, tx, p, id, a)
		if err != nil {
			return err
		}
		ev := Event{Action: a, Note: note}
		if to != pr.Status {
			ev.From, ev.To = pr.Status, to
		}
		return s.apply(ctx, tx, p, pr, ev, `status = $1, resolved_on = $2, confirmed_on = $3`,
			string(to), resolvedOn(pr, to, s.Today()), confirmedOn(pr, to, s.Today()))
	})
	if err != nil {
		return Problem{}, err
	}
	return s.Get(ctx, p, id)
}

// AssignInput moves a problem to a department, with a new deadline.
type AssignInput struct {
	DepartmentID int64  `json:"department_id"`
	Deadline     string `json:"deadline"`
	Note         string `json:"note"`
}

// Assign gives a problem to another department or a new deadline (the
// raiser or the command); it goes back to open for the department to take up.
func (s *Store) Assign(ctx context.Context, p *auth.Principal, id int64, in AssignInput) (Problem, error) {
	var fc errs.FieldCollector
	if in.DepartmentID <= 0 {
		fc.Add("department_id", "errs.required")
	}
	deadline := day(&fc, "deadline", in.Deadline, s.Today(), false)
	note := checkNote(&fc, Assign, in.Note)
	if err := fc.Err(); err != nil {
		return Problem{}, err
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		pr, to, err := s.loadFor(ctx, tx, p, id, Assign)
		if err != nil {
			return err
		}
		if deadline.Before(pr.RaisedOn.Time) {
			return errs.Field("deadline", "problem.deadline_before_raised", pr.RaisedOn.String())
		}
		pr.DepartmentID = in.DepartmentID
		if err := checkDepartment(ctx, tx, &pr); err != nil {
			return err
		}
		ev := Event{Action: Assign, Note: note, DepartmentID: in.DepartmentID, Deadline: deadline}
		if to != pr.Status {
			ev.From, ev.To = pr.Status, to
		}
		return s.apply(ctx, tx, p, pr, ev, `status = $1, department_id = $2, deadline = $3`, string(to), in.DepartmentID, deadline)
	})
	if err != nil {
		return Problem{}, err
	}
	return s.Get(ctx, p, id)
}

// loadFor reads a problem for action a inside the write's transaction and
// says where a takes it.
func (s *Store) loadFor(ctx context.Context, tx *sql.Tx, p *auth.Principal, id int64, a Action) (Problem, Status, error) {
	pr, err := s.get(ctx, tx, p, id)
	if err != nil {
		return pr, "", err
	}
	if !May(a, RelationOf(p, pr)) {
		return pr, "", errs.Forbid()
	}
	to, ok := Next(pr.Status, a)
	if !ok {
		return pr, "", errs.New(errs.Conflict, "problem.wrong_status."+string(pr.Status))
	}
	return pr, to, nil
}

// apply writes one step: the problem's columns (set, with its arguments
// numbered from $1), guarded by the status read, the event and the audit entry.
func (s *Store) apply(ctx context.Context, tx *sql.Tx, p *auth.Principal, pr Problem, ev Event, set string, vals ...any) error {
	var args storage.Args
	for _, v := range vals {
		args.Add(v)
	}
	now := s.now()
	res, err := tx.ExecContext(ctx, `UPDATE problems SET `+set+`, updated_at = `+args.Add(now)+`, version = version + 1
		WHERE id = `+args.Add(pr.ID)+` AND status = `+args.Add(string(pr.Status)), args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.Conflict, "errs.conflict")
	}
	if err := s.insertEvent(ctx, tx, p, pr.ID, &ev); err != nil {
		return err
	}
	before := map[string]any{"status": pr.Status, "department_id": pr.DepartmentID, "deadline": pr.Deadline}
	after := map[string]any{"action": ev.Action, "status": pr.Status, "note": ev.Note}
	if ev.To != "" {
		after["status"] = ev.To
	}
	if ev.Action == Assign {
		after["department_id"], after["deadline"] = ev.DepartmentID, ev.Deadline
	}
	return audit.Write(ctx, tx, audit.ActionUpdate, "problem", strconv.FormatInt(pr.ID, 10), pr.DivisionID, before, after)
}

// resolvedOn is the resolution day after moving to status to: set when
// resolved, kept when confirmed, cleared when reopened.
func resolvedOn(pr Problem, to Status, today storage.Date) storage.Date {
	switch to {
	case Resolved:
		if pr.Status != Resolved {
			return today
		}
		return pr.ResolvedOn
	case Confirmed:
		return pr.ResolvedOn
	}
	return storage.Date{}
}

func confirmedOn(pr Problem, to Status, today storage.Date) storage.Date {
	if to == Confirmed {
		if pr.Status == Confirmed {
			return pr.ConfirmedOn
		}
		return today
	}
	return storage.Date{}
}
