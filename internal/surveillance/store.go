package surveillance

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
)

// Store keeps cases. Every read is filtered by the caller's scope in SQL: a
// case outside it is "not found", never "forbidden", so its existence leaks no
// more than its content.
type Store struct {
	DB *storage.DB
	// Today is the county's current day; dates after it are refused.
	Today func() storage.Date
	// Settings holds the cluster rule settings; nil means the 2020 defaults.
	Settings *settings.Store
	// ClusterSource, when set, adds contact tracing's exposures to cluster
	// detection (see ClusterSource); nil counts the case records' settings only.
	ClusterSource ClusterSource
}

const caseCols = `c.id, c.division_id, n.name_zh, n.name_en, c.name, c.id_number, c.sex, c.birth_date, c.phone, c.address,
	c.origin, c.hospital, c.onset_date, c.setting, c.notes, c.status, c.status_date, c.version, c.updated_at`

func scanCase(row interface{ Scan(...any) error }) (Case, error) {
	var c Case
	var origin, status string
	err := row.Scan(&c.ID, &c.DivisionID, &c.DivisionName, &c.DivisionNameEN, &c.Name, &c.IDNumber, &c.Sex, &c.BirthDate, &c.Phone,
		&c.Address, &origin, &c.Hospital, &c.OnsetDate, &c.Setting, &c.Notes, &status, &c.StatusDate, &c.Version, &c.UpdatedAt)
	c.Origin, c.Status = Origin(origin), Status(status)
	return c, err
}

// Create opens a case with its first status event. The division must lie in
// the caller's case.write scope.
func (s *Store) Create(ctx context.Context, p *auth.Principal, in Input) (Case, error) {
	c, err := in.check(s.Today(), true)
	if err != nil {
		return c, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := writableDivision(ctx, tx, p, &c); err != nil {
			return err
		}
		now := time.Now().UTC()
		err = tx.QueryRowContext(ctx, `INSERT INTO cases (division_id, name, id_number, sex, birth_date, phone, address,
			origin, hospital, onset_date, setting, notes, status, status_date, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
			c.DivisionID, c.Name, c.IDNumber, c.Sex, c.BirthDate, c.Phone, c.Address, string(c.Origin), c.Hospital,
			c.OnsetDate, c.Setting, c.Notes, string(c.Status), c.StatusDate, now).Scan(&c.ID)
		if err != nil {
			return err
		}
		c.Version, c.UpdatedAt = 1, now
		if err := insertEvent(ctx, tx, p, c.ID, c.Status, c.StatusDate, ""); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "case", strconv.FormatInt(c.ID, 10), c.DivisionID, nil, c.Masked())
	})
	return c, err
}

func divisionPath(ctx context.Context, q storage.Querier, id int64) (string, error) {
	var path string
	err := q.QueryRowContext(ctx, `SELECT path FROM org_nodes WHERE id = $1`, id).Scan(&path)
	return path, err
}

// writableDivision checks that c's division is in the caller's case.write
// scope and fills its names, so a created or updated case is answered (and
// audited) with them.
func writableDivision(ctx context.Context, q storage.Querier, p *auth.Principal, c *Case) error {
	var path string
	err := q.QueryRowContext(ctx, `SELECT path, name_zh, name_en FROM org_nodes WHERE id = $1`, c.DivisionID).
		Scan(&path, &c.DivisionName, &c.DivisionNameEN)
	if err != nil || !p.Scope(auth.PermCaseWrite).Contains(path) {
		return errs.Field("division_id", "surveillance.division_out_of_scope")
	}
	return nil
}

func insertEvent(ctx context.Context, q storage.Querier, p *auth.Principal, caseID int64, kind Status, day storage.Date, note string) error {
	by := "system"
	if p != nil {
		by = p.Username
	}
	_, err := q.ExecContext(ctx, `INSERT INTO case_events (case_id, kind, day, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		caseID, string(kind), day, note, by, time.Now().UTC())
	return err
}

// Get returns a case with its events, personal data masked; NotFound outside
// the caller's scope.
func (s *Store) Get(ctx context.Context, p *auth.Principal, id int64) (Case, error) {
	c, err := s.get(ctx, s.DB.R, p, auth.PermCaseRead, id)
	if err != nil {
		return c, err
	}
	c.Events, err = s.events(ctx, id)
	return c.Masked(), err
}

func (s *Store) get(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, id int64) (Case, error) {
	var args storage.Args
	query := `SELECT ` + caseCols + ` FROM cases c JOIN org_nodes n ON n.id = c.division_id
		WHERE c.id = ` + args.Add(id) + ` AND ` + p.Scope(perm).SQL("c.division_id", &args)
	c, err := scanCase(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.NotFoundf()
	}
	return c, errs.Wrap(err, "case get")
}

// Reveal returns a case with personal data in full and writes the reveal to
// the audit log; it needs pii.reveal over the case's division.
func (s *Store) Reveal(ctx context.Context, p *auth.Principal, id int64) (Case, error) {
	if _, err := s.get(ctx, s.DB.R, p, auth.PermCaseRead, id); err != nil {
		return Case{}, err
	}
	var c Case
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = s.get(ctx, tx, p, auth.PermPIIReveal, id); err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				return errs.Forbid()
			}
			return err
		}
		return audit.Write(ctx, tx, audit.ActionReveal, "case", strconv.FormatInt(id, 10), c.DivisionID, nil,
			map[string]any{"fields": []string{"name", "id_number", "phone", "address"}})
	})
	if err != nil {
		return c, err
	}
	c.Events, err = s.events(ctx, id)
	return c, err
}

func (s *Store) events(ctx context.Context, caseID int64) ([]Event, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, kind, day, note, created_by, created_at FROM case_events
		WHERE case_id = $1 ORDER BY day, id`, caseID)
	if err != nil {
		return nil, errs.Wrap(err, "case events")
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var kind string
		if err := rows.Scan(&e.ID, &kind, &e.Day, &e.Note, &e.CreatedBy, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.Kind = Status(kind)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Update changes a case's details (not its status: see AddEvent). in.Version
// must match the stored version, so two cadres editing at once cannot silently
// overwrite each other.
func (s *Store) Update(ctx context.Context, p *auth.Principal, id int64, in Input) (Case, error) {
	c, err := in.check(s.Today(), false)
	if err != nil {
		return c, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		old, err := s.writable(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if err := writableDivision(ctx, tx, p, &c); err != nil {
			return err
		}
		now := time.Now().UTC()
		res, err := tx.ExecContext(ctx, `UPDATE cases SET division_id = $1, name = $2, id_number = $3, sex = $4, birth_date = $5,
			phone = $6, address = $7, origin = $8, hospital = $9, onset_date = $10, setting = $11, notes = $12,
			updated_at = $13, version = version + 1 WHERE id = $14 AND version = $15`,
			c.DivisionID, c.Name, c.IDNumber, c.Sex, c.BirthDate, c.Phone, c.Address, string(c.Origin), c.Hospital,
			c.OnsetDate, c.Setting, c.Notes, now, id, in.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "errs.conflict")
		}
		c.ID, c.Status, c.StatusDate, c.Version, c.UpdatedAt = id, old.Status, old.StatusDate, in.Version+1, now
		return audit.Write(ctx, tx, audit.ActionUpdate, "case", strconv.FormatInt(id, 10), c.DivisionID, old.Masked(), c.Masked())
	})
	return c, err
}

// writable loads a case for a write: NotFound outside read scope, Forbidden
// inside read scope but outside write scope.
func (s *Store) writable(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Case, error) {
	c, err := s.get(ctx, q, p, auth.PermCaseWrite, id)
	if errs.CodeOf(err) == errs.NotFound {
		if _, rerr := s.get(ctx, q, p, auth.PermCaseRead, id); rerr == nil {
			return c, errs.Forbid()
		}
	}
	return c, err
}

// AddEvent moves a case to a new status on a given day: the transition must be
// allowed, the day not in the future nor before the case's last event.
func (s *Store) AddEvent(ctx context.Context, p *auth.Principal, id int64, kind Status, dayText, note string) (Case, error) {
	var fc errs.FieldCollector
	day := checkDate(&fc, "day", dayText, s.Today(), true)
	if !kind.Valid() {
		fc.Add("kind", "errs.bad_choice")
	}
	if len([]rune(note)) > 500 {
		fc.Add("note", "errs.too_long", 500)
	}
	if err := fc.Err(); err != nil {
		return Case{}, err
	}
	var c Case
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = s.writable(ctx, tx, p, id); err != nil {
			return err
		}
		if !CanMove(c.Status, kind) {
			return errs.Field("kind", "surveillance.bad_transition")
		}
		if day.Before(c.StatusDate.Time) {
			return errs.Field("day", "surveillance.before_last_event", c.StatusDate.String())
		}
		if err := insertEvent(ctx, tx, p, id, kind, day, strings.TrimSpace(note)); err != nil {
			return err
		}
		before := map[string]any{"status": c.Status, "status_date": c.StatusDate}
		c.Status, c.StatusDate = kind, day
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET status = $1, status_date = $2, updated_at = $3, version = version + 1 WHERE id = $4`,
			string(kind), day, time.Now().UTC(), id); err != nil {
			return err
		}
		c.Version++
		return audit.Write(ctx, tx, audit.ActionUpdate, "case.status", strconv.FormatInt(id, 10), c.DivisionID, before,
			map[string]any{"status": kind, "status_date": day, "note": note})
	})
	return c.Masked(), err
}
