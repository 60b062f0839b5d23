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

// earlyCheckin is how long before a shift its people may check in.
const earlyCheckin = 30 * time.Minute

// MyDuty is a signed-in duty person's shifts at a checkpoint: the current
// and the next ones.
type MyDuty struct {
	Person  *DutyPerson  `json:"person"`
	Current *DutyShift   `json:"current"`
	Next    []DutyShift  `json:"next"`
	Now     time.Time    `json:"now"`
	Checked []Assignment `json:"-"`
}

// DutyShift is one of the person's shifts with its check-in state.
type DutyShift struct {
	Shift
	Assignment Assignment `json:"assignment"`
}

// Duty reads the caller's own shifts at checkpoint cp (empty when the
// account is linked to no duty person).
func (s *Store) Duty(ctx context.Context, p *auth.Principal, cp int64) (MyDuty, error) {
	m := MyDuty{Now: s.Now().UTC(), Next: []DutyShift{}}
	if _, err := s.Get(ctx, p, cp); err != nil {
		return m, err
	}
	shifts, err := s.myShifts(ctx, s.DB.R, p, cp, m.Now)
	if err != nil {
		return m, err
	}
	for i, ds := range shifts {
		if m.Person == nil {
			m.Person = &DutyPerson{ID: ds.Assignment.PersonID, Name: ds.Assignment.Name, Kind: ds.Assignment.Kind}
		}
		if m.Current == nil && !ds.Start.After(m.Now.Add(earlyCheckin)) {
			m.Current = &shifts[i]
			continue
		}
		m.Next = append(m.Next, ds)
	}
	if m.Person == nil {
		// Linked but with no shift coming here: still say who they are, so
		// the page does not tell them to ask for a link they have.
		m.Person, err = s.linkedPerson(ctx, p)
	}
	return m, err
}

// linkedPerson is the duty person the caller's account is linked to, nil
// when none is.
func (s *Store) linkedPerson(ctx context.Context, p *auth.Principal) (*DutyPerson, error) {
	var d DutyPerson
	var kind string
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, name, kind FROM checkpoint_duty_people
		WHERE username = $1 AND username <> '' ORDER BY id LIMIT 1`, p.Username).Scan(&d.ID, &d.Name, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, errs.Wrap(err, "linked duty person")
	}
	d.Kind = PersonKind(kind)
	return &d, nil
}

// myShifts are the caller's shifts at cp not ended by now (or still checked
// in), soonest first, at most 4.
func (s *Store) myShifts(ctx context.Context, q storage.Querier, p *auth.Principal, cp int64, now time.Time) ([]DutyShift, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.checkpoint_id, s.starts_at, s.ends_at, s.min_staff, a.id, a.person_id, d.name, d.kind,
		a.checked_in_at, a.checked_out_at FROM checkpoint_assignments a JOIN checkpoint_shifts s ON s.id = a.shift_id
		JOIN checkpoint_duty_people d ON d.id = a.person_id
		WHERE d.username = $1 AND d.username <> '' AND s.checkpoint_id = $2
		AND (s.ends_at > $3 OR (a.checked_in_at IS NOT NULL AND a.checked_out_at IS NULL AND s.ends_at > $4))
		ORDER BY s.starts_at LIMIT 4`, p.Username, cp, now, now.Add(-12*time.Hour))
	if err != nil {
		return nil, errs.Wrap(err, "my shifts")
	}
	defer rows.Close()
	var out []DutyShift
	for rows.Next() {
		var ds DutyShift
		var min int64
		var kind string
		var in, outAt sql.NullTime
		if err := rows.Scan(&ds.ID, &ds.CheckpointID, &ds.Start, &ds.End, &min, &ds.Assignment.ID, &ds.Assignment.PersonID,
			&ds.Assignment.Name, &kind, &in, &outAt); err != nil {
			return nil, errs.Wrap(err, "my shift scan")
		}
		ds.MinStaff, ds.Start, ds.End, ds.Assignment.Kind = int(min), ds.Start.UTC(), ds.End.UTC(), PersonKind(kind)
		ds.Assignment.ShiftID = ds.ID
		if in.Valid {
			t := in.Time.UTC()
			ds.Assignment.CheckedInAt = &t
		}
		if outAt.Valid {
			t := outAt.Time.UTC()
			ds.Assignment.CheckedOutAt = &t
		}
		out = append(out, ds)
	}
	return out, rows.Err()
}

// CheckIn records that the caller came on duty at checkpoint cp now: on the
// shift in progress (or starting within half an hour) they are rostered
// on. Checking in twice keeps the first time. Not rostered now is a 409.
func (s *Store) CheckIn(ctx context.Context, p *auth.Principal, cp int64) (Assignment, error) {
	return s.punch(ctx, p, cp, true)
}

// CheckOut records that the caller went off duty at checkpoint cp now.
func (s *Store) CheckOut(ctx context.Context, p *auth.Principal, cp int64) (Assignment, error) {
	return s.punch(ctx, p, cp, false)
}

func (s *Store) punch(ctx context.Context, p *auth.Principal, cp int64, in bool) (Assignment, error) {
	var a Assignment
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.get(ctx, tx, p, auth.PermCheckpointRead, cp)
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		shifts, err := s.myShifts(ctx, tx, p, cp, now)
		if err != nil {
			return err
		}
		var cur *DutyShift
		for i, ds := range shifts {
			if in && !ds.Start.After(now.Add(earlyCheckin)) && ds.End.After(now) {
				cur = &shifts[i]
				break
			}
			if !in && ds.Assignment.OnDuty() {
				cur = &shifts[i]
				break
			}
		}
		if cur == nil {
			key := "checkpoint_roster.err_not_on_duty"
			if !in {
				key = "checkpoint_roster.err_not_checked_in"
			}
			return errs.New(errs.Conflict, key)
		}
		a = cur.Assignment
		before := a
		switch {
		case in && a.CheckedInAt != nil:
			return nil
		case in:
			a.CheckedInAt = &now
			_, err = tx.ExecContext(ctx, `UPDATE checkpoint_assignments SET checked_in_at = $1 WHERE id = $2`, now, a.ID)
		default:
			a.CheckedOutAt = &now
			_, err = tx.ExecContext(ctx, `UPDATE checkpoint_assignments SET checked_out_at = $1 WHERE id = $2`, now, a.ID)
		}
		if err != nil {
			return errs.Wrap(err, "check in")
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "duty_assignment", itoa(a.ID), c.DivisionID, before, a)
	})
	return a, err
}

// DutyFigures are the roster figures of the dashboard at one instant.
type DutyFigures struct {
	At         time.Time    `json:"at"`
	GapsNow    int          `json:"gaps_now"`   // shifts in progress short of staff
	GapsNext   int          `json:"gaps_next"`  // shifts in the next 24 h short of staff
	Unattended []Checkpoint `json:"unattended"` // open checkpoints staffed now with nobody checked in
	ShortSoon  []Gap        `json:"short_soon"` // the short shifts, now and next 24 h
}

// dutyAt is the instant the figures of day d describe: now for today, the
// end of the day for an earlier one.
func (s *Store) dutyAt(d storage.Date) time.Time {
	end := time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, s.Zone).UTC()
	if now := s.Now().UTC(); now.Before(end) {
		return now
	}
	return end
}

// DutyFigures counts, in the caller's scope, the roster gaps now and in the
// next 24 hours and the open checkpoints nobody is checked in at, as of the
// figures' instant for day d.
func (s *Store) DutyFigures(ctx context.Context, p *auth.Principal, d storage.Date) (DutyFigures, error) {
	f := DutyFigures{At: s.dutyAt(d), Unattended: []Checkpoint{}, ShortSoon: []Gap{}}
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT s.checkpoint_id, s.starts_at, s.ends_at, s.min_staff,
		(SELECT COUNT(*) FROM checkpoint_assignments a WHERE a.shift_id = s.id)
		FROM checkpoint_shifts s JOIN checkpoints c ON c.id = s.checkpoint_id
		WHERE c.status = 'open' AND s.ends_at > `+args.Add(f.At)+` AND s.starts_at < `+args.Add(f.At.Add(24*time.Hour))+`
		AND `+scopeSQL(p, auth.PermCheckpointRead, &args)+` ORDER BY s.starts_at, s.checkpoint_id`, args...)
	if err != nil {
		return f, errs.Wrap(err, "duty gaps")
	}
	defer rows.Close()
	for rows.Next() {
		var g Gap
		var need, have int64
		if err := rows.Scan(&g.CheckpointID, &g.Start, &g.End, &need, &have); err != nil {
			return f, errs.Wrap(err, "duty gap scan")
		}
		if have >= need {
			continue
		}
		g.Have, g.Need, g.Start, g.End = int(have), int(need), g.Start.UTC(), g.End.UTC()
		f.ShortSoon = append(f.ShortSoon, g)
		f.GapsNext++
		if !g.Start.After(f.At) {
			f.GapsNow++
		}
	}
	if err := rows.Err(); err != nil {
		return f, errs.Wrap(err, "duty gaps")
	}
	f.Unattended, err = s.unattended(ctx, p, f.At)
	return f, err
}

// unattended are the open checkpoints in scope, staffed at instant at by
// their hours, that nobody was checked in at.
func (s *Store) unattended(ctx context.Context, p *auth.Principal, at time.Time) ([]Checkpoint, error) {
	cps, err := s.List(ctx, p, 0)
	if err != nil {
		return nil, err
	}
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT DISTINCT s.checkpoint_id FROM checkpoint_assignments a
		JOIN checkpoint_shifts s ON s.id = a.shift_id JOIN checkpoints c ON c.id = s.checkpoint_id
		WHERE a.checked_in_at <= `+args.Add(at)+` AND (a.checked_out_at IS NULL OR a.checked_out_at > `+args.Add(at)+`)
		AND s.ends_at > `+args.Add(at.Add(-12*time.Hour))+` AND `+scopeSQL(p, auth.PermCheckpointRead, &args), args...)
	if err != nil {
		return nil, errs.Wrap(err, "on duty")
	}
	defer rows.Close()
	manned := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, errs.Wrap(err, "on duty scan")
		}
		manned[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(err, "on duty")
	}
	out := []Checkpoint{}
	for _, c := range cps {
		if c.Status == Open && staffedAt(c, at, s.Zone) && !manned[c.ID] {
			out = append(out, c)
		}
	}
	return out, nil
}

// staffedAt reports whether the checkpoint's hours include instant at.
func staffedAt(c Checkpoint, at time.Time, zone *time.Location) bool {
	if c.AllDay() {
		return true
	}
	from, err1 := clockOf(c.HoursFrom)
	to, err2 := clockOf(c.HoursTo)
	if err1 != nil || err2 != nil {
		return true
	}
	l := at.In(zone)
	t := time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute
	if from <= to {
		return t >= from && t < to
	}
	return t >= from || t < to
}
