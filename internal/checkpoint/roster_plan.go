package checkpoint

import (
	"context"
	"database/sql"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// margin is how far around a range duties are read for the rules: a whole
// week either side covers the weekly maximum and any rest setting.
const margin = 8 * 24 * time.Hour

// maxRosterDays bounds one generation or view.
const maxRosterDays = 31

// checkRange refuses a backwards or overlong date range.
func checkRange(from, to storage.Date) error {
	if from.IsZero() {
		return errs.Field("from", "errs.required")
	}
	if to.Before(from.Time) || to.DaysSince(from) >= maxRosterDays {
		return errs.Field("to", "checkpoint_roster.err_range", maxRosterDays)
	}
	return nil
}

// poolOf is the duty pool of a checkpoint: the people of its node's
// ancestors and of the node itself (a township's volunteers serve its
// villages' checkpoints; a county pool serves everywhere).
func (s *Store) poolOf(ctx context.Context, q storage.Querier, c Checkpoint) ([]DutyPerson, error) {
	return s.queryPeople(ctx, q, `SELECT `+personCols+` FROM checkpoint_duty_people d JOIN org_nodes n ON n.id = d.division_id
		WHERE $1 LIKE n.path || '%' ORDER BY d.id`, c.divisionPath)
}

// shiftsIn are a checkpoint's shifts overlapping [from, to).
func shiftsIn(ctx context.Context, q storage.Querier, cp int64, from, to time.Time) ([]Shift, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, checkpoint_id, starts_at, ends_at, min_staff FROM checkpoint_shifts
		WHERE checkpoint_id = $1 AND ends_at > $2 AND starts_at < $3 ORDER BY starts_at`, cp, from, to)
	if err != nil {
		return nil, errs.Wrap(err, "shifts")
	}
	defer rows.Close()
	var out []Shift
	for rows.Next() {
		var sh Shift
		var min int64
		if err := rows.Scan(&sh.ID, &sh.CheckpointID, &sh.Start, &sh.End, &min); err != nil {
			return nil, errs.Wrap(err, "shift scan")
		}
		sh.MinStaff = int(min)
		sh.Start, sh.End = sh.Start.UTC(), sh.End.UTC()
		out = append(out, sh)
	}
	return out, rows.Err()
}

// dutiesOf are the duties of the given people overlapping [from, to), at
// every checkpoint.
func dutiesOf(ctx context.Context, q storage.Querier, people []int64, from, to time.Time) ([]Duty, error) {
	if len(people) == 0 {
		return nil, nil
	}
	var args storage.Args
	query := `SELECT a.person_id, s.checkpoint_id, s.starts_at, s.ends_at FROM checkpoint_assignments a
		JOIN checkpoint_shifts s ON s.id = a.shift_id WHERE a.person_id IN (` + itoa64(people, &args) + `)
		AND s.ends_at > ` + args.Add(from) + ` AND s.starts_at < ` + args.Add(to)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, errs.Wrap(err, "duties")
	}
	defer rows.Close()
	var out []Duty
	for rows.Next() {
		var d Duty
		if err := rows.Scan(&d.PersonID, &d.CheckpointID, &d.Start, &d.End); err != nil {
			return nil, errs.Wrap(err, "duty scan")
		}
		d.Start, d.End = d.Start.UTC(), d.End.UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// dayBounds are the UTC instants of from's midnight and the midnight after to.
func (s *Store) dayBounds(from, to storage.Date) (time.Time, time.Time) {
	a := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, s.Zone)
	b := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, s.Zone).AddDate(0, 0, 1)
	return a.UTC(), b.UTC()
}

// GenerateRoster lays the checkpoint's pattern over the days from..to
// (adding the shifts not laid yet) and fills every shift short of its
// minimum from the pool (see Generate). Duties already rostered, by hand or
// by an earlier run, are kept. It answers what was added and the gaps left.
func (s *Store) GenerateRoster(ctx context.Context, p *auth.Principal, cp int64, from, to storage.Date) (GenerateResult, error) {
	var res GenerateResult
	if err := checkRange(from, to); err != nil {
		return res, err
	}
	rules := s.RosterRules(ctx)
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.forWrite(ctx, tx, p, PermRosterWrite, cp)
		if err != nil {
			return err
		}
		pt, err := s.pattern(ctx, tx, cp)
		if err != nil {
			return err
		}
		laid, err := ShiftsFor(pt, from, to, s.Zone)
		if err != nil {
			return errs.Field("custom", "checkpoint_roster.err_custom")
		}
		a, b := s.dayBounds(from, to)
		if err := dropStale(ctx, tx, cp, a, b, laid); err != nil {
			return err
		}
		for _, sh := range laid {
			if _, err := tx.ExecContext(ctx, `INSERT INTO checkpoint_shifts (checkpoint_id, starts_at, ends_at, min_staff)
				VALUES ($1, $2, $3, $4) ON CONFLICT (checkpoint_id, starts_at) DO NOTHING`, cp, sh.Start, sh.End, sh.MinStaff); err != nil {
				return errs.Wrap(err, "lay shift")
			}
		}
		shifts, err := shiftsIn(ctx, tx, cp, a, b)
		if err != nil {
			return err
		}
		pool, err := s.poolOf(ctx, tx, c)
		if err != nil {
			return err
		}
		ids := make([]int64, len(pool))
		for i, x := range pool {
			ids[i] = x.ID
		}
		existing, err := dutiesOf(ctx, tx, ids, a.Add(-margin), b.Add(margin))
		if err != nil {
			return err
		}
		res = Generate(GenerateInput{Shifts: shifts, Pool: pool, Existing: existing, Rules: rules})
		byStart := map[int64]int64{}
		for _, sh := range shifts {
			byStart[sh.Start.Unix()] = sh.ID
		}
		now := time.Now().UTC()
		for _, d := range res.Duties {
			if _, err := tx.ExecContext(ctx, `INSERT INTO checkpoint_assignments (shift_id, person_id, created_at) VALUES ($1, $2, $3)`,
				byStart[d.Start.Unix()], d.PersonID, now); err != nil {
				return errs.Wrap(err, "assign")
			}
		}
		if res.Duties == nil {
			res.Duties = []Duty{}
		}
		if res.Gaps == nil {
			res.Gaps = []Gap{}
		}
		summary := map[string]any{"from": from, "to": to, "added": len(res.Duties), "gaps": len(res.Gaps)}
		return audit.Write(ctx, tx, audit.ActionCreate, "roster", itoa(cp), c.DivisionID, nil, summary)
	})
	return res, err
}

// dropStale removes the range's shifts that nobody stands and that the
// pattern no longer lays (the pattern changed), so the new shifts do not
// overlap them. Shifts with people stay: they are the record of duty.
func dropStale(ctx context.Context, tx *sql.Tx, cp int64, from, to time.Time, laid []Shift) error {
	old, err := shiftsIn(ctx, tx, cp, from, to)
	if err != nil {
		return err
	}
	want := map[[2]int64]bool{}
	for _, sh := range laid {
		want[[2]int64{sh.Start.Unix(), sh.End.Unix()}] = true
	}
	for _, sh := range old {
		if want[[2]int64{sh.Start.Unix(), sh.End.Unix()}] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM checkpoint_shifts WHERE id = $1
			AND NOT EXISTS (SELECT 1 FROM checkpoint_assignments a WHERE a.shift_id = $1)`, sh.ID); err != nil {
			return errs.Wrap(err, "drop shift")
		}
	}
	return nil
}
