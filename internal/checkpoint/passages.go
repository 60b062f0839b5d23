package checkpoint

import (
	"context"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
)

// Result is what became of one passage of a request.
type Result struct {
	Passage Passage
	// Created is true when this request stored the passage, false when it was
	// already stored (a retry: Passage is the stored one).
	Created bool
	// Err is the passage's own error: field errors (422), Forbidden (403) at
	// a checkpoint the caller may not write at, NotFound (404) for an unknown
	// checkpoint, Conflict (409) for a client id already used with other
	// content. Other passages of the batch are unaffected.
	Err error
}

// Record stores one passage and answers once it is durably committed.
// created is false for a retry of a stored passage.
func (s *Store) Record(ctx context.Context, p *auth.Principal, in PassageInput) (Passage, bool, error) {
	res, err := s.RecordBatch(ctx, p, []PassageInput{in})
	if err != nil {
		return Passage{}, false, err
	}
	return res[0].Passage, res[0].Created, res[0].Err
}

// RecordBatch stores many passages, each checked and answered on its own;
// the returned error is for the batch as a whole (over MaxBatch, or the
// database unavailable).
func (s *Store) RecordBatch(ctx context.Context, p *auth.Principal, ins []PassageInput) ([]Result, error) {
	if len(ins) > MaxBatch {
		return nil, errs.New(errs.TooLarge, "checkpoint.batch_too_large", MaxBatch)
	}
	rules, now := s.rulesCached(ctx), s.Now()
	out := make([]Result, len(ins))
	// The audit entries of the group carry the request's principal and
	// address; the commit outlives a cancelled request.
	if ctx.Value(auditKey{}) == nil {
		ctx = WithAuthor(ctx, p.Username, "")
	}
	j := &job{ctx: context.WithoutCancel(ctx)}
	var at []int
	for i, in := range ins {
		row, div, err := s.prepare(ctx, p, rules, now, in)
		if err != nil {
			out[i].Err = err
			continue
		}
		j.rows, j.divs, at = append(j.rows, row), append(j.divs, div), append(at, i)
	}
	if len(j.rows) == 0 {
		return out, nil
	}
	if err := s.ingest.submit(ctx, j); err != nil {
		return nil, errs.Wrap(err, "passage commit")
	}
	for k, i := range at {
		o, row := j.out[k], j.rows[k]
		row.ID = o.id
		switch {
		case o.conflict:
			out[i].Err = errs.New(errs.Conflict, "checkpoint.client_id_reused")
		default:
			out[i].Passage, out[i].Created = *row, o.created
		}
	}
	return out, nil
}

// prepare checks one passage for the caller: the checkpoint must exist (404)
// and be one they record at (403), the fields valid (422), a pass token
// genuine, unrevoked and valid on the day.
func (s *Store) prepare(ctx context.Context, p *auth.Principal, r Rules, now time.Time, in PassageInput) (*Passage, int64, error) {
	var cp cpEntry
	if in.CheckpointID > 0 {
		var err error
		if cp, err = s.checkpointInfo(ctx, in.CheckpointID); err != nil {
			return nil, 0, err
		}
		if !may(p, auth.PermPassageWrite, in.CheckpointID, cp.path) {
			return nil, 0, errs.Forbid()
		}
	}
	row, err := in.check(r, now)
	if err != nil {
		return nil, 0, err
	}
	if in.PassToken != "" {
		if err := s.applyPass(ctx, &row, in.PassToken); err != nil {
			return nil, 0, err
		}
	}
	row.personKey = PersonKey(row.IDNumber, row.Phone)
	row.RecordedBy = p.Username
	row.digest = digest(row)
	return &row, cp.divisionID, nil
}

// applyPass verifies a scanned pass for the passage's day and fills the
// person from the pass record where nothing was typed.
func (s *Store) applyPass(ctx context.Context, row *Passage, token string) error {
	rec, err := s.checkPass(ctx, token, row.At)
	if err != nil {
		return passFieldError(err)
	}
	row.PassSerial = rec.ID
	if row.Name == "" {
		row.Name = rec.Name
	}
	if row.IDNumber == "" {
		row.IDNumber = rec.IDNumber
	}
	if row.Phone == "" {
		row.Phone = rec.Phone
	}
	return nil
}

// passFieldError turns a refused pass into a pass_token field error with the reason.
func passFieldError(err error) error {
	if pe, ok := err.(*PassError); ok {
		return errs.Field("pass_token", "checkpoint.pass."+pe.Reason)
	}
	return err
}

// rulesTTL is how long a replica uses the settings it read: settings change
// rarely, and reading three of them per passage would cost more than the
// passage itself.
const rulesTTL = 10 * time.Second

type cachedRules struct {
	r  Rules
	at time.Time
}

func (s *Store) rulesCached(ctx context.Context) Rules {
	if c := s.rules.Load(); c != nil && time.Since(c.at) < rulesTTL {
		return c.r
	}
	r := s.Rules(ctx)
	s.rules.Store(&cachedRules{r: r, at: time.Now()})
	return r
}
