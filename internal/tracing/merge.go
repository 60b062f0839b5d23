package tracing

import (
	"context"
	"database/sql"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
)

// ScreeningSteps are tracing's parts in screening's transactions, for the app
// wiring to hand to screening.Register: a merge of two records of a person
// moves the exposures (MergeExposures).
func ScreeningSteps() screening.Steps {
	return screening.Steps{Merge: []screening.MergeStep{MergeExposures}}
}

// MergeExposures moves the exposures of person from to person to, inside a
// screening merge, at both ends (as the source and as the contact); the
// contact's village follows the kept record. An exposure between the two
// records would become an exposure of a person with themselves: it is
// deleted, and the audit log keeps it with the reason.
func MergeExposures(ctx context.Context, tx *sql.Tx, from, to int64) error {
	if err := mergeDropSelf(ctx, tx, from, to); err != nil {
		return err
	}
	var asSource, asContact []int64
	for _, part := range []struct {
		q   string
		dst *[]int64
	}{
		{`SELECT id FROM tracing_exposures WHERE source_id = $1 ORDER BY id`, &asSource},
		{`SELECT id FROM tracing_exposures WHERE contact_id = $1 ORDER BY id`, &asContact},
	} {
		ids, err := mergeIDs(ctx, tx, part.q, from)
		if err != nil {
			return err
		}
		*part.dst = ids
	}
	if len(asSource)+len(asContact) == 0 {
		return nil
	}
	var division int64
	if err := tx.QueryRowContext(ctx, `SELECT division_id FROM persons WHERE id = $1`, to).Scan(&division); err != nil {
		return errs.Wrap(err, "merge kept person")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tracing_exposures SET source_id = $1 WHERE source_id = $2`, to, from); err != nil {
		return errs.Wrap(err, "merge exposure sources")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tracing_exposures SET contact_id = $1, division_id = $2 WHERE contact_id = $3`,
		to, division, from); err != nil {
		return errs.Wrap(err, "merge exposure contacts")
	}
	return audit.Write(ctx, tx, "merge", "tracing_exposure", "", division, map[string]any{"person_id": from},
		map[string]any{"person_id": to, "as_source": asSource, "as_contact": asContact})
}

// mergeDropSelf deletes the exposures between the two records of one
// person, auditing each as it was.
func mergeDropSelf(ctx context.Context, tx *sql.Tx, from, to int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, source_id, contact_id, division_id, kind, day, setting, is_close, notes
		FROM tracing_exposures WHERE (source_id = $1 AND contact_id = $2) OR (source_id = $2 AND contact_id = $1) ORDER BY id`,
		from, to)
	if err != nil {
		return errs.Wrap(err, "merge self exposures")
	}
	var gone []Exposure
	for rows.Next() {
		var e Exposure
		var kind string
		if err := rows.Scan(&e.ID, &e.SourceID, &e.ContactID, &e.DivisionID, &kind, &e.Day, &e.Setting, &e.Close, &e.Notes); err != nil {
			rows.Close()
			return errs.Wrap(err, "merge self exposure scan")
		}
		e.Kind = Kind(kind)
		gone = append(gone, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return errs.Wrap(err, "merge self exposures")
	}
	for _, e := range gone {
		if _, err := tx.ExecContext(ctx, `DELETE FROM tracing_exposures WHERE id = $1`, e.ID); err != nil {
			return errs.Wrap(err, "merge drop self exposure")
		}
		if err := audit.Write(ctx, tx, audit.ActionDelete, "tracing_exposure", itoa(e.ID), e.DivisionID, e,
			map[string]any{"reason": "merge: the two records are one person, who cannot be exposed to themselves",
				"kept": to, "merged": from}); err != nil {
			return err
		}
	}
	return nil
}

// mergeIDs runs a one-column id query with one argument.
func mergeIDs(ctx context.Context, q storage.Querier, query string, arg int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return nil, errs.Wrap(err, "merge exposures")
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, errs.Wrap(err, "merge exposure scan")
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
