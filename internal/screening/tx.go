package screening

import (
	"context"
	"database/sql"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// This file holds the variants of the store's writes that run inside a
// transaction the caller owns, for modules whose own write and screening's
// must commit or roll back together (tracing: an exposure and the
// observation it opens or extends). Each does what its namesake does, with
// the same checks and audit entries, but in tx; the namesakes are unchanged.

// ObserveContactTx is ObserveContact inside the caller's transaction tx: the
// person (in the caller's screening.write scope) is tagged a close contact
// and their observation opened or moved to end later, with its change and
// audit entries written in tx. The returned observation is masked.
func (s *Store) ObserveContactTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, personID int64, lastExposure storage.Date, caseID int64, note string) (Observation, error) {
	if lastExposure.IsZero() {
		return Observation{}, errs.Field("last_exposure", "errs.required")
	}
	if err := validate.NotFuture(lastExposure.Time, s.Today().Time); err != nil {
		return Observation{}, errs.Field("last_exposure", "validate.date.future")
	}
	rules := s.Rules(ctx)
	pr, err := s.writablePerson(ctx, tx, p, personID)
	if err != nil {
		return Observation{}, err
	}
	if err := s.tag(ctx, tx, pr, TagCloseContact); err != nil {
		return Observation{}, err
	}
	o, err := s.observeContactTx(ctx, tx, p, pr, lastExposure, caseID, note, rules)
	return o.Masked(), err
}
