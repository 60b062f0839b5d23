package liaison

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
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
)

// Store keeps assignments, visits and photos, and raises and lists liaison
// problems through the problem store. Reads are scoped by division (a target
// outside the reader's liaison.read scope is not found), except that a leader
// always sees their own records.
type Store struct {
	DB       *storage.DB
	Problems *problem.Store
	// PhotoLimit bounds one photo in bytes; 0 means MaxPhotoBytes.
	PhotoLimit int64
}

// NewStore is the liaison store on db, sharing the problem store's clock.
func NewStore(db *storage.DB, problems *problem.Store) *Store {
	return &Store{DB: db, Problems: problems}
}

func (s *Store) today() storage.Date { return s.Problems.Today() }

func (s *Store) now() time.Time {
	if s.Problems.Now != nil {
		return s.Problems.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

func (s *Store) photoLimit() int64 {
	if s.PhotoLimit > 0 {
		return s.PhotoLimit
	}
	return MaxPhotoBytes
}

// readable is the predicate of liaison records (alias x) p may read: those in
// their liaison.read scope, and their own.
func readable(p *auth.Principal, alias string, args *storage.Args) string {
	sc := p.Scope(PermRead).SQL(alias+".division_id", args)
	if p != nil && p.UserID != 0 {
		return "(" + sc + " OR " + alias + ".leader_id = " + args.Add(p.UserID) + ")"
	}
	return sc
}

// Leaders lists the county leaders (users holding the leader role), by name.
func (s *Store) Leaders(ctx context.Context) ([]Leader, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT u.id, u.username, u.display_name FROM users u
		WHERE NOT u.disabled AND EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.role = 'leader')
		ORDER BY u.username`)
	if err != nil {
		return nil, errs.Wrap(err, "leaders")
	}
	defer rows.Close()
	var out []Leader
	for rows.Next() {
		var l Leader
		if err := rows.Scan(&l.ID, &l.Username, &l.Name); err != nil {
			return nil, errs.Wrap(err, "leaders scan")
		}
		if l.Name == "" {
			l.Name = l.Username
		}
		out = append(out, l)
	}
	return out, errs.Wrap(rows.Err(), "leaders")
}

// Leader returns one leader by user id; NotFound if the user is not one.
func (s *Store) Leader(ctx context.Context, q storage.Querier, id int64) (Leader, error) {
	l := Leader{ID: id}
	err := q.QueryRowContext(ctx, `SELECT u.username, u.display_name FROM users u
		WHERE u.id = $1 AND EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.role = 'leader')`, id).Scan(&l.Username, &l.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return l, errs.NotFoundf()
	}
	if l.Name == "" {
		l.Name = l.Username
	}
	return l, errs.Wrap(err, "leader")
}

// writer resolves who a record is for: the caller themselves (leaderID 0 or
// their own id), or — for the command (liaison.manage) — any leader. It
// returns the leader's id and name.
func (s *Store) writer(ctx context.Context, q storage.Querier, p *auth.Principal, leaderID int64) (Leader, error) {
	if leaderID == 0 {
		leaderID = p.UserID
	}
	if leaderID != p.UserID && !p.Can(PermManage) {
		return Leader{}, errs.Field("leader_id", "liaison.only_yourself")
	}
	l, err := s.Leader(ctx, q, leaderID)
	if errs.CodeOf(err) == errs.NotFound {
		return l, errs.Field("leader_id", "liaison.not_a_leader")
	}
	return l, err
}

// resolveTarget fills a target's names, level and path; an enterprise gives
// its division. It reads outside any transaction (see problem.EnterpriseByID).
func (s *Store) resolveTarget(ctx context.Context, t *Target) error {
	if t.EnterpriseID != 0 {
		e, err := problem.EnterpriseByID(ctx, s.DB.R, t.EnterpriseID)
		if err != nil {
			return err
		}
		t.DivisionID, t.EnterpriseName = e.DivisionID, e.Name
	}
	field := "division_id"
	if t.EnterpriseID != 0 {
		field = "enterprise_id"
	}
	err := s.DB.R.QueryRowContext(ctx, `SELECT name_zh, name_en, level, path FROM org_nodes WHERE id = $1`, t.DivisionID).
		Scan(&t.DivisionName, &t.DivisionNameEN, &t.DivisionLevel, &t.DivisionPath)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Field(field, "liaison.target_unknown")
	}
	if err != nil {
		return errs.Wrap(err, "liaison target")
	}
	if t.EnterpriseID == 0 && t.DivisionLevel == "county" {
		return errs.Field(field, "liaison.not_the_county")
	}
	return nil
}

// checkWriteScope requires the target's division in the caller's
// liaison.write scope.
func checkWriteScope(p *auth.Principal, t Target) error {
	if p.Scope(PermWrite).Contains(t.DivisionPath) {
		return nil
	}
	if t.EnterpriseID != 0 {
		return errs.Field("enterprise_id", "liaison.target_out_of_scope")
	}
	return errs.Field("division_id", "liaison.target_out_of_scope")
}

// fillEnterprises names the enterprises of a batch of targets.
func (s *Store) fillEnterprises(ctx context.Context, ts []*Target) error {
	var ids []int64
	for _, t := range ts {
		ids = append(ids, t.EnterpriseID)
	}
	names, err := problem.EnterpriseNames(ctx, s.DB.R, ids)
	if err != nil {
		return err
	}
	for _, t := range ts {
		t.EnterpriseName = names[t.EnterpriseID]
	}
	return nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// writeAudit records a liaison write in its transaction.
func writeAudit(ctx context.Context, tx *sql.Tx, action, entity string, id, division int64, before, after any) error {
	return audit.Write(ctx, tx, action, entity, itoa(id), division, before, after)
}

// Enterprises lists the enterprises p may act for with perm — those in their
// node scope and their own (an enterprise officer's) — by place, then name.
func (s *Store) Enterprises(ctx context.Context, p *auth.Principal, perm auth.Perm) ([]problem.Enterprise, error) {
	var args storage.Args
	var parts []string
	if sc := p.Scope(perm); !sc.Empty() {
		parts = append(parts, sc.SQL("e.division_id", &args))
	}
	for _, id := range p.ScopeIDs(auth.ScopeEnterprise, perm) {
		parts = append(parts, "e.id = "+args.Add(id))
	}
	if len(parts) == 0 {
		return nil, nil
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT e.id, e.name, e.division_id FROM enterprises e
		JOIN org_nodes n ON n.id = e.division_id WHERE (`+strings.Join(parts, " OR ")+`) ORDER BY n.code, e.name, e.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "enterprises")
	}
	defer rows.Close()
	var out []problem.Enterprise
	for rows.Next() {
		var e problem.Enterprise
		if err := rows.Scan(&e.ID, &e.Name, &e.DivisionID); err != nil {
			return nil, errs.Wrap(err, "enterprises scan")
		}
		out = append(out, e)
	}
	return out, errs.Wrap(rows.Err(), "enterprises")
}
