package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// Store keeps the register, filings, reports and policies. Every read is
// filtered by the caller's scope in SQL — the divisions of their node grants
// plus the enterprises their enterprise grants name — so an enterprise
// outside it is "not found", never "forbidden".
type Store struct {
	DB *storage.DB
	// Now is the clock: the instant of every workflow step and, in Zone, the
	// county's day. The demo moves it through February 2020.
	Now  func() time.Time
	Zone *time.Location
	// Settings holds the filing mode and the answer limit; nil means the
	// defaults (approval, 2 working days).
	Settings *settings.Store
}

// NewStore is the store as the web layer configures it.
func NewStore(env *web.Env) *Store {
	return &Store{DB: env.DB, Now: func() time.Time { return env.Now() }, Zone: env.Zone, Settings: env.Settings}
}

// china is UTC+8, the county's zone when none is configured.
var china = time.FixedZone("CST", 8*3600)

func (s *Store) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// today is the county's current day.
func (s *Store) today() storage.Date {
	zone := s.Zone
	if zone == nil {
		zone = china
	}
	return storage.DateOf(s.now(), zone)
}

// Setting keys.
const (
	SettingMode       = "enterprise.filing_mode"
	SettingAnswerDays = "enterprise.answer_working_days"
)

// Mode is the county's filing mode.
func (s *Store) Mode(ctx context.Context) Mode {
	if s.Settings == nil {
		return ModeApproval
	}
	if v, _ := s.Settings.Get(ctx, SettingMode, ""); Mode(v) == ModeCommitment {
		return ModeCommitment
	}
	return ModeApproval
}

// AnswerDays is the answer limit in working days.
func (s *Store) AnswerDays(ctx context.Context) int {
	if s.Settings == nil {
		return DefaultAnswerDays
	}
	return s.Settings.Int(ctx, SettingAnswerDays, DefaultAnswerDays)
}

// scopeSQL limits the enterprise alias e to where p may use perm: the
// enterprises of the divisions in p's node scope, and those p's enterprise
// grants name. Nothing at all fails closed.
func scopeSQL(p *auth.Principal, perm auth.Perm, args *storage.Args) string {
	var parts []string
	if sc := p.Scope(perm); !sc.Empty() {
		parts = append(parts, sc.SQL("e.division_id", args))
	}
	if p != nil {
		if ids := p.ScopeIDs(auth.ScopeEnterprise, perm); len(ids) > 0 {
			ph := make([]string, len(ids))
			for i, id := range ids {
				ph[i] = args.Add(id)
			}
			parts = append(parts, "e.id IN ("+strings.Join(ph, ", ")+")")
		}
	}
	if len(parts) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// can reports whether p may use perm on enterprise e (loaded with its path).
func can(p *auth.Principal, perm auth.Perm, e Enterprise) bool {
	if p.Scope(perm).Contains(e.Path) {
		return true
	}
	if p == nil {
		return false
	}
	for _, id := range p.ScopeIDs(auth.ScopeEnterprise, perm) {
		if id == e.ID {
			return true
		}
	}
	return false
}

// enterpriseFrom is the FROM clause of every enterprise read: the division,
// its township (for a village) and the current filing.
const enterpriseFrom = ` FROM enterprises e JOIN org_nodes n ON n.id = e.division_id
	LEFT JOIN org_nodes t ON t.id = n.parent_id AND n.level = 'village'
	LEFT JOIN enterprise_filings f ON f.id = e.current_filing_id`

// enterpriseCols are read by scanEnterprise.
const enterpriseCols = `e.id, e.division_id, n.name_zh, n.name_en, n.path, COALESCE(t.id, n.id), COALESCE(t.name_zh, n.name_zh),
	COALESCE(t.name_en, n.name_en), e.name, e.credit_code, e.industry, e.address, e.above_size, e.key_project, e.employees,
	e.principal, e.officer, e.officer_phone, e.registered_on, COALESCE(e.current_filing_id, 0), COALESCE(f.status, ''),
	f.resume_day, (SELECT COUNT(*) FROM enterprise_suspensions s WHERE s.enterprise_id = e.id AND s.to_day IS NULL),
	e.version, e.updated_at`

// scanEnterprise reads enterpriseCols and derives the status as of today.
func scanEnterprise(row interface{ Scan(...any) error }, today storage.Date) (Enterprise, error) {
	var e Enterprise
	var fstatus string
	var suspended int
	err := row.Scan(&e.ID, &e.DivisionID, &e.DivisionName, &e.DivisionNameEN, &e.Path, &e.TownshipID, &e.TownshipName,
		&e.TownshipNameEN, &e.Name, &e.CreditCode, &e.Industry, &e.Address, &e.AboveSize, &e.KeyProject, &e.Employees,
		&e.Principal, &e.Officer, &e.OfficerPhone, &e.RegisteredOn, &e.FilingID, &fstatus, &e.ResumeDay, &suspended,
		&e.Version, &e.UpdatedAt)
	e.Status = statusOf(FilingStatus(fstatus), e.ResumeDay, suspended > 0, today)
	return e, err
}

// statusOf derives an enterprise's status from its latest filing.
func statusOf(f FilingStatus, resume storage.Date, suspended bool, today storage.Date) Status {
	switch f {
	case "":
		return NotFiled
	case FStatusApproved, FStatusEffective:
		switch {
		case suspended:
			return Suspended
		case resume.After(today.Time):
			return Scheduled
		}
		return Resumed
	}
	return Status(f)
}

// Create registers an enterprise in a township or village of the caller's
// enterprise.write scope.
func (s *Store) Create(ctx context.Context, p *auth.Principal, in Input) (Enterprise, error) {
	e, err := in.check()
	if err != nil {
		return e, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		id, err := s.insert(ctx, tx, p, e)
		if err != nil {
			return err
		}
		e, err = s.get(ctx, tx, p, auth.PermEnterpriseRead, id)
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "enterprise", itoa(id), e.DivisionID, nil, e.Masked())
	})
	return e, err
}

// insert writes a checked enterprise (also the import's row writer).
func (s *Store) insert(ctx context.Context, tx *sql.Tx, p *auth.Principal, e Enterprise) (int64, error) {
	if err := checkDivision(ctx, tx, p, e.DivisionID); err != nil {
		return 0, err
	}
	now := s.now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO enterprises (division_id, name, credit_code, industry, address, above_size,
		key_project, employees, principal, officer, officer_phone, registered_on, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
		e.DivisionID, e.Name, e.CreditCode, e.Industry, e.Address, e.AboveSize, e.KeyProject, e.Employees,
		e.Principal, e.Officer, e.OfficerPhone, s.today(), now).Scan(&id)
	if storage.IsUniqueViolation(err) {
		return 0, errs.Field("credit_code", "enterprise.err.credit_code_taken")
	}
	return id, err
}

// checkDivision requires a township or village in the caller's enterprise.write scope.
func checkDivision(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) error {
	var path, level string
	err := q.QueryRowContext(ctx, `SELECT path, level FROM org_nodes WHERE id = $1`, id).Scan(&path, &level)
	if err != nil || level == "county" || !p.Scope(auth.PermEnterpriseWrite).Contains(path) {
		return errs.Field("division_id", "enterprise.err.division_out_of_scope")
	}
	return nil
}

// Get returns one enterprise, personal data masked; NotFound outside scope.
func (s *Store) Get(ctx context.Context, p *auth.Principal, id int64) (Enterprise, error) {
	e, err := s.get(ctx, s.DB.R, p, auth.PermEnterpriseRead, id)
	return e.Masked(), err
}

func (s *Store) get(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, id int64) (Enterprise, error) {
	var args storage.Args
	query := `SELECT ` + enterpriseCols + enterpriseFrom + ` WHERE e.id = ` + args.Add(id) + ` AND ` + scopeSQL(p, perm, &args)
	e, err := scanEnterprise(q.QueryRowContext(ctx, query, args...), s.today())
	if errors.Is(err, sql.ErrNoRows) {
		return e, errs.NotFoundf()
	}
	return e, errs.Wrap(err, "enterprise get")
}

// reach loads an enterprise for an action needing perm: NotFound outside the
// caller's read scope, Forbidden inside it without perm.
func (s *Store) reach(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, id int64) (Enterprise, error) {
	e, err := s.get(ctx, q, p, auth.PermEnterpriseRead, id)
	if err != nil {
		return e, err
	}
	if !can(p, perm, e) {
		return e, errs.Forbid()
	}
	return e, nil
}

// Reveal returns an enterprise with its personal data in full and logs the
// reveal; it needs pii.reveal over the enterprise's division.
func (s *Store) Reveal(ctx context.Context, p *auth.Principal, id int64) (Enterprise, error) {
	e, err := s.get(ctx, s.DB.R, p, auth.PermEnterpriseRead, id)
	if err != nil {
		return e, err
	}
	if !p.Scope(auth.PermPIIReveal).Contains(e.Path) {
		return Enterprise{}, errs.Forbid()
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		return audit.Write(ctx, tx, audit.ActionReveal, "enterprise", itoa(id), e.DivisionID, nil,
			map[string]any{"fields": []string{"principal", "officer", "officer_phone"}})
	})
	return e, err
}

// Update changes an enterprise's register entry; in.Version must match.
func (s *Store) Update(ctx context.Context, p *auth.Principal, id int64, in Input) (Enterprise, error) {
	e, err := in.check()
	if err != nil {
		return e, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		old, err := s.reach(ctx, tx, p, auth.PermEnterpriseWrite, id)
		if err != nil {
			return err
		}
		if err := checkDivision(ctx, tx, p, e.DivisionID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE enterprises SET division_id = $1, name = $2, credit_code = $3, industry = $4,
			address = $5, above_size = $6, key_project = $7, employees = $8, principal = $9, officer = $10,
			officer_phone = $11, updated_at = $12, version = version + 1 WHERE id = $13 AND version = $14`,
			e.DivisionID, e.Name, e.CreditCode, e.Industry, e.Address, e.AboveSize, e.KeyProject, e.Employees,
			e.Principal, e.Officer, e.OfficerPhone, s.now(), id, in.Version)
		if storage.IsUniqueViolation(err) {
			return errs.Field("credit_code", "enterprise.err.credit_code_taken")
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "errs.conflict")
		}
		if e, err = s.get(ctx, tx, p, auth.PermEnterpriseRead, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "enterprise", itoa(id), e.DivisionID, old.Masked(), e.Masked())
	})
	return e.Masked(), err
}

// Suspend stops an approved enterprise's production from a day (停产).
func (s *Store) Suspend(ctx context.Context, p *auth.Principal, id int64, in SuspendInput) (Enterprise, error) {
	day, reason, err := in.check(s.today(), true)
	if err != nil {
		return Enterprise{}, err
	}
	var e Enterprise
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if e, err = s.reach(ctx, tx, p, auth.PermEnterpriseWrite, id); err != nil {
			return err
		}
		if e.Status == Suspended {
			return errs.New(errs.Conflict, "enterprise.err.already_suspended")
		}
		if e.Status != Resumed && e.Status != Scheduled {
			return errs.New(errs.Conflict, "enterprise.err.not_approved")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enterprise_suspensions (enterprise_id, from_day, reason, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5)`, id, day, reason, username(p), s.now()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "enterprise.suspension", itoa(id), e.DivisionID, nil,
			map[string]any{"from": day, "reason": reason})
	})
	if err != nil {
		return e, err
	}
	return s.Get(ctx, p, id)
}

// Lift ends an enterprise's suspension: it produces again from the day given.
func (s *Store) Lift(ctx context.Context, p *auth.Principal, id int64, in SuspendInput) (Enterprise, error) {
	day, reason, err := in.check(s.today(), false)
	if err != nil {
		return Enterprise{}, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		e, err := s.reach(ctx, tx, p, auth.PermEnterpriseWrite, id)
		if err != nil {
			return err
		}
		var sid int64
		var from storage.Date
		err = tx.QueryRowContext(ctx, `SELECT id, from_day FROM enterprise_suspensions WHERE enterprise_id = $1 AND to_day IS NULL`,
			id).Scan(&sid, &from)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.New(errs.Conflict, "enterprise.err.not_suspended")
		}
		if err != nil {
			return err
		}
		if !day.After(from.Time) {
			return errs.Field("day", "enterprise.err.lift_before_start", from.String())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enterprise_suspensions SET to_day = $1 WHERE id = $2`, day, sid); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "enterprise.suspension", itoa(id), e.DivisionID,
			map[string]any{"from": from}, map[string]any{"from": from, "to": day, "note": reason})
	})
	if err != nil {
		return Enterprise{}, err
	}
	return s.Get(ctx, p, id)
}

// Suspensions lists an enterprise's suspensions, newest first.
func (s *Store) Suspensions(ctx context.Context, p *auth.Principal, id int64) ([]Suspension, error) {
	if _, err := s.get(ctx, s.DB.R, p, auth.PermEnterpriseRead, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, from_day, to_day, reason, created_by FROM enterprise_suspensions
		WHERE enterprise_id = $1 ORDER BY from_day DESC, id DESC`, id)
	if err != nil {
		return nil, errs.Wrap(err, "suspensions")
	}
	defer rows.Close()
	out := []Suspension{}
	for rows.Next() {
		var x Suspension
		if err := rows.Scan(&x.ID, &x.From, &x.To, &x.Reason, &x.CreatedBy); err != nil {
			return nil, errs.Wrap(err, "suspension scan")
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func username(p *auth.Principal) string {
	if p == nil {
		return "system"
	}
	return p.Username
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// SettingsInput is the county's filing settings.
type SettingsInput struct {
	Mode       string `json:"filing_mode"`
	AnswerDays int    `json:"answer_working_days"`
	// Holidays are weekdays not worked, Workdays weekend days worked (调休);
	// left out (null) they are kept as they are, [] clears them.
	Holidays []storage.Date `json:"holidays"`
	Workdays []storage.Date `json:"workdays"`
}

// SaveSettings stores the filing mode and the answer limit (settings.write).
func (s *Store) SaveSettings(ctx context.Context, p *auth.Principal, in SettingsInput) error {
	if !p.Can(auth.PermSettings) {
		return errs.Forbid()
	}
	var fc errs.FieldCollector
	if Mode(in.Mode) != ModeApproval && Mode(in.Mode) != ModeCommitment {
		fc.Add("filing_mode", "errs.bad_choice")
	}
	if in.AnswerDays < 1 || in.AnswerDays > 30 {
		fc.Add("answer_working_days", "enterprise.err.answer_days")
	}
	checkCalendar(&fc, in.Holidays, in.Workdays)
	if err := fc.Err(); err != nil {
		return err
	}
	if s.Settings == nil {
		return errs.Wrap(fmt.Errorf("no settings store"), "enterprise settings")
	}
	if err := s.Settings.Set(ctx, SettingMode, in.Mode); err != nil {
		return errs.Wrap(err, "enterprise settings")
	}
	if err := s.Settings.Set(ctx, SettingAnswerDays, strconv.Itoa(in.AnswerDays)); err != nil {
		return errs.Wrap(err, "enterprise settings")
	}
	for key, days := range map[string][]storage.Date{SettingHolidays: in.Holidays, SettingWorkdays: in.Workdays} {
		if days == nil {
			continue
		}
		if err := s.Settings.Set(ctx, key, joinDays(days, ",")); err != nil {
			return errs.Wrap(err, "enterprise settings")
		}
	}
	return nil
}

// checkCalendar adds what is wrong with the two lists to fc: too many
// days, a worked "weekend" day that is a weekday, a day in both lists. A
// holiday on a weekend is accepted (official holiday periods list them)
// and changes nothing.
func checkCalendar(fc *errs.FieldCollector, holidays, workdays []storage.Date) {
	if len(holidays) > MaxCalendarDays {
		fc.Add("holidays", "enterprise.err.too_many_days", MaxCalendarDays)
	}
	if len(workdays) > MaxCalendarDays {
		fc.Add("workdays", "enterprise.err.too_many_days", MaxCalendarDays)
	}
	for _, d := range workdays {
		if !weekend(d) {
			fc.Add("workdays", "enterprise.err.workday_weekday", d.String())
			return
		}
		if containsDay(holidays, d) {
			fc.Add("workdays", "enterprise.err.day_in_both", d.String())
			return
		}
	}
}
