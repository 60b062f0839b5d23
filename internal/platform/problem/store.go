package problem

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Store keeps problems. Reads are filtered in SQL by what the reader may see
// (see visible): a problem outside it is "not found", never "forbidden".
type Store struct {
	DB *storage.DB
	// Now is the clock (UTC); events are dated by its day in Zone. The demo
	// runs a clock through February 2020; nil means time.Now.
	Now  func() time.Time
	Zone *time.Location
}

func (s *Store) now() time.Time {
	t := time.Now()
	if s.Now != nil {
		t = s.Now()
	}
	// PostgreSQL keeps microseconds: what a write returns equals a later read.
	return t.UTC().Truncate(time.Microsecond)
}

// Today is the county's calendar day by the store's clock.
func (s *Store) Today() storage.Date {
	zone := s.Zone
	if zone == nil {
		zone = time.UTC
	}
	return storage.DateOf(s.now(), zone)
}

const problemCols = `p.id, p.source, COALESCE(p.source_id, 0), p.category, p.title, p.description, p.raised_by,
	COALESCE(u.display_name, ''), u.username, p.raised_on, p.division_id, n.name_zh, n.name_en, n.path,
	COALESCE(p.enterprise_id, 0), p.department_id, d.name_zh, d.name_en, p.deadline, p.status, p.resolved_on,
	p.confirmed_on, p.version, p.created_at, p.updated_at`

const problemFrom = ` FROM problems p JOIN org_nodes n ON n.id = p.division_id
	JOIN departments d ON d.id = p.department_id JOIN users u ON u.id = p.raised_by`

func scanProblem(row interface{ Scan(...any) error }) (Problem, error) {
	var pr Problem
	var status, username string
	err := row.Scan(&pr.ID, &pr.Source, &pr.SourceID, &pr.Category, &pr.Title, &pr.Description, &pr.RaisedBy,
		&pr.RaisedByName, &username, &pr.RaisedOn, &pr.DivisionID, &pr.DivisionName, &pr.DivisionNameEN, &pr.DivisionPath,
		&pr.EnterpriseID, &pr.DepartmentID, &pr.DepartmentName, &pr.DepartmentEN, &pr.Deadline, &status, &pr.ResolvedOn,
		&pr.ConfirmedOn, &pr.Version, &pr.CreatedAt, &pr.UpdatedAt)
	pr.Status = Status(status)
	if pr.RaisedByName == "" {
		pr.RaisedByName = username
	}
	return pr, err
}

// Raise records a new problem from a module (in.Source) whose categories are
// given. The raiser must hold problem.raise over the target: its division in
// node scope, or the enterprise itself (an enterprise officer).
func (s *Store) Raise(ctx context.Context, p *auth.Principal, in Input, categories []string) (Problem, error) {
	if p == nil || p.UserID == 0 || !p.Can(PermRaise) {
		return Problem{}, errs.Forbid() // a problem is raised by a person, who later confirms it
	}
	pr, err := in.check(categories, s.Today())
	if err != nil {
		return pr, err
	}
	if pr.EnterpriseID != 0 {
		ent, err := EnterpriseByID(ctx, s.DB.R, pr.EnterpriseID)
		if err != nil {
			return pr, err
		}
		if pr.DivisionID != 0 && pr.DivisionID != ent.DivisionID {
			return pr, errs.Field("division_id", "problem.enterprise_elsewhere")
		}
		pr.DivisionID, pr.EnterpriseName = ent.DivisionID, ent.Name
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if err := checkTarget(ctx, tx, p, &pr); err != nil {
			return err
		}
		if err := checkDepartment(ctx, tx, &pr); err != nil {
			return err
		}
		return s.insert(ctx, tx, p, &pr)
	})
	if err != nil {
		return pr, err
	}
	pr.RaisedBy, pr.RaisedByName = p.UserID, p.DisplayName
	if pr.RaisedByName == "" {
		pr.RaisedByName = p.Username
	}
	return pr, nil
}

// checkTarget fills the division's names and path and checks the raiser may
// raise problems there.
func checkTarget(ctx context.Context, q storage.Querier, p *auth.Principal, pr *Problem) error {
	err := q.QueryRowContext(ctx, `SELECT name_zh, name_en, path FROM org_nodes WHERE id = $1`, pr.DivisionID).
		Scan(&pr.DivisionName, &pr.DivisionNameEN, &pr.DivisionPath)
	field := "division_id"
	if pr.EnterpriseID != 0 {
		field = "enterprise_id"
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Field(field, "problem.target_unknown")
	}
	if err != nil {
		return err
	}
	inScope := p.Scope(PermRaise).Contains(pr.DivisionPath) ||
		(pr.EnterpriseID != 0 && slices.Contains(p.ScopeIDs(auth.ScopeEnterprise, PermRaise), pr.EnterpriseID))
	if !inScope {
		return errs.Field(field, "problem.target_out_of_scope")
	}
	return nil
}

func checkDepartment(ctx context.Context, q storage.Querier, pr *Problem) error {
	err := q.QueryRowContext(ctx, `SELECT name_zh, name_en FROM departments WHERE id = $1`, pr.DepartmentID).
		Scan(&pr.DepartmentName, &pr.DepartmentEN)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Field("department_id", "problem.department_unknown")
	}
	return err
}

func (s *Store) insert(ctx context.Context, tx *sql.Tx, p *auth.Principal, pr *Problem) error {
	now := s.now()
	var sourceID, entID any
	if pr.SourceID != 0 {
		sourceID = pr.SourceID
	}
	if pr.EnterpriseID != 0 {
		entID = pr.EnterpriseID
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO problems (source, source_id, category, title, description, raised_by,
		raised_on, division_id, enterprise_id, department_id, deadline, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
		pr.Source, sourceID, pr.Category, pr.Title, pr.Description, p.UserID, pr.RaisedOn, pr.DivisionID, entID,
		pr.DepartmentID, pr.Deadline, string(Open), now).Scan(&pr.ID)
	if err != nil {
		return err
	}
	pr.Version, pr.CreatedAt, pr.UpdatedAt = 1, now, now
	ev := Event{Action: Raise, To: Open, Day: pr.RaisedOn, DepartmentID: pr.DepartmentID, Deadline: pr.Deadline}
	if err := s.insertEvent(ctx, tx, p, pr.ID, &ev); err != nil {
		return err
	}
	return audit.Write(ctx, tx, audit.ActionCreate, "problem", strconv.FormatInt(pr.ID, 10), pr.DivisionID, nil, auditView(*pr))
}

// auditView is what the audit log keeps of a problem: its state, without
// the reader-dependent fields.
func auditView(pr Problem) map[string]any {
	return map[string]any{"source": pr.Source, "source_id": pr.SourceID, "category": pr.Category, "title": pr.Title,
		"description": pr.Description, "raised_on": pr.RaisedOn, "division_id": pr.DivisionID,
		"enterprise_id": pr.EnterpriseID, "department_id": pr.DepartmentID, "deadline": pr.Deadline, "status": pr.Status}
}

func (s *Store) insertEvent(ctx context.Context, q storage.Querier, p *auth.Principal, problemID int64, e *Event) error {
	e.At, e.Actor = s.now(), "system"
	var actorID, dept any
	if p != nil {
		e.Actor, e.ActorID = p.Username, p.UserID
		if p.UserID != 0 {
			actorID = p.UserID
		}
	}
	if e.DepartmentID != 0 {
		dept = e.DepartmentID
	}
	if e.Day.IsZero() {
		e.Day = s.Today()
	}
	return q.QueryRowContext(ctx, `INSERT INTO problem_events (problem_id, action, from_status, to_status, day, note,
		department_id, deadline, actor_id, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		problemID, string(e.Action), string(e.From), string(e.To), e.Day, e.Note, dept, e.Deadline, actorID, e.Actor, e.At).Scan(&e.ID)
}

// Get returns one problem the reader may see, with its history and the
// actions the reader may take now; NotFound otherwise.
func (s *Store) Get(ctx context.Context, p *auth.Principal, id int64) (Problem, error) {
	pr, err := s.get(ctx, s.DB.R, p, id)
	if err != nil {
		return pr, err
	}
	if err := s.fill(ctx, []*Problem{&pr}); err != nil {
		return pr, err
	}
	pr.Allowed = Allowed(pr.Status, RelationOf(p, pr))
	pr.Events, err = s.events(ctx, id)
	return pr, err
}

func (s *Store) get(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Problem, error) {
	var args storage.Args
	query := `SELECT ` + problemCols + problemFrom + ` WHERE p.id = ` + args.Add(id) + ` AND ` + visible(p, &args)
	pr, err := scanProblem(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return pr, errs.NotFoundf()
	}
	return pr, errs.Wrap(err, "problem get")
}

// RelationOf is how p stands to pr.
func RelationOf(p *auth.Principal, pr Problem) Relation {
	if p == nil {
		return Relation{}
	}
	return Relation{
		Raiser:     p.UserID != 0 && p.UserID == pr.RaisedBy,
		Department: slices.Contains(p.ScopeIDs(auth.ScopeDepartment, PermWork), pr.DepartmentID),
		Manager:    p.Scope(PermManage).Contains(pr.DivisionPath),
	}
}

func (s *Store) events(ctx context.Context, problemID int64) ([]Event, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT e.id, e.action, e.from_status, e.to_status, e.day, e.note,
		COALESCE(e.department_id, 0), COALESCE(d.name_zh, ''), COALESCE(d.name_en, ''), e.deadline, COALESCE(e.actor_id, 0),
		e.actor, COALESCE(u.display_name, ''), e.at
		FROM problem_events e LEFT JOIN departments d ON d.id = e.department_id LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.problem_id = $1 ORDER BY e.id`, problemID)
	if err != nil {
		return nil, errs.Wrap(err, "problem events")
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var action, from, to string
		if err := rows.Scan(&e.ID, &action, &from, &to, &e.Day, &e.Note, &e.DepartmentID, &e.DepartmentName,
			&e.DepartmentEN, &e.Deadline, &e.ActorID, &e.Actor, &e.ActorName, &e.At); err != nil {
			return nil, errs.Wrap(err, "problem event scan")
		}
		e.Action, e.From, e.To = Action(action), Status(from), Status(to)
		if e.ActorName == "" {
			e.ActorName = e.Actor
		}
		out = append(out, e)
	}
	return out, errs.Wrap(rows.Err(), "problem events")
}
