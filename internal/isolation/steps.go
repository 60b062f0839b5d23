package isolation

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
	"fangkong/internal/screening"
)

// ScreeningSteps are isolation's parts in screening's transactions, for the
// app wiring to hand to screening.Register: a merge of two records of a
// person moves the stays to the kept record; an observation released,
// ended by transfer, taken to hospital or moved home closes the stay it
// had at a site, freeing the bed.
func ScreeningSteps(env *web.Env) screening.Steps {
	s := &Store{DB: env.DB, Today: env.Today, Now: clock(env), Zone: env.Zone}
	return screening.Steps{Merge: []screening.MergeStep{MergeStays}, Ended: []screening.EndStep{s.CloseEnded}}
}

// outFor is the reason a stay ends when its observation ends as e says.
var outFor = map[screening.Ending]OutReason{
	screening.EndReleased:    OutReleased,
	screening.EndTransferred: OutTransfer,
	screening.EndHospital:    OutTransfer,
	screening.EndHome:        OutHome,
}

// CloseEnded closes the open stays of observations that ended (or moved
// home, or left for hospital), on the day they did — not before the stay
// began nor after today — each audited.
func (s *Store) CloseEnded(ctx context.Context, tx *sql.Tx, e screening.Ended) error {
	why, ok := outFor[e.How]
	if !ok {
		return nil
	}
	for _, chunk := range chunked(e.Observations, 500) {
		ys, err := openStaysOf(ctx, tx, chunk)
		if err != nil {
			return err
		}
		for _, y := range ys {
			day := e.Day
			if today := s.Today(); day.After(today.Time) {
				day = today // a stay is never checked out in the future
			}
			if day.Before(y.CheckIn.Time) {
				day = y.CheckIn
			}
			if err := s.closeStay(ctx, tx, &y.Stay, y.division, day, why, e.Note); err != nil {
				return err
			}
		}
	}
	return nil
}

// openStay is an open stay and its site's division.
type openStay struct {
	Stay
	division int64
}

// openStaysOf reads the open stays of the observations.
func openStaysOf(ctx context.Context, tx *sql.Tx, obs []int64) ([]openStay, error) {
	var args storage.Args
	ph := make([]string, len(obs))
	for i, id := range obs {
		ph[i] = args.Add(id)
	}
	rows, err := tx.QueryContext(ctx, `SELECT y.id, y.check_in, y.note, t.division_id FROM isolation_stays y
		JOIN isolation_sites t ON t.id = y.site_id WHERE y.check_out IS NULL AND y.observation_id IN (`+
		strings.Join(ph, ", ")+`) ORDER BY y.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "open stays")
	}
	defer rows.Close()
	var out []openStay
	for rows.Next() {
		var y openStay
		if err := rows.Scan(&y.ID, &y.CheckIn, &y.Note, &y.division); err != nil {
			return nil, errs.Wrap(err, "open stay scan")
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// MergeStays moves the stays of person from to person to, inside a
// screening merge. Two records each with an open stay are one person in two
// beds: the merge is refused until one stay is checked out.
func MergeStays(ctx context.Context, tx *sql.Tx, from, to int64) error {
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM isolation_stays WHERE person_id IN ($1, $2) AND check_out IS NULL`,
		from, to).Scan(&open); err != nil {
		return errs.Wrap(err, "merge open stays")
	}
	if open > 1 {
		return errs.New(errs.Conflict, "isolation.err.merge_two_stays")
	}
	rows, err := tx.QueryContext(ctx, `SELECT y.id, t.division_id FROM isolation_stays y JOIN isolation_sites t ON t.id = y.site_id
		WHERE y.person_id = $1 ORDER BY y.id`, from)
	if err != nil {
		return errs.Wrap(err, "merge stays")
	}
	type moved struct{ id, division int64 }
	var ms []moved
	for rows.Next() {
		var m moved
		if err := rows.Scan(&m.id, &m.division); err != nil {
			rows.Close()
			return errs.Wrap(err, "merge stay scan")
		}
		ms = append(ms, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return errs.Wrap(err, "merge stays")
	}
	if len(ms) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE isolation_stays SET person_id = $1, updated_at = $2, version = version + 1
		WHERE person_id = $3`, to, time.Now().UTC(), from); err != nil {
		return errs.Wrap(err, "merge move stays")
	}
	for _, m := range ms {
		if err := audit.Write(ctx, tx, "merge", "isolation_stay", itoa(m.id), m.division,
			map[string]any{"person_id": from}, map[string]any{"person_id": to}); err != nil {
			return err
		}
	}
	return nil
}

// chunked splits ids into slices of at most n.
func chunked(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}
