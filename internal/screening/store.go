package screening

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
	"fangkong/internal/surveillance"
)

// Store keeps the register, observations, follow-ups and alerts. Every read
// carries the caller's scope in its SQL: a record outside it is "not found".
type Store struct {
	DB *storage.DB
	// Today is the county's current day; dates after it are refused.
	Today func() storage.Date
	// Now is the clock (for the morning cutoff of follow-ups and timeline
	// times); nil means time.Now. Zone is the county's zone (nil: UTC+8).
	Now  func() time.Time
	Zone *time.Location
	// Settings holds the county's rules; nil means DefaultRules.
	Settings *settings.Store
	// Cases opens surveillance cases from confirmed alerts; nil disables it.
	Cases *surveillance.Store
	// Steps are other modules' parts in merges and in the ends of
	// observations (set by the app wiring; see Steps).
	Steps Steps
}

// now is the current instant in UTC.
func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// zone is the county's zone.
func (s *Store) zone() *time.Location {
	if s.Zone != nil {
		return s.Zone
	}
	return time.FixedZone("CST", 8*3600)
}

// Rules reads the county's current rules, falling back to the defaults for
// any setting that is unset or unreadable.
func (s *Store) Rules(ctx context.Context) Rules {
	r := DefaultRules
	if s.Settings == nil {
		return r
	}
	r.PeriodDays = clamp(s.Settings.Int(ctx, SettingPeriod, r.PeriodDays), MinPeriod, MaxPeriod)
	if b := Basis(s.get(ctx, SettingReturneeBasis)); b == FromArrival || b == FromTest || b == FromStart {
		r.ReturneeBasis = b
	}
	if b := Basis(s.get(ctx, SettingContactBasis)); b == FromExposure || b == FromTest || b == FromStart {
		r.ContactBasis = b
	}
	if t := Tenths(s.Settings.Float(ctx, SettingFever, 0)); t >= MinFeverTenths && t <= MaxFeverTenths {
		r.FeverTenths = t
	}
	switch s.get(ctx, SettingFeverInclusive) {
	case "false":
		r.FeverInclusive = false
	case "true":
		r.FeverInclusive = true
	}
	r.SelfRegPerHour = clamp(s.Settings.Int(ctx, SettingSelfRegPerHour, r.SelfRegPerHour), 1, 1000)
	r.AMCutoffHour = clamp(s.Settings.Int(ctx, SettingAMCutoff, r.AMCutoffHour), 1, 23)
	return r
}

func (s *Store) get(ctx context.Context, key string) string {
	v, _ := s.Settings.Get(ctx, key, "")
	return v
}

func clamp(n, lo, hi int) int { return max(lo, min(hi, n)) }

// by names the actor of a write.
func by(p *auth.Principal) string {
	if p == nil {
		return "system"
	}
	return p.Username
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// personCols are read with FROM persons p JOIN org_nodes n ON n.id = p.division_id.
const personCols = `p.id, p.division_id, n.name_zh, n.name_en, p.name, p.id_number, p.sex, p.birth_date, p.phone, p.address,
	p.workplace, p.tags, p.source, p.screened_on, p.notes, p.merged_into, p.version, p.created_by, p.created_at, p.updated_at`

func scanPerson(row interface{ Scan(...any) error }, extra ...any) (Person, error) {
	var p Person
	var tags, source string
	var merged sql.NullInt64
	dst := []any{&p.ID, &p.DivisionID, &p.DivisionName, &p.DivisionNameEN, &p.Name, &p.IDNumber, &p.Sex, &p.BirthDate, &p.Phone, &p.Address,
		&p.Workplace, &tags, &source, &p.ScreenedOn, &p.Notes, &merged, &p.Version, &p.CreatedBy, &p.CreatedAt, &p.UpdatedAt}
	err := row.Scan(append(dst, extra...)...)
	p.Tags, p.Source, p.MergedInto = decodeTags(tags), Source(source), merged.Int64
	return p, err
}

// Duplicate is the pointer a refused registration carries: the record the
// person already has, found by the same ID number or the same name and phone.
type Duplicate struct {
	ID int64
	By string // "id_number" or "name_phone"
	// Visible says whether the caller may open the existing record; if not,
	// it lies in another village and the township must move or merge it.
	Visible bool
}

func (d *Duplicate) Error() string { return "duplicate of person " + itoa(d.ID) + " by " + d.By }

// DuplicateOf finds the pointer in an error returned by Create, Update or an
// import.
func DuplicateOf(err error) (*Duplicate, bool) {
	var d *Duplicate
	ok := errors.As(err, &d)
	return d, ok
}

// Msg is the message of a duplicate, for forms and import rows.
func (d *Duplicate) Msg() i18n.Msg {
	key := "screening.err.duplicate_id"
	if d.By == "name_phone" {
		key = "screening.err.duplicate_name_phone"
	}
	if !d.Visible {
		key += "_elsewhere"
	}
	return i18n.Msg{Key: key, Args: []any{d.ID}}
}

// field is the form field a duplicate is reported on.
func (d *Duplicate) field() string {
	if d.By == "name_phone" {
		return "phone"
	}
	return "id_number"
}

// duplicateErr is the Conflict answer for a second registration.
func duplicateErr(d *Duplicate) error {
	e := errs.New(errs.Conflict, "screening.err.duplicate", d.ID)
	e.Fields = []errs.FieldError{{Field: d.field(), Msg: d.Msg()}}
	e.Err = d
	return e
}

// findDuplicate looks for a live record with the same ID number, or the same
// name and phone, other than self. A merged record leads to the record it
// was merged into.
func (s *Store) findDuplicate(ctx context.Context, q storage.Querier, p *auth.Principal, idNumber, name, phone string, self int64) (*Duplicate, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, merged_into, id_number FROM persons
		WHERE (id_number = $1 OR (phone <> '' AND phone = $2 AND name = $3)) AND id <> $4`, idNumber, phone, name, self)
	if err != nil {
		return nil, errs.Wrap(err, "person duplicates")
	}
	var found *Duplicate
	var merged sql.NullInt64
	for rows.Next() {
		var id int64
		var num string
		if err := rows.Scan(&id, &merged, &num); err != nil {
			rows.Close()
			return nil, errs.Wrap(err, "person duplicates scan")
		}
		d := &Duplicate{ID: id, By: "name_phone"}
		if num == idNumber {
			d.By = "id_number"
		}
		if merged.Valid {
			d.ID = merged.Int64
		}
		if found == nil || d.By == "id_number" {
			found = d
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || found == nil {
		return nil, errs.Wrap(err, "person duplicates")
	}
	if found.ID, err = liveID(ctx, q, found.ID); err != nil {
		return nil, err
	}
	if found.ID == self {
		return nil, nil // the record merged into this one
	}
	found.Visible = s.visible(ctx, q, p, found.ID)
	return found, nil
}

// liveID follows merged_into to the record that holds the person now.
func liveID(ctx context.Context, q storage.Querier, id int64) (int64, error) {
	for range 16 {
		var next sql.NullInt64
		if err := q.QueryRowContext(ctx, `SELECT merged_into FROM persons WHERE id = $1`, id).Scan(&next); err != nil {
			return id, errs.Wrap(err, "person merged_into")
		}
		if !next.Valid {
			return id, nil
		}
		id = next.Int64
	}
	return id, nil
}

// visible reports whether person id lies in the caller's read scope.
func (s *Store) visible(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) bool {
	var args storage.Args
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM persons p WHERE p.id = `+args.Add(id)+` AND `+
		p.Scope(PermRead).SQL("p.division_id", &args), args...).Scan(&n)
	return err == nil && n > 0
}

// village checks that id is a village (or community) in the caller's scope
// for perm and returns its path.
func village(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, id int64, field string) (string, error) {
	var path, level string
	err := q.QueryRowContext(ctx, `SELECT path, level FROM org_nodes WHERE id = $1`, id).Scan(&path, &level)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !p.Scope(perm).Contains(path)) {
		return "", errs.Field(field, "screening.err.village_out_of_scope")
	}
	if err != nil {
		return "", errs.Wrap(err, "village")
	}
	if org.Level(level) != org.Village {
		return "", errs.Field(field, "screening.err.not_a_village")
	}
	return path, nil
}

// insertPerson stores a checked person and returns its id.
func insertPerson(ctx context.Context, tx *sql.Tx, pr Person, source Source, actor string, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO persons (division_id, name, id_number, sex, birth_date, phone, address,
		workplace, tags, source, screened_on, notes, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
		pr.DivisionID, pr.Name, pr.IDNumber, pr.Sex, pr.BirthDate, pr.Phone, pr.Address, pr.Workplace,
		encodeTags(pr.Tags), string(source), pr.ScreenedOn, pr.Notes, actor, now).Scan(&id)
	if storage.IsUniqueViolation(err) {
		// Registered by someone else between the check and the insert.
		return 0, errs.Field("id_number", "screening.err.duplicate_race")
	}
	return id, err
}

// insertTravel stores a checked journey.
func insertTravel(ctx context.Context, q storage.Querier, personID int64, t Travel, actor string, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO person_travels (person_id, from_place, via, transport, transport_no,
		arrived_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		personID, t.From, t.Via, string(t.Transport), t.TransportNo, t.ArrivedOn, actor, now).Scan(&id)
	return id, err
}

// Get returns a person with travels, observations and merges, personal data
// masked; NotFound outside the caller's scope.
func (s *Store) Get(ctx context.Context, p *auth.Principal, id int64) (Person, error) {
	pr, err := s.getPerson(ctx, s.DB.R, p, PermRead, id)
	if err != nil {
		return pr, err
	}
	if err := s.details(ctx, p, &pr); err != nil {
		return pr, err
	}
	return pr.Masked(), nil
}

func (s *Store) getPerson(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, id int64) (Person, error) {
	var args storage.Args
	pr, err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personCols+` FROM persons p JOIN org_nodes n ON n.id = p.division_id
		WHERE p.id = `+args.Add(id)+` AND `+p.Scope(perm).SQL("p.division_id", &args), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return pr, errs.NotFoundf()
	}
	return pr, errs.Wrap(err, "person get")
}

// writablePerson loads a person for a write: NotFound outside read scope,
// Forbidden in read scope but outside write scope, Conflict once merged.
func (s *Store) writablePerson(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Person, error) {
	pr, err := s.getPerson(ctx, q, p, PermWrite, id)
	if errs.CodeOf(err) == errs.NotFound {
		if _, rerr := s.getPerson(ctx, q, p, PermRead, id); rerr == nil {
			return pr, errs.Forbid()
		}
	}
	if err == nil && pr.MergedInto != 0 {
		return pr, errs.New(errs.Conflict, "screening.err.merged", pr.MergedInto)
	}
	return pr, err
}

// details fills a person's travels, observations and merges.
func (s *Store) details(ctx context.Context, p *auth.Principal, pr *Person) error {
	var err error
	if pr.Travels, err = s.travels(ctx, pr.ID); err != nil {
		return err
	}
	if pr.Observations, err = s.observationsOf(ctx, p, pr.ID); err != nil {
		return err
	}
	pr.Merges, err = s.merges(ctx, pr.ID)
	return err
}

func (s *Store) travels(ctx context.Context, personID int64) ([]Travel, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, person_id, from_place, via, transport, transport_no, arrived_on,
		created_by, created_at FROM person_travels WHERE person_id = $1 ORDER BY arrived_on DESC, id DESC`, personID)
	if err != nil {
		return nil, errs.Wrap(err, "travels")
	}
	defer rows.Close()
	var out []Travel
	for rows.Next() {
		var t Travel
		var tr string
		if err := rows.Scan(&t.ID, &t.PersonID, &t.From, &t.Via, &tr, &t.TransportNo, &t.ArrivedOn, &t.CreatedBy, &t.CreatedAt); err != nil {
			return nil, errs.Wrap(err, "travel scan")
		}
		t.Transport = Transport(tr)
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *Store) merges(ctx context.Context, personID int64) ([]Merge, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, kept_id, merged_id, reason, moved_json, created_by, created_at
		FROM person_merges WHERE kept_id = $1 OR merged_id = $1 ORDER BY id`, personID)
	if err != nil {
		return nil, errs.Wrap(err, "merges")
	}
	defer rows.Close()
	var out []Merge
	for rows.Next() {
		var m Merge
		if err := rows.Scan(&m.ID, &m.KeptID, &m.MergedID, &m.Reason, &m.Moved, &m.CreatedBy, &m.CreatedAt); err != nil {
			return nil, errs.Wrap(err, "merge scan")
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// normalizeIDNumber is the form an ID number is looked up by.
func normalizeIDNumber(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
