package screening

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
	"fangkong/internal/surveillance"
)

const alertCols = `a.id, a.observation_id, a.person_id, p.name, a.division_id, n.name_zh, n.name_en, a.followup_id, a.opened_on,
	a.temp_tenths, a.symptoms, a.stage, a.result, a.closed_on, a.hospital, a.case_id, a.version, a.created_at, a.updated_at`

const alertFrom = ` FROM alerts a JOIN persons p ON p.id = a.person_id JOIN org_nodes n ON n.id = a.division_id`

func scanAlert(row interface{ Scan(...any) error }) (Alert, error) {
	var a Alert
	var fu, caseID sql.NullInt64
	var tenths int64
	var symptoms, stage, result string
	err := row.Scan(&a.ID, &a.ObservationID, &a.PersonID, &a.PersonName, &a.DivisionID, &a.DivisionName, &a.DivisionNameEN, &fu, &a.OpenedOn,
		&tenths, &symptoms, &stage, &result, &a.ClosedOn, &a.Hospital, &caseID, &a.Version, &a.CreatedAt, &a.UpdatedAt)
	a.FollowUpID, a.CaseID, a.Temperature = fu.Int64, caseID.Int64, Degrees(tenths)
	a.Symptoms, a.Stage, a.Result = decodeSymptoms(symptoms), Stage(stage), Result(result)
	return a, err
}

// Masked returns a copy with the person's name masked.
func (a Alert) Masked() Alert {
	a.PersonName = privacy.MaskName(a.PersonName)
	return a
}

// Open reports whether the alert has no result yet.
func (a Alert) Open() bool { return a.Stage != StageClosed }

// openAlertTx opens an alert for a follow-up that found a fever or symptom,
// unless the observation has one open already (a recheck of a fever being
// handled is part of that alert, not a new one).
func (s *Store) openAlertTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, o Observation, f FollowUp) (*Alert, error) {
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM alerts WHERE observation_id = $1 AND stage <> 'closed'`, o.ID).Scan(&open); err != nil {
		return nil, errs.Wrap(err, "open alerts")
	}
	if open > 0 {
		return nil, nil
	}
	now := s.now()
	a := Alert{ObservationID: o.ID, PersonID: o.PersonID, PersonName: o.PersonName, DivisionID: o.DivisionID,
		DivisionNames: o.DivisionNames, FollowUpID: f.ID, OpenedOn: f.Day, Temperature: f.Temperature, Symptoms: f.Symptoms,
		Stage: StageOpened, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := tx.QueryRowContext(ctx, `INSERT INTO alerts (observation_id, person_id, division_id, followup_id, opened_on,
		temp_tenths, symptoms, stage, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'opened', $8, $8) RETURNING id`,
		o.ID, o.PersonID, o.DivisionID, f.ID, f.Day, Tenths(f.Temperature), encodeSymptoms(f.Symptoms), now).Scan(&a.ID)
	if err != nil {
		return nil, errs.Wrap(err, "alert insert")
	}
	ev := AlertEvent{Kind: EventOpened, At: s.slotTime(f.Day, f.Slot), Day: f.Day, CreatedBy: by(p), CreatedAt: now}
	if err := insertEvent(ctx, tx, a.ID, ev); err != nil {
		return nil, err
	}
	a.Events = []AlertEvent{ev}
	return &a, audit.Write(ctx, tx, audit.ActionCreate, "alert", itoa(a.ID), a.DivisionID, nil, a.Masked())
}

// slotTime is when a follow-up was taken: now for today's, the slot's usual
// hour (8:00, 16:00 county time) for an earlier day typed in late.
func (s *Store) slotTime(d storage.Date, slot Slot) time.Time {
	if !d.Before(s.Today().Time) {
		return s.now()
	}
	h := 8
	if slot == PM {
		h = 16
	}
	return time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, s.zone()).UTC()
}

func insertEvent(ctx context.Context, q storage.Querier, alertID int64, ev AlertEvent) error {
	_, err := q.ExecContext(ctx, `INSERT INTO alert_events (alert_id, kind, at, day, result, note, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, alertID, string(ev.Kind), ev.At, ev.Day, string(ev.Result), ev.Note,
		ev.CreatedBy, ev.CreatedAt)
	return errs.Wrap(err, "alert event")
}

// GetAlert returns an alert with its timeline, the name masked.
func (s *Store) GetAlert(ctx context.Context, p *auth.Principal, id int64) (Alert, error) {
	a, err := s.getAlert(ctx, s.DB.R, p, PermRead, id)
	if err != nil {
		return a, err
	}
	a.Events, err = s.events(ctx, id)
	return a.Masked(), err
}

func (s *Store) getAlert(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, id int64) (Alert, error) {
	var args storage.Args
	a, err := scanAlert(q.QueryRowContext(ctx, `SELECT `+alertCols+alertFrom+` WHERE a.id = `+args.Add(id)+` AND `+
		p.Scope(perm).SQL("a.division_id", &args), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return a, errs.NotFoundf()
	}
	return a, errs.Wrap(err, "alert get")
}

func (s *Store) events(ctx context.Context, alertID int64) ([]AlertEvent, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, kind, at, day, result, note, created_by, created_at
		FROM alert_events WHERE alert_id = $1 ORDER BY at, id`, alertID)
	if err != nil {
		return nil, errs.Wrap(err, "alert events")
	}
	defer rows.Close()
	var out []AlertEvent
	for rows.Next() {
		var e AlertEvent
		var kind, result string
		if err := rows.Scan(&e.ID, &kind, &e.At, &e.Day, &result, &e.Note, &e.CreatedBy, &e.CreatedAt); err != nil {
			return nil, errs.Wrap(err, "alert event scan")
		}
		e.Kind, e.Result = EventKind(kind), Result(result)
		out = append(out, e)
	}
	return out, rows.Err()
}

// alertsOf lists an observation's alerts.
func (s *Store) alertsOf(ctx context.Context, obsID int64) ([]Alert, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+alertCols+alertFrom+` WHERE a.observation_id = $1 ORDER BY a.id`, obsID)
	if err != nil {
		return nil, errs.Wrap(err, "observation alerts")
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, errs.Wrap(err, "alert scan")
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// eventInput is a checked AlertEventInput.
type eventInput struct {
	ev       AlertEvent
	hospital string
}

func (s *Store) checkEvent(in AlertEventInput) (eventInput, error) {
	var fc errs.FieldCollector
	e := eventInput{ev: AlertEvent{Kind: EventKind(strings.TrimSpace(in.Kind)), Result: Result(strings.TrimSpace(in.Result)),
		Note: strings.TrimSpace(in.Note)}, hospital: strings.TrimSpace(in.Hospital)}
	switch e.ev.Kind {
	case EventNotified, EventTransferred:
		e.ev.Result = ""
	case EventResult:
		if !e.ev.Result.Valid() {
			fc.Add("result", "errs.bad_choice")
		}
	default:
		fc.Add("kind", "errs.bad_choice")
	}
	fc.Check("note", validate.MaxLen(e.ev.Note, 500))
	fc.Check("hospital", validate.MaxLen(e.hospital, 100))
	e.ev.At = s.now()
	if at := strings.TrimSpace(in.At); at != "" {
		t, err := parseLocal(at, s.zone())
		switch {
		case err != nil:
			fc.Add("at", "screening.err.bad_time")
		case t.After(s.now().Add(5 * time.Minute)):
			fc.Add("at", "validate.date.future")
		default:
			e.ev.At = t
		}
	}
	e.ev.Day = storage.DateOf(e.ev.At, s.zone())
	return e, fc.Err()
}

// parseLocal reads a county-time "2020-02-18T09:30" (as a datetime-local
// input sends it) or "2020-02-18 09:30".
func parseLocal(s string, zone *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("bad time")
}

// AddAlertEvent records the next step of an alert's transfer task: hospital
// notified, transferred, or the result. Ruled out closes the alert and the
// observation goes on; suspected or confirmed closes it and ends the
// observation as transferred, and with CreateCase opens the surveillance
// case (the caller needs case.write over the village for that).
func (s *Store) AddAlertEvent(ctx context.Context, p *auth.Principal, id int64, in AlertEventInput) (Alert, error) {
	e, err := s.checkEvent(in)
	if err != nil {
		return Alert{}, err
	}
	a, err := s.writableAlert(ctx, s.DB.R, p, id)
	if err != nil {
		return a, err
	}
	if _, ok := NextStage(a.Stage, e.ev.Kind, e.ev.Result); !ok {
		return a, errs.Field("kind", "screening.err.bad_step")
	}
	caseID := int64(0)
	if in.CreateCase && (e.ev.Result == Suspected || e.ev.Result == Confirmed) {
		if caseID, err = s.openCase(ctx, p, a, e); err != nil {
			return a, err
		}
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if a, err = s.writableAlert(ctx, tx, p, id); err != nil {
			return err
		}
		return s.stepTx(ctx, tx, p, &a, e, caseID, in.Version)
	})
	if err != nil {
		return a, err
	}
	return s.GetAlert(ctx, p, id)
}

// writableAlert loads an alert for a write (NotFound, Forbidden as usual).
func (s *Store) writableAlert(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Alert, error) {
	a, err := s.getAlert(ctx, q, p, PermWrite, id)
	if errs.CodeOf(err) == errs.NotFound {
		if _, rerr := s.getAlert(ctx, q, p, PermRead, id); rerr == nil {
			return a, errs.Forbid()
		}
	}
	return a, err
}

// stepTx records one step on a loaded alert.
func (s *Store) stepTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, a *Alert, e eventInput, caseID, version int64) error {
	next, ok := NextStage(a.Stage, e.ev.Kind, e.ev.Result)
	switch {
	case !ok:
		return errs.Field("kind", "screening.err.bad_step")
	case version != 0 && version != a.Version:
		return errs.New(errs.Conflict, "errs.conflict")
	}
	var last time.Time
	err := tx.QueryRowContext(ctx, `SELECT at FROM alert_events WHERE alert_id = $1 ORDER BY at DESC LIMIT 1`, a.ID).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return errs.Wrap(err, "alert last event")
	}
	if e.ev.At.Before(last) {
		return errs.Field("at", "screening.err.before_last_step", last.In(s.zone()).Format("2006-01-02 15:04"))
	}
	e.ev.CreatedBy, e.ev.CreatedAt = by(p), s.now()
	if err := insertEvent(ctx, tx, a.ID, e.ev); err != nil {
		return err
	}
	before := a.Masked()
	a.Stage = next
	if e.hospital != "" {
		a.Hospital = e.hospital
	}
	if e.ev.Kind == EventResult {
		a.Result, a.ClosedOn = e.ev.Result, e.ev.Day
	}
	if caseID != 0 {
		a.CaseID = caseID
	}
	if _, err := tx.ExecContext(ctx, `UPDATE alerts SET stage = $1, result = $2, closed_on = $3, hospital = $4, case_id = $5,
		updated_at = $6, version = version + 1 WHERE id = $7`, string(a.Stage), string(a.Result), a.ClosedOn, a.Hospital,
		nullID(a.CaseID), e.ev.CreatedAt, a.ID); err != nil {
		return errs.Wrap(err, "alert update")
	}
	a.Version++
	if e.ev.Kind == EventTransferred {
		// The person has left for the hospital: a stay at a site ends with it.
		if err := s.ended(ctx, tx, Ended{Observations: []int64{a.ObservationID}, How: EndHospital, Day: e.ev.Day, Note: e.ev.Note}); err != nil {
			return err
		}
	}
	if e.ev.Result == Suspected || e.ev.Result == Confirmed {
		if err := s.transfer(ctx, tx, p, a, e.ev); err != nil {
			return err
		}
	}
	return audit.Write(ctx, tx, audit.ActionUpdate, "alert", itoa(a.ID), a.DivisionID, before,
		map[string]any{"step": e.ev.Kind, "at": e.ev.At, "result": e.ev.Result, "stage": a.Stage, "case_id": a.CaseID, "note": e.ev.Note})
}

// transfer ends the alert's observation as transferred on the result's day.
func (s *Store) transfer(ctx context.Context, tx *sql.Tx, p *auth.Principal, a *Alert, ev AlertEvent) error {
	o, err := s.getObs(ctx, tx, p, PermWrite, a.ObservationID)
	if err != nil || o.Status != Active {
		return err
	}
	day := ev.Day
	if day.Before(o.StartDate.Time) {
		day = o.StartDate
	}
	return s.end(ctx, tx, p, &o, Transferred, day, ev.Note)
}

// openCase opens the surveillance case of a suspected or confirmed result,
// from the person's full record.
func (s *Store) openCase(ctx context.Context, p *auth.Principal, a Alert, e eventInput) (int64, error) {
	if s.Cases == nil || !p.Can(auth.PermCaseWrite) {
		return 0, errs.Field("create_case", "screening.err.no_case_write")
	}
	pr, err := s.getPerson(ctx, s.DB.R, p, PermRead, a.PersonID)
	if err != nil {
		return 0, err
	}
	origin := surveillance.Local
	if pr.HasTag(TagReturnee) || pr.HasTag(TagKeyRegion) || pr.HasTag(TagOverseas) {
		origin = surveillance.Imported
	}
	hospital := e.hospital
	if hospital == "" {
		hospital = a.Hospital
	}
	c, err := s.Cases.Create(ctx, p, surveillance.Input{DivisionID: pr.DivisionID, Name: pr.Name, IDNumber: pr.IDNumber,
		Phone: pr.Phone, Address: pr.Address, Origin: string(origin), Hospital: hospital, OnsetDate: a.OpenedOn.String(),
		Notes: i18n.T(i18n.ZH, "screening.case_note", a.ID), Status: string(e.ev.Result), StatusDate: e.ev.Day.String()})
	if err != nil {
		if fe := errs.As(err).Fields; len(fe) > 0 && fe[0].Field == "division_id" {
			return 0, errs.Field("create_case", "screening.err.no_case_write")
		}
		return 0, err
	}
	return c.ID, nil
}
