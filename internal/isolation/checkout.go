package isolation

import (
	"context"
	"database/sql"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
)

// Checkout ends a stay on a day (default today), freeing the bed, and does
// to the observation the stay belongs to what the reason says, in the same
// transaction:
//   - released: the observation is released on that day (on or after its
//     planned end, no open alert — else nothing changes);
//   - transfer: taken to the designated hospital; the observation goes on
//     until the hospital's result (screening's alert) ends it;
//   - home: the observation goes on as home observation;
//   - other (e.g. moved to another site): the observation is left as it is.
//
// The caller's right over the stay's site carries the observation's change:
// site staff check out the people of their site.
func (s *Store) Checkout(ctx context.Context, p *auth.Principal, id int64, in CheckoutInput) (Stay, error) {
	var fc errs.FieldCollector
	c := in.check(&fc, s.Today())
	if err := fc.Err(); err != nil {
		return Stay{}, err
	}
	var y Stay
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if y, err = s.stay(ctx, tx, p, id); err != nil {
			return err
		}
		t, err := s.writableSite(ctx, tx, p, y.SiteID)
		if err != nil {
			return err
		}
		switch {
		case !y.CheckOut.IsZero():
			return errs.New(errs.Conflict, "isolation.err.already_out")
		case c.day.Before(y.CheckIn.Time):
			return errs.Field("day", "isolation.err.out_before_in")
		}
		if err := s.closeStay(ctx, tx, &y, t.DivisionID, c.day, c.reason, c.note); err != nil {
			return err
		}
		return s.followObservation(ctx, tx, p, y, c)
	})
	return y.Masked(), err
}

// followObservation changes the observation of a stay just checked out as
// the reason says.
func (s *Store) followObservation(ctx context.Context, tx *sql.Tx, p *auth.Principal, y Stay, c checkout) error {
	if y.ObservationID == 0 || (c.reason != OutReleased && c.reason != OutHome) {
		return nil
	}
	o, err := s.Screening.ObservationTx(ctx, tx, p, y.ObservationID)
	if err != nil || o.Status != screening.Active {
		return err
	}
	if c.reason == OutHome {
		if o.Kind == screening.Home {
			return nil
		}
		_, err = s.Screening.SetKindTx(ctx, tx, p, o.ID, screening.Home, c.note)
		return err
	}
	_, err = s.Screening.ReleaseTx(ctx, tx, p, o.ID, screening.ReleaseInput{Day: c.day.String(), Note: c.note})
	return err
}

// closeStay writes a stay's check-out and audits it.
func (s *Store) closeStay(ctx context.Context, tx *sql.Tx, y *Stay, division int64, day storage.Date, why OutReason, note string) error {
	if note == "" {
		note = y.Note
	}
	res, err := tx.ExecContext(ctx, `UPDATE isolation_stays SET check_out = $1, out_reason = $2, note = $3, updated_at = $4,
		version = version + 1 WHERE id = $5 AND check_out IS NULL`, day, string(why), note, s.now(), y.ID)
	if err != nil {
		return errs.Wrap(err, "stay checkout")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.Conflict, "isolation.err.already_out")
	}
	y.CheckOut, y.OutReason, y.Note = day, why, note
	y.Version++
	return audit.Write(ctx, tx, audit.ActionUpdate, "isolation_stay", itoa(y.ID), division,
		map[string]any{"check_out": nil}, map[string]any{"check_out": day, "out_reason": why, "note": note})
}
