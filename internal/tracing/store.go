package tracing

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
	"fangkong/internal/surveillance"
)

// Store keeps exposures and computes chains and clusters from them.
type Store struct {
	DB    *storage.DB
	Today func() storage.Date
	// Screening opens and extends close contacts' observations, inside the
	// exposure's transaction (a *screening.Store).
	Screening Observer
	// Cases gives the cluster rules and the cases' milestones.
	Cases *surveillance.Store
	// Passages finds who passed a checkpoint near a case (co-presence);
	// nil finds no one.
	Passages *checkpoint.Store
	// Settings holds the co-presence window; nil means the default.
	Settings *settings.Store
	// Zone is the county's zone, for the days of passages (nil: UTC+8).
	Zone *time.Location
}

// Observer opens or extends a close contact's observation inside the
// caller's transaction, so that an exposure and the observation it implies
// commit or roll back together: screening's Store. Rules gives the
// observation period.
type Observer interface {
	ObserveContactTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, personID int64, lastExposure storage.Date,
		caseID int64, note string) (screening.Observation, error)
	Rules(ctx context.Context) screening.Rules
}

func by(p *auth.Principal) string {
	if p == nil {
		return "system"
	}
	return p.Username
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

type personRef struct {
	id, division                   int64
	name, number, placed, placedEN string
}

// personIn loads a live person of the register in the caller's scope for perm.
func personIn(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, id int64, field string) (personRef, error) {
	var args storage.Args
	var r personRef
	err := q.QueryRowContext(ctx, `SELECT p.id, p.division_id, p.name, p.id_number, n.name_zh, n.name_en FROM persons p
		JOIN org_nodes n ON n.id = p.division_id WHERE p.id = `+args.Add(id)+` AND p.merged_into IS NULL AND `+
		p.Scope(perm).SQL("p.division_id", &args), args...).Scan(&r.id, &r.division, &r.name, &r.number, &r.placed, &r.placedEN)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.Field(field, "tracing.err.no_person")
	}
	return r, errs.Wrap(err, "exposure person")
}

// caseOf is the case of a person (matched by ID number), or 0.
func caseOf(ctx context.Context, q storage.Querier, number string) (int64, error) {
	if number == "" {
		return 0, nil
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM cases WHERE id_number = $1 AND status NOT IN ('excluded', 'struck')
		ORDER BY id DESC`, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, errs.Wrap(err, "source case")
}

// lastClose is the day of the contact's last close exposure on record.
func lastClose(ctx context.Context, q storage.Querier, contact int64) (storage.Date, error) {
	var d storage.Date
	err := q.QueryRowContext(ctx, `SELECT MAX(day) FROM tracing_exposures WHERE contact_id = $1 AND is_close = $2`,
		contact, true).Scan(&d)
	return d, errs.Wrap(err, "last exposure")
}

// Record stores an exposure. The contact must be in the caller's write
// scope, the source in their read scope; a person exposed to themselves is
// refused. For a close contact the observation is opened, or moved to end
// 14 days (the county's period) after the latest close exposure, through
// screening's store in the same transaction as the exposure and both audit
// entries: a failure anywhere leaves neither. It never shortens an
// observation, so a retried request leaves the same observation.
func (s *Store) Record(ctx context.Context, p *auth.Principal, in ExposureInput) (Exposure, error) {
	var fc errs.FieldCollector
	e := in.check(&fc, s.Today())
	if err := fc.Err(); err != nil {
		return e, err
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		e, err = s.recordTx(ctx, tx, p, e)
		return err
	})
	return e.Masked(), err
}

// recordTx writes a checked exposure in tx: the exposure first, then the
// contact's observation from their last close exposure (this one included),
// then the exposure's link to that observation and its audit entry.
func (s *Store) recordTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, e Exposure) (Exposure, error) {
	contact, err := personIn(ctx, tx, p, PermWrite, e.ContactID, "contact_id")
	if err != nil {
		return e, err
	}
	source, err := personIn(ctx, tx, p, PermRead, e.SourceID, "source_id")
	if err != nil {
		return e, err
	}
	if e.CaseID == 0 {
		if e.CaseID, err = caseOf(ctx, tx, source.number); err != nil {
			return e, err
		}
	}
	e.DivisionID, e.DivisionName, e.DivisionNameEN = contact.division, contact.placed, contact.placedEN
	e.SourceName, e.ContactName = source.name, contact.name
	e.CreatedBy, e.CreatedAt = by(p), nowUTC()
	err = tx.QueryRowContext(ctx, `INSERT INTO tracing_exposures (source_id, contact_id, division_id, kind, day, setting,
		is_close, case_id, notes, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		RETURNING id`, e.SourceID, e.ContactID, e.DivisionID, string(e.Kind), e.Day, e.Setting, e.Close, nullID(e.CaseID),
		e.Notes, e.CreatedBy, e.CreatedAt).Scan(&e.ID)
	if err != nil {
		return e, errs.Wrap(err, "exposure insert")
	}
	if e.Close {
		last, err := lastClose(ctx, tx, e.ContactID)
		if err != nil {
			return e, err
		}
		o, err := s.Screening.ObserveContactTx(ctx, tx, p, e.ContactID, last, e.CaseID, "流调 exposure "+e.Day.String())
		if err != nil {
			return e, err
		}
		e.ObservationID, e.ObservationEnd = o.ID, o.PlannedEnd
		if _, err := tx.ExecContext(ctx, `UPDATE tracing_exposures SET observation_id = $1 WHERE id = $2`, o.ID, e.ID); err != nil {
			return e, errs.Wrap(err, "exposure observation")
		}
	}
	return e, audit.Write(ctx, tx, audit.ActionCreate, "exposure", itoa(e.ID), e.DivisionID, nil, e.Masked())
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const expCols = `e.id, e.source_id, ps.name, e.contact_id, pc.name, e.division_id, n.name_zh, n.name_en, e.kind, e.day, e.setting,
	e.is_close, e.case_id, e.observation_id, o.planned_end, e.notes, e.created_by, e.created_at`

const expFrom = ` FROM tracing_exposures e JOIN persons ps ON ps.id = e.source_id JOIN persons pc ON pc.id = e.contact_id
	JOIN org_nodes n ON n.id = e.division_id LEFT JOIN observations o ON o.id = e.observation_id`

func scanExposure(row interface{ Scan(...any) error }) (Exposure, error) {
	var e Exposure
	var kind string
	var caseID, obs sql.NullInt64
	err := row.Scan(&e.ID, &e.SourceID, &e.SourceName, &e.ContactID, &e.ContactName, &e.DivisionID, &e.DivisionName, &e.DivisionNameEN, &kind,
		&e.Day, &e.Setting, &e.Close, &caseID, &obs, &e.ObservationEnd, &e.Notes, &e.CreatedBy, &e.CreatedAt)
	e.Kind, e.CaseID, e.ObservationID = Kind(kind), caseID.Int64, obs.Int64
	return e.Masked(), err
}

// ExposureFilter narrows the exposure list.
type ExposureFilter struct {
	Person int64 // either side
	Case   int64
	Limit  int
}

// Exposures lists exposures whose contact is in the caller's scope, newest
// first; ObservationEnd is the contact's observation's current planned end.
func (s *Store) Exposures(ctx context.Context, p *auth.Principal, f ExposureFilter) ([]Exposure, error) {
	var args storage.Args
	where := p.Scope(PermRead).SQL("e.division_id", &args)
	if f.Person != 0 {
		a := args.Add(f.Person)
		where += ` AND (e.source_id = ` + a + ` OR e.contact_id = ` + a + `)`
	}
	if f.Case != 0 {
		where += ` AND e.case_id = ` + args.Add(f.Case)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+expCols+expFrom+` WHERE `+where+` ORDER BY e.day DESC, e.id DESC LIMIT `+
		args.Add(f.Limit), args...)
	if err != nil {
		return nil, errs.Wrap(err, "exposures")
	}
	defer rows.Close()
	out := []Exposure{}
	for rows.Next() {
		e, err := scanExposure(rows)
		if err != nil {
			return nil, errs.Wrap(err, "exposure scan")
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Exposure returns one exposure; NotFound outside the caller's scope.
func (s *Store) Exposure(ctx context.Context, p *auth.Principal, id int64) (Exposure, error) {
	var args storage.Args
	e, err := scanExposure(s.DB.R.QueryRowContext(ctx, `SELECT `+expCols+expFrom+` WHERE e.id = `+args.Add(id)+` AND `+
		p.Scope(PermRead).SQL("e.division_id", &args), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return e, errs.NotFoundf()
	}
	return e, errs.Wrap(err, "exposure get")
}
