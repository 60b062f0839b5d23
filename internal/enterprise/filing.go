package enterprise

import (
	"context"
	"database/sql"
	"errors"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

const filingCols = `f.id, f.enterprise_id, e.name, e.division_id, f.status, f.mode, f.planned_date, f.expected_local,
	f.expected_outside, f.expected_key_regions, f.masks_days, f.thermometers, f.disinfectant_days, f.isolation_area,
	f.isolation_note, f.commitment, f.notes, f.first_submitted_on, f.submitted_on, f.decided_on, f.resume_day,
	f.version, f.updated_at`

func scanFiling(row interface{ Scan(...any) error }) (Filing, error) {
	var f Filing
	var status, mode string
	err := row.Scan(&f.ID, &f.EnterpriseID, &f.EnterpriseName, &f.DivisionID, &status, &mode, &f.PlannedDate,
		&f.ExpectedLocal, &f.ExpectedOutside, &f.ExpectedKeyRegions, &f.MasksDays, &f.Thermometers, &f.DisinfectantDays,
		&f.IsolationArea, &f.IsolationNote, &f.Commitment, &f.Notes, &f.FirstSubmittedOn, &f.SubmittedOn,
		&f.DecidedOn, &f.ResumeDay, &f.Version, &f.UpdatedAt)
	f.Status, f.Mode = FilingStatus(status), Mode(mode)
	return f, err
}

// Submit files a resumption filing for an enterprise the caller may act for.
// Approval mode sends it to the township; notice-and-commitment mode makes it
// effective at once. An enterprise has one filing at a time: a returned one
// is changed and filed again (Resubmit), a refused one may be followed by a
// new one, an approved one needs no other.
func (s *Store) Submit(ctx context.Context, p *auth.Principal, enterpriseID int64, in FilingInput) (Filing, error) {
	mode, today := s.Mode(ctx), s.today()
	var f Filing
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		e, err := s.reach(ctx, tx, p, auth.PermEnterpriseFile, enterpriseID)
		if err != nil {
			return err
		}
		if e.FilingID != 0 && e.Status != Refused {
			return errs.New(errs.Conflict, "enterprise.err.filing_open")
		}
		if f, err = in.check(today, mode); err != nil {
			return err
		}
		to, _ := Next("", StepSubmit, mode)
		f.EnterpriseID, f.EnterpriseName, f.DivisionID, f.Status = e.ID, e.Name, e.DivisionID, to
		f.FirstSubmittedOn, f.SubmittedOn = today, today
		if to == FStatusEffective {
			f.DecidedOn, f.ResumeDay = today, resumeDay(f.PlannedDate, today)
		}
		if err := s.insertFiling(ctx, tx, &f); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enterprises SET current_filing_id = $1 WHERE id = $2`, f.ID, e.ID); err != nil {
			return err
		}
		if err := s.event(ctx, tx, p, f.ID, StepSubmit, "", to, ""); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "enterprise.filing", itoa(f.ID), e.DivisionID, nil, f)
	})
	if err != nil {
		return f, err
	}
	return s.Filing(ctx, p, enterpriseID, f.ID)
}

func (s *Store) insertFiling(ctx context.Context, tx *sql.Tx, f *Filing) error {
	now := s.now()
	err := tx.QueryRowContext(ctx, `INSERT INTO enterprise_filings (enterprise_id, status, mode, planned_date, expected_local,
		expected_outside, expected_key_regions, masks_days, thermometers, disinfectant_days, isolation_area, isolation_note,
		commitment, notes, first_submitted_on, submitted_on, decided_on, resume_day, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING id`,
		f.EnterpriseID, string(f.Status), string(f.Mode), f.PlannedDate, f.ExpectedLocal, f.ExpectedOutside,
		f.ExpectedKeyRegions, f.MasksDays, f.Thermometers, f.DisinfectantDays, f.IsolationArea, f.IsolationNote,
		f.Commitment, f.Notes, f.FirstSubmittedOn, f.SubmittedOn, f.DecidedOn, f.ResumeDay, now).Scan(&f.ID)
	if err != nil {
		return err
	}
	f.Version, f.UpdatedAt = 1, now
	return writeMeasures(ctx, tx, f.ID, f.Measures)
}

func writeMeasures(ctx context.Context, tx *sql.Tx, filingID int64, ms []MeasureCheck) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM enterprise_filing_measures WHERE filing_id = $1`, filingID); err != nil {
		return err
	}
	for _, m := range ms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO enterprise_filing_measures (filing_id, measure, done, note)
			VALUES ($1, $2, $3, $4)`, filingID, string(m.Measure), m.Done, m.Note); err != nil {
			return err
		}
	}
	return nil
}

// event records one timed step.
func (s *Store) event(ctx context.Context, tx *sql.Tx, p *auth.Principal, filingID int64, step Step, from, to FilingStatus, reasons string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO enterprise_filing_events (filing_id, step, from_status, to_status, day, at, actor, reasons)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, filingID, string(step), string(from), string(to), s.today(), s.now(),
		username(p), reasons)
	return err
}

// Resubmit changes a returned filing and files it again; in.Version must
// match the filing's version.
func (s *Store) Resubmit(ctx context.Context, p *auth.Principal, enterpriseID, filingID int64, in FilingInput) (Filing, error) {
	mode, today := s.Mode(ctx), s.today()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		e, err := s.reach(ctx, tx, p, auth.PermEnterpriseFile, enterpriseID)
		if err != nil {
			return err
		}
		old, err := filingOf(ctx, tx, e.ID, filingID)
		if err != nil {
			return err
		}
		to, ok := Next(old.Status, StepResubmit, mode)
		if !ok {
			return errs.New(errs.Conflict, "enterprise.err.bad_step")
		}
		f, err := in.check(today, mode)
		if err != nil {
			return err
		}
		if to == FStatusEffective {
			f.DecidedOn, f.ResumeDay = today, resumeDay(f.PlannedDate, today)
		}
		res, err := tx.ExecContext(ctx, `UPDATE enterprise_filings SET status = $1, mode = $2, planned_date = $3,
			expected_local = $4, expected_outside = $5, expected_key_regions = $6, masks_days = $7, thermometers = $8,
			disinfectant_days = $9, isolation_area = $10, isolation_note = $11, commitment = $12, notes = $13,
			submitted_on = $14, decided_on = $15, resume_day = $16, updated_at = $17, version = version + 1
			WHERE id = $18 AND version = $19 AND status = $20`,
			string(to), string(mode), f.PlannedDate, f.ExpectedLocal, f.ExpectedOutside, f.ExpectedKeyRegions, f.MasksDays,
			f.Thermometers, f.DisinfectantDays, f.IsolationArea, f.IsolationNote, f.Commitment, f.Notes, today,
			f.DecidedOn, f.ResumeDay, s.now(), filingID, in.Version, string(old.Status))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "errs.conflict")
		}
		if err := writeMeasures(ctx, tx, filingID, f.Measures); err != nil {
			return err
		}
		if err := s.event(ctx, tx, p, filingID, StepResubmit, old.Status, to, ""); err != nil {
			return err
		}
		f.ID, f.Status = filingID, to
		return audit.Write(ctx, tx, audit.ActionUpdate, "enterprise.filing", itoa(filingID), e.DivisionID, old, f)
	})
	if err != nil {
		return Filing{}, err
	}
	return s.Filing(ctx, p, enterpriseID, filingID)
}

// filingOf loads a filing of an enterprise (already in scope), with its measures.
func filingOf(ctx context.Context, q storage.Querier, enterpriseID, filingID int64) (Filing, error) {
	f, err := scanFiling(q.QueryRowContext(ctx, `SELECT `+filingCols+` FROM enterprise_filings f
		JOIN enterprises e ON e.id = f.enterprise_id WHERE f.id = $1 AND f.enterprise_id = $2`, filingID, enterpriseID))
	if errors.Is(err, sql.ErrNoRows) {
		return f, errs.NotFoundf()
	}
	if err != nil {
		return f, errs.Wrap(err, "filing get")
	}
	f.Measures, err = measuresOf(ctx, q, filingID)
	return f, err
}

func measuresOf(ctx context.Context, q storage.Querier, filingID int64) ([]MeasureCheck, error) {
	rows, err := q.QueryContext(ctx, `SELECT measure, done, note FROM enterprise_filing_measures WHERE filing_id = $1`, filingID)
	if err != nil {
		return nil, errs.Wrap(err, "filing measures")
	}
	defer rows.Close()
	got := map[Measure]MeasureCheck{}
	for rows.Next() {
		var m MeasureCheck
		var name string
		if err := rows.Scan(&name, &m.Done, &m.Note); err != nil {
			return nil, errs.Wrap(err, "measure scan")
		}
		m.Measure = Measure(name)
		got[m.Measure] = m
	}
	out := make([]MeasureCheck, 0, len(Measures))
	for _, m := range Measures {
		c := got[m]
		c.Measure = m
		out = append(out, c)
	}
	return out, rows.Err()
}

// Review is the township's step on a filing: pass it to the county or
// return it with reasons.
func (s *Store) Review(ctx context.Context, p *auth.Principal, enterpriseID, filingID int64, in DecisionInput) (Filing, error) {
	return s.decide(ctx, p, enterpriseID, filingID, in, reviewSteps, auth.PermEnterpriseReview)
}

// Decide is the county's step: approve, return for changes, or refuse, the
// last two with reasons.
func (s *Store) Decide(ctx context.Context, p *auth.Principal, enterpriseID, filingID int64, in DecisionInput) (Filing, error) {
	return s.decide(ctx, p, enterpriseID, filingID, in, decisionSteps, auth.PermEnterpriseDecide)
}

// decide applies a review or decision step. Whoever filed (or filed again)
// may not take it: nobody decides their own filing.
func (s *Store) decide(ctx context.Context, p *auth.Principal, enterpriseID, filingID int64, in DecisionInput,
	steps map[string]Step, perm auth.Perm) (Filing, error) {
	step, reasons, err := in.step(steps)
	if err != nil {
		return Filing{}, err
	}
	today := s.today()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		e, err := s.reach(ctx, tx, p, perm, enterpriseID)
		if err != nil {
			return err
		}
		f, err := filingOf(ctx, tx, e.ID, filingID)
		if err != nil {
			return err
		}
		if own, err := filedBy(ctx, tx, filingID, username(p)); err != nil || own {
			if err != nil {
				return err
			}
			return errs.New(errs.Forbidden, "enterprise.err.own_filing")
		}
		to, ok := Next(f.Status, step, f.Mode)
		if !ok {
			return errs.New(errs.Conflict, "enterprise.err.bad_step")
		}
		var decided, resume storage.Date
		switch to {
		case FStatusApproved:
			decided, resume = today, resumeDay(f.PlannedDate, today)
		case FStatusRefused:
			decided = today
		}
		res, err := tx.ExecContext(ctx, `UPDATE enterprise_filings SET status = $1, decided_on = $2, resume_day = $3,
			updated_at = $4, version = version + 1 WHERE id = $5 AND status = $6`,
			string(to), decided, resume, s.now(), filingID, string(f.Status))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "errs.conflict")
		}
		if err := s.event(ctx, tx, p, filingID, step, f.Status, to, reasons); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "enterprise.filing", itoa(filingID), e.DivisionID,
			map[string]any{"status": f.Status}, map[string]any{"status": to, "step": step, "reasons": reasons})
	})
	if err != nil {
		return Filing{}, err
	}
	return s.Filing(ctx, p, enterpriseID, filingID)
}

// filedBy reports whether user filed (or filed again) the filing.
func filedBy(ctx context.Context, q storage.Querier, filingID int64, user string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprise_filing_events WHERE filing_id = $1
		AND step IN ('submit', 'resubmit') AND actor = $2`, filingID, user).Scan(&n)
	return n > 0, err
}

// Filing returns one filing of an enterprise in scope, with its measures and timed steps.
func (s *Store) Filing(ctx context.Context, p *auth.Principal, enterpriseID, filingID int64) (Filing, error) {
	if _, err := s.get(ctx, s.DB.R, p, auth.PermEnterpriseRead, enterpriseID); err != nil {
		return Filing{}, err
	}
	f, err := filingOf(ctx, s.DB.R, enterpriseID, filingID)
	if err != nil {
		return f, err
	}
	f.Events, err = s.events(ctx, filingID)
	return f, err
}

func (s *Store) events(ctx context.Context, filingID int64) ([]Event, error) {
	cal := s.Calendar(ctx)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, step, from_status, to_status, day, at, actor, reasons
		FROM enterprise_filing_events WHERE filing_id = $1 ORDER BY id`, filingID)
	if err != nil {
		return nil, errs.Wrap(err, "filing events")
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var ev Event
		var step, from, to string
		if err := rows.Scan(&ev.ID, &step, &from, &to, &ev.Day, &ev.At, &ev.Actor, &ev.Reasons); err != nil {
			return nil, errs.Wrap(err, "filing event scan")
		}
		ev.Step, ev.From, ev.To = Step(step), FilingStatus(from), FilingStatus(to)
		if n := len(out); n > 0 {
			ev.WorkingDays = cal.WorkingDays(out[n-1].Day, ev.Day)
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// Filings lists an enterprise's filings, newest first (without steps).
func (s *Store) Filings(ctx context.Context, p *auth.Principal, enterpriseID int64) ([]Filing, error) {
	if _, err := s.get(ctx, s.DB.R, p, auth.PermEnterpriseRead, enterpriseID); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+filingCols+` FROM enterprise_filings f
		JOIN enterprises e ON e.id = f.enterprise_id WHERE f.enterprise_id = $1 ORDER BY f.id DESC`, enterpriseID)
	if err != nil {
		return nil, errs.Wrap(err, "filings")
	}
	defer rows.Close()
	out := []Filing{}
	for rows.Next() {
		f, err := scanFiling(rows)
		if err != nil {
			return nil, errs.Wrap(err, "filing scan")
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// QueueItem is one pending filing in a review queue.
type QueueItem struct {
	FilingID       int64        `json:"filing_id"`
	EnterpriseID   int64        `json:"enterprise_id"`
	EnterpriseName string       `json:"enterprise_name"`
	Township       string       `json:"township"`
	TownshipEN     string       `json:"-"`
	AboveSize      bool         `json:"above_size"`
	Status         FilingStatus `json:"status"`
	PlannedDate    storage.Date `json:"planned_date"`
	SubmittedOn    storage.Date `json:"submitted_on"`
	// Age is the working days since the latest submission, up to the day asked.
	Age     int  `json:"age_working_days"`
	Overdue bool `json:"overdue"`
}

// TownshipName is the township in lang.
func (q QueueItem) TownshipName(lang string) string {
	if lang == "en" && q.TownshipEN != "" {
		return q.TownshipEN
	}
	return q.Township
}

// Queue lists the filings pending now in the caller's scope, oldest first,
// aged in working days up to asOf. stage is "township", "county" or "" for both.
func (s *Store) Queue(ctx context.Context, p *auth.Principal, stage string, asOf storage.Date) ([]QueueItem, error) {
	var args storage.Args
	statuses := map[string]string{"township": "'filed'", "county": "'township_passed'", "": "'filed', 'township_passed'"}
	in, ok := statuses[stage]
	if !ok {
		return nil, errs.Field("stage", "errs.bad_choice")
	}
	// The settings first: read while the rows are open, they would hold a
	// second connection.
	limit, cal := s.AnswerDays(ctx), s.Calendar(ctx)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT f.id, e.id, e.name, COALESCE(t.name_zh, n.name_zh), COALESCE(t.name_en, n.name_en),
		e.above_size, f.status, f.planned_date, f.submitted_on
		FROM enterprise_filings f JOIN enterprises e ON e.id = f.enterprise_id JOIN org_nodes n ON n.id = e.division_id
		LEFT JOIN org_nodes t ON t.id = n.parent_id AND n.level = 'village'
		WHERE f.status IN (`+in+`) AND `+scopeSQL(p, auth.PermEnterpriseRead, &args)+`
		ORDER BY f.submitted_on, f.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "queue")
	}
	defer rows.Close()
	out := []QueueItem{}
	for rows.Next() {
		var q QueueItem
		var st string
		if err := rows.Scan(&q.FilingID, &q.EnterpriseID, &q.EnterpriseName, &q.Township, &q.TownshipEN, &q.AboveSize,
			&st, &q.PlannedDate, &q.SubmittedOn); err != nil {
			return nil, errs.Wrap(err, "queue scan")
		}
		q.Status = FilingStatus(st)
		q.Age = cal.WorkingDays(q.SubmittedOn, asOf)
		q.Overdue = q.Age > limit
		out = append(out, q)
	}
	return out, rows.Err()
}
