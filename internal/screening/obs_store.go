package screening

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// obsCols are read with FROM observations o JOIN persons p ON p.id = o.person_id
// JOIN org_nodes n ON n.id = o.division_id.
const obsCols = `o.id, o.person_id, p.name, o.division_id, n.name_zh, n.name_en, o.kind, o.reason, o.basis, o.basis_date,
	o.start_date, o.period_days, o.planned_end, o.end_date, o.status, o.case_id, o.notes, o.version, o.created_by,
	o.created_at, o.updated_at`

const obsFrom = ` FROM observations o JOIN persons p ON p.id = o.person_id JOIN org_nodes n ON n.id = o.division_id`

func scanObservation(row interface{ Scan(...any) error }, extra ...any) (Observation, error) {
	var o Observation
	var kind, reason, basis, status string
	var caseID sql.NullInt64
	dst := []any{&o.ID, &o.PersonID, &o.PersonName, &o.DivisionID, &o.DivisionName, &o.DivisionNameEN, &kind, &reason, &basis, &o.BasisDate,
		&o.StartDate, &o.PeriodDays, &o.PlannedEnd, &o.EndDate, &status, &caseID, &o.Notes, &o.Version, &o.CreatedBy,
		&o.CreatedAt, &o.UpdatedAt}
	err := row.Scan(append(dst, extra...)...)
	o.Kind, o.Reason, o.Basis, o.Status, o.CaseID = Kind(kind), Reason(reason), Basis(basis), Status(status), caseID.Int64
	return o, err
}

// Masked returns a copy with the person's name masked.
func (o Observation) Masked() Observation {
	o.PersonName = privacy.MaskName(o.PersonName)
	for i := range o.Alerts {
		o.Alerts[i].PersonName = privacy.MaskName(o.Alerts[i].PersonName)
	}
	return o
}

// Open starts a medical observation of a person in the caller's write
// scope. A person has at most one observation in progress: a second is
// refused with a pointer to the first (extend or shorten that one instead).
func (s *Store) Open(ctx context.Context, p *auth.Principal, in ObservationInput) (Observation, error) {
	rules := s.Rules(ctx)
	var fc errs.FieldCollector
	o := in.check(&fc, "", s.Today(), rules)
	if err := fc.Err(); err != nil {
		return o, err
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		pr, err := s.writablePerson(ctx, tx, p, in.PersonID)
		if err != nil {
			return err
		}
		o.DivisionID = pr.DivisionID
		o, err = s.openTx(ctx, tx, p, o, rules)
		return err
	})
	return o.Masked(), err
}

// activeOf is the id of the person's observation in progress, or 0.
func activeOf(ctx context.Context, q storage.Querier, personID int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM observations WHERE person_id = $1 AND status = 'active' ORDER BY id DESC`,
		personID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, errs.Wrap(err, "active observation")
}

// openTx inserts a checked observation for o.PersonID in o.DivisionID.
func (s *Store) openTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, o Observation, rules Rules) (Observation, error) {
	if id, err := activeOf(ctx, tx, o.PersonID); err != nil || id != 0 {
		if err == nil {
			err = errs.New(errs.Conflict, "screening.err.already_observed", id)
		}
		return o, err
	}
	now := s.now()
	var caseID any
	if o.CaseID != 0 {
		caseID = o.CaseID
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO observations (person_id, division_id, kind, reason, basis, basis_date,
		start_date, period_days, planned_end, status, case_id, notes, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $11, $12, $13, $13) RETURNING id`,
		o.PersonID, o.DivisionID, string(o.Kind), string(o.Reason), string(o.Basis), o.BasisDate, o.StartDate,
		o.PeriodDays, o.PlannedEnd, caseID, o.Notes, by(p), now).Scan(&o.ID)
	if err != nil {
		return o, errs.Wrap(err, "observation insert")
	}
	o.Status, o.Version, o.CreatedBy, o.CreatedAt, o.UpdatedAt = Active, 1, by(p), now, now
	if err := s.change(ctx, tx, p, o.ID, ChangeOpened, o.StartDate, storage.Date{}, o.PlannedEnd, ""); err != nil {
		return o, err
	}
	return o, audit.Write(ctx, tx, audit.ActionCreate, "observation", itoa(o.ID), o.DivisionID, nil, o.Masked())
}

// change records one change of an observation.
func (s *Store) change(ctx context.Context, q storage.Querier, p *auth.Principal, obsID int64, kind string, day, oldEnd, newEnd storage.Date, reason string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO observation_changes (observation_id, kind, day, old_end, new_end, reason,
		created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		obsID, kind, day, oldEnd, newEnd, reason, by(p), s.now())
	return errs.Wrap(err, "observation change")
}

// GetObservation returns an observation with its changes, follow-ups and
// alerts, the person's name masked.
func (s *Store) GetObservation(ctx context.Context, p *auth.Principal, id int64) (Observation, error) {
	o, err := s.getObs(ctx, s.DB.R, p, PermRead, id)
	if err != nil {
		return o, err
	}
	if o.Changes, err = s.changes(ctx, id); err != nil {
		return o, err
	}
	if o.FollowUps, err = s.followUpsOf(ctx, s.DB.R, id); err != nil {
		return o, err
	}
	if o.Alerts, err = s.alertsOf(ctx, id); err != nil {
		return o, err
	}
	return o.Masked(), nil
}

func (s *Store) getObs(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, id int64) (Observation, error) {
	var args storage.Args
	o, err := scanObservation(q.QueryRowContext(ctx, `SELECT `+obsCols+obsFrom+` WHERE o.id = `+args.Add(id)+
		` AND `+p.Scope(perm).SQL("o.division_id", &args), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return o, errs.NotFoundf()
	}
	return o, errs.Wrap(err, "observation get")
}

// writableObs loads an observation for a write: NotFound outside read scope,
// Forbidden inside it but outside write scope.
func (s *Store) writableObs(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Observation, error) {
	o, err := s.getObs(ctx, q, p, PermWrite, id)
	if errs.CodeOf(err) == errs.NotFound {
		if _, rerr := s.getObs(ctx, q, p, PermRead, id); rerr == nil {
			return o, errs.Forbid()
		}
	}
	return o, err
}

func (s *Store) changes(ctx context.Context, obsID int64) ([]Change, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, kind, day, old_end, new_end, reason, created_by, created_at
		FROM observation_changes WHERE observation_id = $1 ORDER BY id`, obsID)
	if err != nil {
		return nil, errs.Wrap(err, "changes")
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.ID, &c.Kind, &c.Day, &c.OldEnd, &c.NewEnd, &c.Reason, &c.CreatedBy, &c.CreatedAt); err != nil {
			return nil, errs.Wrap(err, "change scan")
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// observationsOf lists a person's observations, newest first.
func (s *Store) observationsOf(ctx context.Context, p *auth.Principal, personID int64) ([]Observation, error) {
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+obsCols+obsFrom+` WHERE o.person_id = `+args.Add(personID)+
		` AND `+p.Scope(PermRead).SQL("o.division_id", &args)+` ORDER BY o.start_date DESC, o.id DESC`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "person observations")
	}
	defer rows.Close()
	var out []Observation
	for rows.Next() {
		o, err := scanObservation(rows)
		if err != nil {
			return nil, errs.Wrap(err, "observation scan")
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Adjust extends or shortens an observation in progress to a new planned
// end, for a reason; the follow-ups due follow the new period.
func (s *Store) Adjust(ctx context.Context, p *auth.Principal, id int64, in AdjustInput) (Observation, error) {
	var fc errs.FieldCollector
	reason := strings.TrimSpace(in.Reason)
	if fc.Check("reason", validate.Required(reason)) {
		fc.Check("reason", validate.MaxLen(reason, 200))
	}
	var newEnd storage.Date
	if t, err := validate.Date(in.NewEnd); fc.Check("new_end", err) {
		newEnd = storage.Date{Time: t}
	}
	if err := fc.Err(); err != nil {
		return Observation{}, err
	}
	var o Observation
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if o, err = s.writableObs(ctx, tx, p, id); err != nil {
			return err
		}
		if err := adjustable(o, newEnd, in.Version); err != nil {
			return err
		}
		kind := ChangeExtended
		if newEnd.Before(o.PlannedEnd.Time) {
			kind = ChangeShortened
		}
		old := o
		o.PlannedEnd, o.PeriodDays = newEnd, newEnd.DaysSince(o.BasisDate)
		if err := s.writePeriod(ctx, tx, o); err != nil {
			return err
		}
		o.Version++
		if err := s.change(ctx, tx, p, id, kind, s.Today(), old.PlannedEnd, newEnd, reason); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "observation", itoa(id), o.DivisionID,
			map[string]any{"planned_end": old.PlannedEnd}, map[string]any{"planned_end": newEnd, "change": kind, "reason": reason})
	})
	return o.Masked(), err
}

// adjustable checks a new planned end against the observation.
func adjustable(o Observation, newEnd storage.Date, version int64) error {
	switch {
	case o.Status != Active:
		return errs.New(errs.Conflict, "screening.err.not_active")
	case version != 0 && version != o.Version:
		return errs.New(errs.Conflict, "errs.conflict")
	case newEnd.Before(o.StartDate.Time):
		return errs.Field("new_end", "screening.err.end_before_start", o.StartDate.String())
	case newEnd.Equal(o.PlannedEnd.Time):
		return errs.Field("new_end", "screening.err.end_unchanged")
	case newEnd.DaysSince(o.BasisDate) > MaxPeriod*2:
		return errs.Field("new_end", "screening.err.end_too_far", MaxPeriod*2)
	}
	return nil
}

// writePeriod saves an observation's basis, period and planned end.
func (s *Store) writePeriod(ctx context.Context, tx *sql.Tx, o Observation) error {
	_, err := tx.ExecContext(ctx, `UPDATE observations SET reason = $1, basis = $2, basis_date = $3, period_days = $4,
		planned_end = $5, case_id = $6, updated_at = $7, version = version + 1 WHERE id = $8`,
		string(o.Reason), string(o.Basis), o.BasisDate, o.PeriodDays, o.PlannedEnd, nullID(o.CaseID), s.now(), o.ID)
	return errs.Wrap(err, "observation period")
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Release ends an observation on a day (default today) on or after its
// planned end. An observation with an open alert cannot be released: the
// alert's result comes first.
func (s *Store) Release(ctx context.Context, p *auth.Principal, id int64, in ReleaseInput) (Observation, error) {
	day, note, err := s.releaseInput(in)
	if err != nil {
		return Observation{}, err
	}
	var o Observation
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if o, err = s.writableObs(ctx, tx, p, id); err != nil {
			return err
		}
		if o, err = s.releaseTx(ctx, tx, p, o, day, note); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "observation", itoa(id), o.DivisionID,
			map[string]any{"status": Active}, map[string]any{"status": Released, "end_date": day, "note": note})
	})
	return o.Masked(), err
}

func (s *Store) releaseInput(in ReleaseInput) (storage.Date, string, error) {
	var fc errs.FieldCollector
	day := checkDate(&fc, "day", in.Day, s.Today(), false)
	if day.IsZero() && !fc.Has("day") {
		day = s.Today()
	}
	note := strings.TrimSpace(in.Note)
	fc.Check("note", validate.MaxLen(note, 200))
	return day, note, fc.Err()
}

// releaseTx releases a loaded observation.
func (s *Store) releaseTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, o Observation, day storage.Date, note string) (Observation, error) {
	if o.Status != Active {
		return o, errs.New(errs.Conflict, "screening.err.not_active")
	}
	if day.Before(o.PlannedEnd.Time) {
		return o, errs.Field("day", "screening.err.release_early", o.PlannedEnd.String())
	}
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM alerts WHERE observation_id = $1 AND stage <> 'closed'`, o.ID).Scan(&open); err != nil {
		return o, errs.Wrap(err, "release alerts")
	}
	if open > 0 {
		return o, errs.New(errs.Conflict, "screening.err.open_alert")
	}
	if err := s.end(ctx, tx, p, &o, Released, day, note); err != nil {
		return o, err
	}
	return o, nil
}

// end closes an observation as released or transferred on day.
func (s *Store) end(ctx context.Context, tx *sql.Tx, p *auth.Principal, o *Observation, st Status, day storage.Date, note string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE observations SET status = $1, end_date = $2, updated_at = $3, version = version + 1
		WHERE id = $4`, string(st), day, s.now(), o.ID); err != nil {
		return errs.Wrap(err, "observation end")
	}
	o.Status, o.EndDate = st, day
	o.Version++
	kind, how := ChangeReleased, EndReleased
	if st == Transferred {
		kind, how = ChangeTransferred, EndTransferred
	}
	if err := s.change(ctx, tx, p, o.ID, kind, day, o.PlannedEnd, day, note); err != nil {
		return err
	}
	return s.ended(ctx, tx, Ended{Observations: []int64{o.ID}, How: how, Day: day, Note: note})
}

// ReleaseMany releases observations in one transaction (the due list's
// "release all due", a loader's batch): all or none, the first refusal
// naming its record. It works set by set — one read of the observations,
// one of their open alerts, one update and one insert of changes per
// thousand — so 10,000 releases take about a second.
func (s *Store) ReleaseMany(ctx context.Context, p *auth.Principal, ids []int64, in ReleaseInput) (int, error) {
	day, note, err := s.releaseInput(in)
	if err != nil {
		return 0, err
	}
	ids = unique(ids)
	if len(ids) == 0 {
		return 0, errs.Field("ids", "screening.err.none_selected")
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		obs, err := s.obsByIDs(ctx, tx, p, PermWrite, ids)
		if err != nil {
			return err
		}
		open, err := openAlertsOf(ctx, tx, s.DB.Dialect, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			o, ok := obs[id]
			var why error
			switch {
			case !ok:
				why = errs.NotFoundf()
			case o.Status != Active:
				why = errs.New(errs.Conflict, "screening.err.not_active")
			case day.Before(o.PlannedEnd.Time):
				why = errs.Field("day", "screening.err.release_early", o.PlannedEnd.String())
			case open[id]:
				why = errs.New(errs.Conflict, "screening.err.open_alert")
			}
			if why != nil {
				e := errs.Field("ids", "screening.err.bulk_failed", id)
				e.Err = why
				return e
			}
		}
		if err := s.endMany(ctx, tx, p, ids, obs, day, note); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "observation", "", 0, nil,
			map[string]any{"released": ids, "end_date": day, "note": note})
	})
	if err != nil {
		return 0, err
	}
	return len(ids), nil
}

// endMany releases checked observations, a thousand per statement.
func (s *Store) endMany(ctx context.Context, tx *sql.Tx, p *auth.Principal, ids []int64, obs map[int64]Observation, day storage.Date, note string) error {
	now, actor := s.now(), by(p)
	for _, chunk := range chunks(ids, 1000) {
		args := []any{day, now}
		for _, id := range chunk {
			args = append(args, id)
		}
		q := `UPDATE observations SET status = 'released', end_date = $1, updated_at = $2, version = version + 1
			WHERE status = 'active' AND id IN (` + placeholdersFrom(3, len(chunk)) + `)`
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return errs.Wrap(err, "release batch")
		}
	}
	rows := make([][]any, len(ids))
	for i, id := range ids {
		rows[i] = []any{id, ChangeReleased, day, obs[id].PlannedEnd, day, note, actor, now}
	}
	err := batchInsert(ctx, tx, s.DB.Dialect, "observation_changes", []string{"observation_id", "kind", "day", "old_end",
		"new_end", "reason", "created_by", "created_at"}, rows, "", nil)
	if err != nil {
		return errs.Wrap(err, "release changes")
	}
	return s.ended(ctx, tx, Ended{Observations: ids, How: EndReleased, Day: day, Note: note})
}

// openAlertsOf says which of the observations have an alert without a result.
func openAlertsOf(ctx context.Context, q storage.Querier, dialect storage.Dialect, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for _, chunk := range chunks(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT observation_id FROM alerts WHERE stage <> 'closed' AND observation_id IN (`+
			placeholders(dialect, len(chunk))+`)`, args...)
		if err != nil {
			return nil, errs.Wrap(err, "open alerts")
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, errs.Wrap(err, "open alerts scan")
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, errs.Wrap(err, "open alerts")
		}
	}
	return out, nil
}

// ObserveContact is tracing's way in: a person found to be a close contact
// (of case caseID, if known) whose last exposure was on lastExposure gets an
// observation counted from that exposure — a new home observation, or the
// one in progress moved to end later if the exposure does. It never shortens
// an observation. The person is tagged a close contact.
func (s *Store) ObserveContact(ctx context.Context, p *auth.Principal, personID int64, lastExposure storage.Date, caseID int64, note string) (Observation, error) {
	if lastExposure.IsZero() {
		return Observation{}, errs.Field("last_exposure", "errs.required")
	}
	if err := validate.NotFuture(lastExposure.Time, s.Today().Time); err != nil {
		return Observation{}, errs.Field("last_exposure", "validate.date.future")
	}
	rules := s.Rules(ctx)
	var o Observation
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		pr, err := s.writablePerson(ctx, tx, p, personID)
		if err != nil {
			return err
		}
		if err := s.tag(ctx, tx, pr, TagCloseContact); err != nil {
			return err
		}
		o, err = s.observeContactTx(ctx, tx, p, pr, lastExposure, caseID, note, rules)
		return err
	})
	return o.Masked(), err
}

func (s *Store) observeContactTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, pr Person, exposure storage.Date, caseID int64, note string, rules Rules) (Observation, error) {
	end := PlannedEnd(exposure, rules.PeriodDays)
	id, err := activeOf(ctx, tx, pr.ID)
	if err != nil {
		return Observation{}, err
	}
	if id == 0 {
		today := s.Today()
		if end.Before(today.Time) {
			return Observation{}, errs.Field("last_exposure", "screening.err.ends_before_start", end.String())
		}
		o := Observation{PersonID: pr.ID, DivisionID: pr.DivisionID, Kind: Home, Reason: ForCloseContact, Basis: FromExposure,
			BasisDate: exposure, StartDate: today, PeriodDays: rules.PeriodDays, PlannedEnd: end, CaseID: caseID, Notes: note}
		return s.openTx(ctx, tx, p, o, rules)
	}
	o, err := s.getObs(ctx, tx, p, PermWrite, id)
	if err != nil || !end.After(o.PlannedEnd.Time) {
		return o, err
	}
	old := o
	o.Reason, o.Basis, o.BasisDate, o.PeriodDays, o.PlannedEnd = ForCloseContact, FromExposure, exposure, rules.PeriodDays, end
	if caseID != 0 {
		o.CaseID = caseID
	}
	if err := s.writePeriod(ctx, tx, o); err != nil {
		return o, err
	}
	o.Version++
	if err := s.change(ctx, tx, p, o.ID, ChangeExposure, exposure, old.PlannedEnd, end, note); err != nil {
		return o, err
	}
	return o, audit.Write(ctx, tx, audit.ActionUpdate, "observation", itoa(o.ID), o.DivisionID,
		map[string]any{"basis_date": old.BasisDate, "planned_end": old.PlannedEnd},
		map[string]any{"basis_date": exposure, "planned_end": end, "change": ChangeExposure, "case_id": caseID})
}

// tag adds a tag to a person if missing.
func (s *Store) tag(ctx context.Context, tx *sql.Tx, pr Person, t Tag) error {
	if pr.HasTag(t) {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE persons SET tags = $1, version = version + 1, updated_at = $2 WHERE id = $3`,
		encodeTags(unionTags(pr.Tags, []Tag{t})), s.now(), pr.ID)
	return errs.Wrap(err, "person tag")
}

// SetKind moves an observation in progress between home and centralized.
// A move home closes the person's stay at an isolation site (through the
// store's end steps), in the same transaction.
func (s *Store) SetKind(ctx context.Context, p *auth.Principal, id int64, kind Kind, reason string) (Observation, error) {
	if !kind.Valid() {
		return Observation{}, errs.Field("kind", "errs.bad_choice")
	}
	var o Observation
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if o, err = s.writableObs(ctx, tx, p, id); err != nil {
			return err
		}
		o, err = s.setKindTx(ctx, tx, p, o, kind, reason)
		return err
	})
	return o.Masked(), err
}

// setKindTx moves a loaded observation in progress to kind.
func (s *Store) setKindTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, o Observation, kind Kind, reason string) (Observation, error) {
	if o.Status != Active {
		return o, errs.New(errs.Conflict, "screening.err.not_active")
	}
	if o.Kind == kind {
		return o, nil
	}
	old := o.Kind
	if _, err := tx.ExecContext(ctx, `UPDATE observations SET kind = $1, updated_at = $2, version = version + 1 WHERE id = $3`,
		string(kind), s.now(), o.ID); err != nil {
		return o, errs.Wrap(err, "observation kind")
	}
	o.Kind = kind
	o.Version++
	today := s.Today()
	if err := s.change(ctx, tx, p, o.ID, ChangeKind, today, o.PlannedEnd, o.PlannedEnd, reason); err != nil {
		return o, err
	}
	if err := audit.Write(ctx, tx, audit.ActionUpdate, "observation", itoa(o.ID), o.DivisionID,
		map[string]any{"kind": old}, map[string]any{"kind": kind, "reason": reason}); err != nil {
		return o, err
	}
	if kind == Home {
		return o, s.ended(ctx, tx, Ended{Observations: []int64{o.ID}, How: EndHome, Day: today, Note: reason})
	}
	return o, nil
}
