package checkpoint

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
)

// Store keeps checkpoints, passages and passes. Reads are filtered by the
// caller's scope in SQL: a checkpoint is visible over its division's subtree
// grants and over checkpoint grants naming it.
type Store struct {
	DB       *storage.DB
	Now      func() time.Time
	Zone     *time.Location
	Settings *settings.Store

	ingest   *committer
	rules    atomic.Pointer[cachedRules]
	cpCache  sync.Map // int64 → cpEntry: checkpoint division paths for the hot path
	keyMu    sync.Mutex
	passKeys *keyPair
}

// NewStore makes a store; now and zone default to the wall clock and
// Asia/Shanghai, settings to the defaults.
func NewStore(db *storage.DB, now func() time.Time, zone *time.Location, st *settings.Store) *Store {
	if now == nil {
		now = time.Now
	}
	if zone == nil {
		zone = time.FixedZone("CST", 8*3600)
	}
	s := &Store{DB: db, Now: now, Zone: zone, Settings: st}
	s.ingest = newCommitter(db)
	return s
}

// Rules reads the settings in force.
func (s *Store) Rules(ctx context.Context) Rules {
	r := DefaultRules()
	if s.Settings == nil {
		return r
	}
	if v, err := s.Settings.Get(ctx, SettingLocalPlate, r.LocalPlate); err == nil {
		r.LocalPlate = v
	}
	r.MaxAge = time.Duration(s.Settings.Int(ctx, SettingMaxAgeHours, DefaultMaxAgeHours)) * time.Hour
	r.Fever = s.Settings.Float(ctx, SettingFever, DefaultFever)
	return r
}

// scopeSQL limits checkpoints (alias c) to those where p may use perm: under
// a node grant, or named by a checkpoint grant.
func scopeSQL(p *auth.Principal, perm auth.Perm, args *storage.Args) string {
	var parts []string
	if sc := p.Scope(perm); !sc.Empty() {
		parts = append(parts, sc.SQL("c.division_id", args))
	}
	if p != nil {
		if ids := p.ScopeIDs(auth.ScopeCheckpoint, perm); len(ids) > 0 {
			ph := make([]string, len(ids))
			for i, id := range ids {
				ph[i] = args.Add(id)
			}
			parts = append(parts, "c.id IN ("+strings.Join(ph, ", ")+")")
		}
	}
	if len(parts) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// may reports whether p may use perm at checkpoint c.
func may(p *auth.Principal, perm auth.Perm, id int64, divisionPath string) bool {
	if p.Scope(perm).Contains(divisionPath) {
		return true
	}
	for _, x := range p.ScopeIDs(auth.ScopeCheckpoint, perm) {
		if x == id {
			return true
		}
	}
	return false
}

const cpCols = `c.id, c.division_id, n.name_zh, n.name_en, n.path, c.kind, c.name, c.hours_from, c.hours_to, c.status, c.notes, c.version, c.updated_at`

func scanCheckpoint(row interface{ Scan(...any) error }) (Checkpoint, error) {
	var c Checkpoint
	var kind, status string
	err := row.Scan(&c.ID, &c.DivisionID, &c.DivisionName, &c.DivisionNameEN, &c.divisionPath, &kind, &c.Name, &c.HoursFrom, &c.HoursTo,
		&status, &c.Notes, &c.Version, &c.UpdatedAt)
	c.Kind, c.Status = Kind(kind), Status(status)
	return c, err
}

// Get returns a checkpoint in the caller's checkpoint.read scope, else NotFound.
func (s *Store) Get(ctx context.Context, p *auth.Principal, id int64) (Checkpoint, error) {
	return s.get(ctx, s.DB.R, p, auth.PermCheckpointRead, id)
}

func (s *Store) get(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, id int64) (Checkpoint, error) {
	var args storage.Args
	query := `SELECT ` + cpCols + ` FROM checkpoints c JOIN org_nodes n ON n.id = c.division_id
		WHERE c.id = ` + args.Add(id) + ` AND ` + scopeSQL(p, perm, &args)
	c, err := scanCheckpoint(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.NotFoundf()
	}
	return c, errs.Wrap(err, "checkpoint get")
}

// List returns the checkpoints in the caller's scope, by division and name;
// divisionID narrows to one subtree.
func (s *Store) List(ctx context.Context, p *auth.Principal, divisionID int64) ([]Checkpoint, error) {
	var args storage.Args
	where := scopeSQL(p, auth.PermCheckpointRead, &args)
	if divisionID != 0 {
		var path string
		if err := s.DB.R.QueryRowContext(ctx, `SELECT path FROM org_nodes WHERE id = $1`, divisionID).Scan(&path); err != nil {
			return nil, errs.NotFoundf()
		}
		where += " AND n.path LIKE " + args.Add(path+"%")
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+cpCols+` FROM checkpoints c JOIN org_nodes n ON n.id = c.division_id
		WHERE `+where+` ORDER BY n.code, c.name, c.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "checkpoint list")
	}
	defer rows.Close()
	out := []Checkpoint{}
	for rows.Next() {
		c, err := scanCheckpoint(rows)
		if err != nil {
			return nil, errs.Wrap(err, "checkpoint scan")
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Create adds a checkpoint in a division the caller may write in.
func (s *Store) Create(ctx context.Context, p *auth.Principal, in Input) (Checkpoint, error) {
	c, err := in.check()
	if err != nil {
		return c, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := checkDivision(ctx, tx, p, &c); err != nil {
			return err
		}
		now := time.Now().UTC()
		err := tx.QueryRowContext(ctx, `INSERT INTO checkpoints (division_id, kind, name, hours_from, hours_to, status, notes,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			c.DivisionID, string(c.Kind), c.Name, c.HoursFrom, c.HoursTo, string(c.Status), c.Notes, now).Scan(&c.ID)
		if err != nil {
			return err
		}
		c.Version, c.UpdatedAt = 1, now
		return audit.Write(ctx, tx, audit.ActionCreate, "checkpoint", strconv.FormatInt(c.ID, 10), c.DivisionID, nil, c)
	})
	return c, err
}

// checkDivision proves the checkpoint's division lies in the caller's
// checkpoint.write scope and fills its name and path.
func checkDivision(ctx context.Context, q storage.Querier, p *auth.Principal, c *Checkpoint) error {
	err := q.QueryRowContext(ctx, `SELECT name_zh, name_en, path FROM org_nodes WHERE id = $1`, c.DivisionID).
		Scan(&c.DivisionName, &c.DivisionNameEN, &c.divisionPath)
	if err != nil || !p.Scope(auth.PermCheckpointWrite).Contains(c.divisionPath) {
		return errs.Field("division_id", "checkpoint.division_out_of_scope")
	}
	return nil
}

// Update changes a checkpoint; in.Version must match the stored one.
func (s *Store) Update(ctx context.Context, p *auth.Principal, id int64, in Input) (Checkpoint, error) {
	c, err := in.check()
	if err != nil {
		return c, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		old, err := s.get(ctx, tx, p, auth.PermCheckpointWrite, id)
		if errs.CodeOf(err) == errs.NotFound {
			if _, rerr := s.get(ctx, tx, p, auth.PermCheckpointRead, id); rerr == nil {
				return errs.Forbid()
			}
		}
		if err != nil {
			return err
		}
		if err := checkDivision(ctx, tx, p, &c); err != nil {
			return err
		}
		now := time.Now().UTC()
		res, err := tx.ExecContext(ctx, `UPDATE checkpoints SET division_id = $1, kind = $2, name = $3, hours_from = $4,
			hours_to = $5, status = $6, notes = $7, updated_at = $8, version = version + 1 WHERE id = $9 AND version = $10`,
			c.DivisionID, string(c.Kind), c.Name, c.HoursFrom, c.HoursTo, string(c.Status), c.Notes, now, id, in.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "errs.conflict")
		}
		c.ID, c.Version, c.UpdatedAt = id, in.Version+1, now
		return audit.Write(ctx, tx, audit.ActionUpdate, "checkpoint", strconv.FormatInt(id, 10), c.DivisionID, old, c)
	})
	if err == nil {
		s.cpCache.Delete(id)
	}
	return c, err
}

// cpEntry is what the ingest path needs to know of a checkpoint.
type cpEntry struct {
	divisionID int64
	path       string
	loaded     time.Time
}

// cpTTL bounds how stale the ingest path's view of a checkpoint's division
// may be (a checkpoint moved to another village on another replica).
const cpTTL = 30 * time.Second

// checkpointInfo returns a checkpoint's division and path, cached briefly:
// every passage needs them for the scope check.
func (s *Store) checkpointInfo(ctx context.Context, id int64) (cpEntry, error) {
	if v, ok := s.cpCache.Load(id); ok {
		if e := v.(cpEntry); time.Since(e.loaded) < cpTTL {
			return e, nil
		}
	}
	var e cpEntry
	err := s.DB.R.QueryRowContext(ctx, `SELECT c.division_id, n.path FROM checkpoints c JOIN org_nodes n ON n.id = c.division_id
		WHERE c.id = $1`, id).Scan(&e.divisionID, &e.path)
	if errors.Is(err, sql.ErrNoRows) {
		return e, errs.NotFoundf()
	}
	if err != nil {
		return e, errs.Wrap(err, "checkpoint info")
	}
	e.loaded = time.Now()
	s.cpCache.Store(id, e)
	return e, nil
}
