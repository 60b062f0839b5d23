package isolation

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
)

// Site staff follow up the people staying at their site: their right comes
// from the stay (at a site the caller may write at, occupying its bed on the
// follow-up's day), not from screening's village scope. The follow-up itself
// is screening's, with screening's rules: the day in the observation's
// period and not in the future, 34–43 °C, each slot once, and a fever or a
// symptom opens an alert and its transfer task.

// RecordFollowUp records one follow-up of the person of stay id. A stay
// outside the caller's scope is not found.
func (s *Store) RecordFollowUp(ctx context.Context, p *auth.Principal, id int64, in SiteFollowUpInput) (screening.Recorded, error) {
	day, err := followUpDay(in.Day, s.Today())
	if err != nil {
		return screening.Recorded{}, err
	}
	var rec screening.Recorded
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		y, err := s.followable(ctx, tx, p, id, day)
		if err != nil {
			return err
		}
		rec, err = s.Screening.RecordFollowUpTx(ctx, tx, p, screening.FollowUpInput{ObservationID: y.ObservationID,
			Day: in.Day, Slot: in.Slot, Temperature: in.Temperature, Symptoms: in.Symptoms, Note: in.Note})
		return err
	})
	return rec, err
}

// RoundEntry is one person's line of a site's round: the stay and what was
// measured.
type RoundEntry struct {
	StayID      int64
	Temperature string
	Symptom     string
}

// RecordRound records one slot of a day for several people staying at a
// site, all or none. Errors are named "t.<stay id>" after the round's
// inputs.
func (s *Store) RecordRound(ctx context.Context, p *auth.Principal, siteID int64, day, slot string, entries []RoundEntry) ([]screening.Recorded, error) {
	d, err := followUpDay(day, s.Today())
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, errs.Field("items", "isolation.err.none_entered")
	}
	var out []screening.Recorded
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		stayOf := map[int64]int64{} // observation → stay, to name errors
		var ins []screening.FollowUpInput
		for _, e := range entries {
			y, err := s.followable(ctx, tx, p, e.StayID, d)
			if fe := errs.As(err); err != nil && fe.Code == errs.Invalid && len(fe.Fields) > 0 {
				return errs.Fields([]errs.FieldError{{Field: "t." + itoa(e.StayID), Msg: fe.Fields[0].Msg}})
			}
			if err != nil {
				return err
			}
			if y.SiteID != siteID {
				return errs.NotFoundf()
			}
			in := screening.FollowUpInput{ObservationID: y.ObservationID, Day: d.String(), Slot: slot,
				Temperature: jsonNumber(e.Temperature)}
			if e.Symptom != "" {
				in.Symptoms = []string{e.Symptom}
			}
			stayOf[y.ObservationID] = y.ID
			ins = append(ins, in)
		}
		out, err = s.Screening.RecordManyTx(ctx, tx, p, ins)
		return roundErrors(err, stayOf)
	})
	return out, err
}

// followable loads a stay whose person the caller may follow up on day d.
func (s *Store) followable(ctx context.Context, q storage.Querier, p *auth.Principal, id int64, d storage.Date) (Stay, error) {
	y, err := s.stay(ctx, q, p, id)
	if err != nil {
		return y, err
	}
	if _, err := s.writableSite(ctx, q, p, y.SiteID); err != nil {
		return y, err
	}
	switch {
	case y.ObservationID == 0:
		return y, errs.New(errs.Conflict, "isolation.err.no_observation")
	case !y.On(d):
		return y, errs.Field("day", "isolation.err.not_staying", d.String())
	}
	return y, nil
}

// followUpDay reads a follow-up's day (default today) before the store
// checks it against the stay; screening checks it again with its rules.
func followUpDay(s string, today storage.Date) (storage.Date, error) {
	var fc errs.FieldCollector
	d := date(&fc, "day", s, today, false)
	if err := fc.Err(); err != nil {
		return d, err
	}
	if d.IsZero() {
		d = today
	}
	return d, nil
}

// roundErrors renames screening's "<observation>.<field>" errors to the
// round's "t.<stay>" inputs.
func roundErrors(err error, stayOf map[int64]int64) error {
	e := errs.As(err)
	if err == nil || e.Code != errs.Invalid || len(e.Fields) == 0 {
		return err
	}
	out := make([]errs.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if obs, _, ok := strings.Cut(f.Field, "."); ok {
			if id, perr := strconv.ParseInt(obs, 10, 64); perr == nil && stayOf[id] != 0 {
				f.Field = "t." + itoa(stayOf[id])
			}
		}
		out[i] = f
	}
	return errs.Fields(out)
}

// jsonNumber passes a temperature as typed; screening reads "36.8", "36,8"
// and "36.8℃" alike.
func jsonNumber(s string) json.Number { return json.Number(strings.TrimSpace(s)) }
