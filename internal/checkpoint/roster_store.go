package checkpoint

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// RosterRules reads the roster settings in force.
func (s *Store) RosterRules(ctx context.Context) RosterRules {
	r := DefaultRosterRules(s.Zone)
	if s.Settings != nil {
		r.Rest = time.Duration(s.Settings.Int(ctx, SettingRestHours, DefaultRestHours)) * time.Hour
		r.WeekMax = time.Duration(s.Settings.Int(ctx, SettingWeekMaxHours, DefaultWeekMaxHours)) * time.Hour
	}
	return r
}

// PersonInput is a duty person as typed.
type PersonInput struct {
	DivisionID int64  `json:"division_id"`
	Name       string `json:"name"`
	Phone      string `json:"phone"`
	Kind       string `json:"kind"`
	Username   string `json:"username"`
	Available  bool   `json:"available"`
	Version    int64  `json:"version"`
}

func (in PersonInput) check() (DutyPerson, error) {
	var fc errs.FieldCollector
	d := DutyPerson{DivisionID: in.DivisionID, Name: strings.TrimSpace(in.Name), Kind: PersonKind(in.Kind),
		Username: strings.TrimSpace(in.Username), Available: in.Available, Version: in.Version}
	if d.Name == "" || len([]rune(d.Name)) > 40 {
		fc.Add("name", "errs.required")
	}
	if p := strings.TrimSpace(in.Phone); p != "" {
		ph, err := validate.Mobile(p)
		if fc.Check("phone", err) {
			d.Phone = ph
		}
	}
	if !d.Kind.Valid() {
		fc.Add("kind", "checkpoint_roster.err_kind")
	}
	if in.DivisionID <= 0 {
		fc.Add("division_id", "errs.required")
	}
	return d, fc.Err()
}

const personCols = `d.id, d.division_id, n.name_zh, n.name_en, d.name, d.phone, d.kind, d.username, d.available, d.version`

func scanPerson(row interface{ Scan(...any) error }) (DutyPerson, error) {
	var d DutyPerson
	var kind string
	err := row.Scan(&d.ID, &d.DivisionID, &d.DivisionName, &d.DivisionNameEN, &d.Name, &d.Phone, &kind, &d.Username, &d.Available, &d.Version)
	d.Kind = PersonKind(kind)
	return d, err
}

// People lists the duty pool in the caller's territory (node scope of
// roster.write: the pool is the township's business), phones unmasked; the
// caller masks them for lists. divisionID narrows to a subtree.
func (s *Store) People(ctx context.Context, p *auth.Principal, divisionID int64) ([]DutyPerson, error) {
	var args storage.Args
	where := p.Scope(PermRosterWrite).SQL("d.division_id", &args)
	if divisionID != 0 {
		var path string
		if err := s.DB.R.QueryRowContext(ctx, `SELECT path FROM org_nodes WHERE id = $1`, divisionID).Scan(&path); err != nil {
			return nil, errs.NotFoundf()
		}
		where += " AND n.path LIKE " + args.Add(path+"%")
	}
	return s.queryPeople(ctx, s.DB.R, `SELECT `+personCols+` FROM checkpoint_duty_people d JOIN org_nodes n ON n.id = d.division_id
		WHERE `+where+` ORDER BY n.code, d.kind, d.name, d.id`, args...)
}

func (s *Store) queryPeople(ctx context.Context, q storage.Querier, query string, args ...any) ([]DutyPerson, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, errs.Wrap(err, "duty people")
	}
	defer rows.Close()
	out := []DutyPerson{}
	for rows.Next() {
		d, err := scanPerson(rows)
		if err != nil {
			return nil, errs.Wrap(err, "duty person scan")
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SavePerson adds (id 0) or changes a duty person in the caller's territory.
func (s *Store) SavePerson(ctx context.Context, p *auth.Principal, id int64, in PersonInput) (DutyPerson, error) {
	d, err := in.check()
	if err != nil {
		return d, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var path string
		err := tx.QueryRowContext(ctx, `SELECT name_zh, name_en, path FROM org_nodes WHERE id = $1`, d.DivisionID).
			Scan(&d.DivisionName, &d.DivisionNameEN, &path)
		if err != nil || !p.Scope(PermRosterWrite).Contains(path) {
			return errs.Field("division_id", "checkpoint.division_out_of_scope")
		}
		now := time.Now().UTC()
		if id == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO checkpoint_duty_people (division_id, name, phone, kind, username, available,
				created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
				d.DivisionID, d.Name, d.Phone, string(d.Kind), d.Username, d.Available, now).Scan(&d.ID)
			if err != nil {
				return errs.Wrap(err, "duty person insert")
			}
			d.Version = 1
			return audit.Write(ctx, tx, audit.ActionCreate, "duty_person", itoa(d.ID), d.DivisionID, nil, d)
		}
		var args storage.Args
		old, err := scanPerson(tx.QueryRowContext(ctx, `SELECT `+personCols+` FROM checkpoint_duty_people d JOIN org_nodes n ON n.id = d.division_id
			WHERE d.id = `+args.Add(id)+` AND `+p.Scope(PermRosterWrite).SQL("d.division_id", &args), args...))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundf()
		} else if err != nil {
			return errs.Wrap(err, "duty person get")
		}
		res, err := tx.ExecContext(ctx, `UPDATE checkpoint_duty_people SET division_id = $1, name = $2, phone = $3, kind = $4,
			username = $5, available = $6, updated_at = $7, version = version + 1 WHERE id = $8 AND version = $9`,
			d.DivisionID, d.Name, d.Phone, string(d.Kind), d.Username, d.Available, now, id, in.Version)
		if err != nil {
			return errs.Wrap(err, "duty person update")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "errs.conflict")
		}
		d.ID, d.Version = id, in.Version+1
		return audit.Write(ctx, tx, audit.ActionUpdate, "duty_person", itoa(id), d.DivisionID, old, d)
	})
	return d, err
}

// forWrite returns checkpoint id if p may keep its roster: out of read scope
// is NotFound, readable but not writable is Forbidden.
func (s *Store) forWrite(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, id int64) (Checkpoint, error) {
	c, err := s.get(ctx, q, p, perm, id)
	if errs.CodeOf(err) == errs.NotFound {
		if _, rerr := s.get(ctx, q, p, auth.PermCheckpointRead, id); rerr == nil {
			return c, errs.Forbid()
		}
	}
	return c, err
}

// Pattern returns a checkpoint's shift pattern (the default 3×8 h, two a
// shift, when none is saved).
func (s *Store) Pattern(ctx context.Context, p *auth.Principal, cp int64) (Pattern, error) {
	if _, err := s.Get(ctx, p, cp); err != nil {
		return Pattern{}, err
	}
	return s.pattern(ctx, s.DB.R, cp)
}

func (s *Store) pattern(ctx context.Context, q storage.Querier, cp int64) (Pattern, error) {
	pt := Pattern{CheckpointID: cp}
	var kind string
	var min int64
	err := q.QueryRowContext(ctx, `SELECT kind, custom, min_staff, version FROM checkpoint_shift_patterns WHERE checkpoint_id = $1`, cp).
		Scan(&kind, &pt.Custom, &min, &pt.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultPattern(cp), nil
	}
	pt.Kind, pt.MinStaff = PatternKind(kind), int(min)
	return pt, errs.Wrap(err, "pattern")
}

// PatternInput is a shift pattern as typed.
type PatternInput struct {
	Kind     string `json:"kind"`
	Custom   string `json:"custom"`
	MinStaff int    `json:"min_staff"`
}

// SavePattern sets a checkpoint's shift pattern; shifts already laid keep
// their times.
func (s *Store) SavePattern(ctx context.Context, p *auth.Principal, cp int64, in PatternInput) (Pattern, error) {
	pt := Pattern{CheckpointID: cp, Kind: PatternKind(in.Kind), Custom: strings.TrimSpace(in.Custom), MinStaff: in.MinStaff}
	var fc errs.FieldCollector
	switch pt.Kind {
	case ThreeEight, TwoTwelve:
		pt.Custom = ""
	case Custom:
		if _, err := pt.Windows(); err != nil {
			fc.Add("custom", "checkpoint_roster.err_custom")
		}
	default:
		fc.Add("kind", "checkpoint_roster.err_pattern")
	}
	if pt.MinStaff < 1 || pt.MinStaff > 20 {
		fc.Add("min_staff", "checkpoint_roster.err_min_staff")
	}
	if err := fc.Err(); err != nil {
		return pt, err
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.forWrite(ctx, tx, p, PermRosterWrite, cp)
		if err != nil {
			return err
		}
		old, err := s.pattern(ctx, tx, cp)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		err = tx.QueryRowContext(ctx, `INSERT INTO checkpoint_shift_patterns (checkpoint_id, kind, custom, min_staff, updated_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (checkpoint_id) DO UPDATE SET kind = $2, custom = $3, min_staff = $4,
			updated_at = $5, version = checkpoint_shift_patterns.version + 1 RETURNING version`,
			cp, string(pt.Kind), pt.Custom, pt.MinStaff, now).Scan(&pt.Version)
		if err != nil {
			return errs.Wrap(err, "pattern save")
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "shift_pattern", itoa(cp), c.DivisionID, old, pt)
	})
	return pt, err
}

func itoa64(ids []int64, args *storage.Args) string {
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = args.Add(id)
	}
	return strings.Join(ph, ", ")
}
