package screening

import (
	"context"
	"database/sql"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
)

// The *Tx methods below run inside a transaction of the calling module
// (isolation), so that a stay and the observation it belongs to change
// together or not at all. None of them opens a transaction of its own.
//
// Those that take an observation id trust the caller's right to write it:
// the caller has read the record it belongs to within the caller's own
// scope (isolation: a stay at a site the caller works at) and passes only
// that record's observation. They load it regardless of screening's scope,
// and audit the write as the caller.

// anyScope is p with the whole county as its scope, for loading a record
// whose right to write the caller established elsewhere. Writes still name
// p's user.
func anyScope(p *auth.Principal) *auth.Principal {
	return auth.System(by(p))
}

// CentralizeTx makes the person's observation in progress centralized, or
// opens a centralized one from in (Reason, BasisDate, StartDate as Open takes
// them; Kind is ignored). The caller needs screening write over the person's
// village: an admission is a register act. Field errors are Open's.
func (s *Store) CentralizeTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, in ObservationInput) (Observation, error) {
	pr, err := s.writablePerson(ctx, tx, p, in.PersonID)
	if err != nil {
		return Observation{}, err
	}
	id, err := activeOf(ctx, tx, pr.ID)
	if err != nil {
		return Observation{}, err
	}
	if id != 0 {
		o, err := s.getObs(ctx, tx, p, PermWrite, id)
		if err != nil || o.Kind == Centralized {
			return o, err
		}
		return s.setKindTx(ctx, tx, p, o, Centralized, in.Notes)
	}
	rules := s.Rules(ctx)
	in.Kind = string(Centralized)
	var fc errs.FieldCollector
	o := in.check(&fc, "", s.Today(), rules)
	if err := fc.Err(); err != nil {
		return o, err
	}
	o.DivisionID = pr.DivisionID
	return s.openTx(ctx, tx, p, o, rules)
}

// ReleaseTx releases observation id as Release does (on or after its planned
// end, no open alert), in the caller's transaction; the caller has
// established its right to (see above).
func (s *Store) ReleaseTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, id int64, in ReleaseInput) (Observation, error) {
	day, note, err := s.releaseInput(in)
	if err != nil {
		return Observation{}, err
	}
	o, err := s.getObs(ctx, tx, anyScope(p), PermWrite, id)
	if err != nil {
		return o, err
	}
	if o, err = s.releaseTx(ctx, tx, p, o, day, note); err != nil {
		return o, err
	}
	return o, audit.Write(ctx, tx, audit.ActionUpdate, "observation", itoa(id), o.DivisionID,
		map[string]any{"status": Active}, map[string]any{"status": Released, "end_date": day, "note": note})
}

// SetKindTx moves observation id in progress to kind, in the caller's
// transaction; the caller has established its right to (see above).
func (s *Store) SetKindTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, id int64, kind Kind, reason string) (Observation, error) {
	if !kind.Valid() {
		return Observation{}, errs.Field("kind", "errs.bad_choice")
	}
	o, err := s.getObs(ctx, tx, anyScope(p), PermWrite, id)
	if err != nil {
		return o, err
	}
	return s.setKindTx(ctx, tx, p, o, kind, reason)
}

// ObservationTx reads observation id in the caller's transaction; the
// caller has established its right to (see above).
func (s *Store) ObservationTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, id int64) (Observation, error) {
	return s.getObs(ctx, tx, anyScope(p), PermRead, id)
}

// RecordFollowUpTx records one follow-up as RecordFollowUp does (same
// rules: in the period, not in the future, a fever or symptom opens an
// alert and its transfer task), in the caller's transaction; the caller has
// established its right to in.ObservationID (see above).
func (s *Store) RecordFollowUpTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, in FollowUpInput) (Recorded, error) {
	rules := s.Rules(ctx)
	var fc errs.FieldCollector
	f := in.check(&fc, "", s.Today())
	if err := fc.Err(); err != nil {
		return Recorded{FollowUp: f}, err
	}
	o, err := s.getObs(ctx, tx, anyScope(p), PermWrite, in.ObservationID)
	if err != nil {
		return Recorded{FollowUp: f}, err
	}
	if err := dayInPeriod(o, f.Day, "day"); err != nil {
		return Recorded{FollowUp: f}, err
	}
	rec, err := s.recordTx(ctx, tx, p, o, f, rules)
	if err != nil {
		return rec, err
	}
	return rec, audit.Write(ctx, tx, audit.ActionCreate, "followup", itoa(rec.FollowUp.ID), o.DivisionID, nil, rec.FollowUp)
}

// RecordManyTx records follow-ups as RecordMany does (all or none; errors
// named "<observation id>.<field>"), in the caller's transaction; the caller
// has established its right to every observation named (see above).
func (s *Store) RecordManyTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, ins []FollowUpInput) ([]Recorded, error) {
	fs, ids, err := s.checkMany(ins)
	if err != nil {
		return nil, err
	}
	obs, err := s.obsByIDs(ctx, tx, anyScope(p), PermWrite, ids)
	if err != nil {
		return nil, err
	}
	return s.recordManyTx(ctx, tx, p, fs, obs, s.Rules(ctx))
}
