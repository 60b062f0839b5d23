package checkpoint

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// RosterShift is one shift with its people and its issues.
type RosterShift struct {
	Shift
	People []Assignment `json:"people"`
	Issues []Issue      `json:"issues"`
}

// Short reports whether the shift is understaffed.
func (r RosterShift) Short() bool { return len(r.People) < r.MinStaff }

// Roster is a checkpoint's roster for a range of days, with every gap and
// rule break found in it. Phones are masked.
type Roster struct {
	Checkpoint Checkpoint    `json:"checkpoint"`
	Pattern    Pattern       `json:"pattern"`
	From       storage.Date  `json:"from"`
	To         storage.Date  `json:"to"`
	Shifts     []RosterShift `json:"shifts"`
	Gaps       int           `json:"gaps"`
	Breaks     int           `json:"breaks"`
}

// Roster reads a checkpoint's roster for from..to in the caller's scope.
func (s *Store) Roster(ctx context.Context, p *auth.Principal, cp int64, from, to storage.Date) (Roster, error) {
	r := Roster{From: from, To: to, Shifts: []RosterShift{}}
	if err := checkRange(from, to); err != nil {
		return r, err
	}
	c, err := s.Get(ctx, p, cp)
	if err != nil {
		return r, err
	}
	r.Checkpoint = c
	if r.Pattern, err = s.pattern(ctx, s.DB.R, cp); err != nil {
		return r, err
	}
	a, b := s.dayBounds(from, to)
	shifts, err := shiftsIn(ctx, s.DB.R, cp, a, b)
	if err != nil {
		return r, err
	}
	people, err := assignmentsOf(ctx, s.DB.R, cp, a, b)
	if err != nil {
		return r, err
	}
	var ids []int64
	seen := map[int64]bool{}
	unavailable := map[int64]bool{}
	for _, as := range people {
		for _, x := range as {
			if !seen[x.PersonID] {
				seen[x.PersonID] = true
				ids = append(ids, x.PersonID)
			}
		}
	}
	for id, av := range availability(people) {
		unavailable[id] = !av
	}
	duties, err := dutiesOf(ctx, s.DB.R, ids, a.Add(-margin), b.Add(margin))
	if err != nil {
		return r, err
	}
	issues := Check(CheckInput{Shifts: shifts, Duties: duties, Unavailable: unavailable, Now: s.Now(), Rules: s.RosterRules(ctx)})
	for _, sh := range shifts {
		rs := RosterShift{Shift: sh, People: people[sh.ID], Issues: []Issue{}}
		if rs.People == nil {
			rs.People = []Assignment{}
		}
		for _, is := range issues {
			if is.Start.Equal(sh.Start) && is.CheckpointID == cp {
				rs.Issues = append(rs.Issues, is)
				if is.Kind == IssueGap {
					r.Gaps++
				} else {
					r.Breaks++
				}
			}
		}
		r.Shifts = append(r.Shifts, rs)
	}
	return r, nil
}

// availability is whether each rostered person is available.
func availability(m map[int64][]Assignment) map[int64]bool {
	out := map[int64]bool{}
	for _, as := range m {
		for _, a := range as {
			out[a.PersonID] = a.available
		}
	}
	return out
}

// assignmentsOf reads the people on a checkpoint's shifts in [from, to), by shift.
func assignmentsOf(ctx context.Context, q storage.Querier, cp int64, from, to time.Time) (map[int64][]Assignment, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.shift_id, a.person_id, d.name, d.phone, d.kind, d.available, a.override,
		a.checked_in_at, a.checked_out_at FROM checkpoint_assignments a JOIN checkpoint_shifts s ON s.id = a.shift_id
		JOIN checkpoint_duty_people d ON d.id = a.person_id
		WHERE s.checkpoint_id = $1 AND s.ends_at > $2 AND s.starts_at < $3 ORDER BY a.shift_id, d.name, a.id`, cp, from, to)
	if err != nil {
		return nil, errs.Wrap(err, "assignments")
	}
	defer rows.Close()
	out := map[int64][]Assignment{}
	for rows.Next() {
		var a Assignment
		var kind string
		var in, outAt sql.NullTime
		if err := rows.Scan(&a.ID, &a.ShiftID, &a.PersonID, &a.Name, &a.Phone, &kind, &a.available, &a.Override, &in, &outAt); err != nil {
			return nil, errs.Wrap(err, "assignment scan")
		}
		a.Kind = PersonKind(kind)
		a.Phone = maskPhone(a.Phone)
		if in.Valid {
			t := in.Time.UTC()
			a.CheckedInAt = &t
		}
		if outAt.Valid {
			t := outAt.Time.UTC()
			a.CheckedOutAt = &t
		}
		out[a.ShiftID] = append(out[a.ShiftID], a)
	}
	return out, rows.Err()
}

// shiftAt reads one shift and its checkpoint, for an edit.
func (s *Store) shiftAt(ctx context.Context, q storage.Querier, id int64) (Shift, error) {
	var sh Shift
	var min int64
	err := q.QueryRowContext(ctx, `SELECT id, checkpoint_id, starts_at, ends_at, min_staff FROM checkpoint_shifts WHERE id = $1`, id).
		Scan(&sh.ID, &sh.CheckpointID, &sh.Start, &sh.End, &min)
	if errors.Is(err, sql.ErrNoRows) {
		return sh, errs.NotFoundf()
	}
	sh.MinStaff, sh.Start, sh.End = int(min), sh.Start.UTC(), sh.End.UTC()
	return sh, errs.Wrap(err, "shift")
}

// AssignInput puts a person on a shift by hand. Override accepts the duty
// despite a broken rule (it stays flagged on the roster).
type AssignInput struct {
	PersonID int64 `json:"person_id"`
	Override bool  `json:"override"`
}

// Assign puts a person of the checkpoint's pool on one of its shifts. The
// rules are checked again: a duty that breaks the rest rule, overlaps
// another or passes the weekly maximum is refused (422 naming the rule on
// person_id) unless in.Override, when it is stored and flagged.
func (s *Store) Assign(ctx context.Context, p *auth.Principal, shiftID int64, in AssignInput) (Assignment, error) {
	var a Assignment
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		sh, err := s.shiftAt(ctx, tx, shiftID)
		if err != nil {
			return err
		}
		c, err := s.forWrite(ctx, tx, p, PermRosterWrite, sh.CheckpointID)
		if err != nil {
			return err
		}
		pool, err := s.poolOf(ctx, tx, c)
		if err != nil {
			return err
		}
		var person *DutyPerson
		for i := range pool {
			if pool[i].ID == in.PersonID {
				person = &pool[i]
			}
		}
		if person == nil {
			return errs.Field("person_id", "checkpoint_roster.err_not_in_pool")
		}
		duties, err := dutiesOf(ctx, tx, []int64{person.ID}, sh.Start.Add(-margin), sh.End.Add(margin))
		if err != nil {
			return err
		}
		d := Duty{PersonID: person.ID, CheckpointID: sh.CheckpointID, Start: sh.Start, End: sh.End}
		for _, x := range duties {
			if x.on(sh) {
				return errs.New(errs.Conflict, "checkpoint_roster.err_already")
			}
		}
		issues := Check(CheckInput{Shifts: []Shift{sh}, Duties: append(duties, d), Rules: s.RosterRules(ctx),
			Unavailable: map[int64]bool{person.ID: !person.Available}, Now: s.Now()})
		for _, is := range issues {
			if is.Kind != IssueGap && is.PersonID == person.ID && !in.Override {
				return errs.Field("person_id", "checkpoint_roster.issue."+is.Kind)
			}
		}
		now := time.Now().UTC()
		err = tx.QueryRowContext(ctx, `INSERT INTO checkpoint_assignments (shift_id, person_id, override, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, shiftID, person.ID, in.Override, now).Scan(&a.ID)
		if err != nil {
			return errs.Wrap(err, "assign")
		}
		a.ShiftID, a.PersonID, a.Name, a.Phone, a.Kind, a.Override = shiftID, person.ID, person.Name, maskPhone(person.Phone), person.Kind, in.Override
		return audit.Write(ctx, tx, audit.ActionCreate, "duty_assignment", itoa(a.ID), c.DivisionID, nil, a)
	})
	return a, err
}

// Unassign takes a person off a shift.
func (s *Store) Unassign(ctx context.Context, p *auth.Principal, assignmentID int64) error {
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var shiftID, personID int64
		err := tx.QueryRowContext(ctx, `SELECT shift_id, person_id FROM checkpoint_assignments WHERE id = $1`, assignmentID).Scan(&shiftID, &personID)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundf()
		} else if err != nil {
			return errs.Wrap(err, "assignment")
		}
		sh, err := s.shiftAt(ctx, tx, shiftID)
		if err != nil {
			return err
		}
		c, err := s.forWrite(ctx, tx, p, PermRosterWrite, sh.CheckpointID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM checkpoint_assignments WHERE id = $1`, assignmentID); err != nil {
			return errs.Wrap(err, "unassign")
		}
		before := map[string]any{"shift_id": shiftID, "person_id": personID, "start": sh.Start}
		return audit.Write(ctx, tx, audit.ActionDelete, "duty_assignment", itoa(assignmentID), c.DivisionID, before, nil)
	})
}
