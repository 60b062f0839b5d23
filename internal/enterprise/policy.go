package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Policies lists the relief policies with, over the caller's scope, how many
// enterprises applied, how many received it and the amount granted.
func (s *Store) Policies(ctx context.Context, p *auth.Principal) ([]Policy, error) {
	var args storage.Args
	scope := scopeSQL(p, auth.PermEnterpriseRead, &args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT pl.id, pl.name, pl.kind, pl.issuer, pl.summary, pl.valid_from, pl.valid_to, pl.version,
		(SELECT COUNT(*) FROM enterprise_policy_applications a JOIN enterprises e ON e.id = a.enterprise_id
			WHERE a.policy_id = pl.id AND `+scope+`),
		(SELECT COUNT(*) FROM enterprise_policy_applications a JOIN enterprises e ON e.id = a.enterprise_id
			WHERE a.policy_id = pl.id AND a.status = 'granted' AND `+scope+`),
		(SELECT COALESCE(SUM(a.amount_granted), 0) FROM enterprise_policy_applications a JOIN enterprises e ON e.id = a.enterprise_id
			WHERE a.policy_id = pl.id AND a.status = 'granted' AND `+scope+`)
		FROM enterprise_policies pl ORDER BY pl.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "policies")
	}
	defer rows.Close()
	out := []Policy{}
	for rows.Next() {
		var pl Policy
		var kind string
		if err := rows.Scan(&pl.ID, &pl.Name, &kind, &pl.Issuer, &pl.Summary, &pl.ValidFrom, &pl.ValidTo, &pl.Version,
			&pl.Applications, &pl.Granted, &pl.AmountGrant); err != nil {
			return nil, errs.Wrap(err, "policy scan")
		}
		pl.Kind, pl.GrantedYuan = PolicyKind(kind), pl.AmountGrant.String()
		out = append(out, pl)
	}
	return out, rows.Err()
}

// Policy returns one policy (policies are county-wide, not territorial).
func (s *Store) Policy(ctx context.Context, id int64) (Policy, error) {
	var pl Policy
	var kind string
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, name, kind, issuer, summary, valid_from, valid_to, version
		FROM enterprise_policies WHERE id = $1`, id).Scan(&pl.ID, &pl.Name, &kind, &pl.Issuer, &pl.Summary,
		&pl.ValidFrom, &pl.ValidTo, &pl.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return pl, errs.NotFoundf()
	}
	pl.Kind = PolicyKind(kind)
	return pl, errs.Wrap(err, "policy get")
}

// SavePolicy creates (id 0) or updates a policy; the caller needs enterprise.policy.
func (s *Store) SavePolicy(ctx context.Context, p *auth.Principal, id int64, in PolicyInput) (Policy, error) {
	if !p.Can(auth.PermEnterprisePolicy) {
		return Policy{}, errs.Forbid()
	}
	pl, err := in.check()
	if err != nil {
		return pl, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if id == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO enterprise_policies (name, kind, issuer, summary, valid_from, valid_to,
				created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, pl.Name, string(pl.Kind),
				pl.Issuer, pl.Summary, pl.ValidFrom, pl.ValidTo, now).Scan(&pl.ID); err != nil {
				return err
			}
			pl.Version, pl.GrantedYuan = 1, "0.00"
			return audit.Write(ctx, tx, audit.ActionCreate, "enterprise.policy", itoa(pl.ID), 0, nil, pl)
		}
		old, err := s.Policy(ctx, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE enterprise_policies SET name = $1, kind = $2, issuer = $3, summary = $4,
			valid_from = $5, valid_to = $6, updated_at = $7, version = version + 1 WHERE id = $8 AND version = $9`,
			pl.Name, string(pl.Kind), pl.Issuer, pl.Summary, pl.ValidFrom, pl.ValidTo, now, id, in.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.Conflict, "errs.conflict")
		}
		pl.ID, pl.Version = id, in.Version+1
		return audit.Write(ctx, tx, audit.ActionUpdate, "enterprise.policy", itoa(id), 0, old, pl)
	})
	return pl, err
}

const applicationCols = `a.id, a.policy_id, pl.name, pl.kind, a.enterprise_id, e.name, a.status, a.amount_applied,
	a.amount_granted, a.applied_on, a.decided_on, a.note, a.created_by, a.decided_by`

const applicationFrom = ` FROM enterprise_policy_applications a JOIN enterprise_policies pl ON pl.id = a.policy_id
	JOIN enterprises e ON e.id = a.enterprise_id`

func scanApplication(row interface{ Scan(...any) error }) (Application, error) {
	var a Application
	var kind, status string
	err := row.Scan(&a.ID, &a.PolicyID, &a.PolicyName, &kind, &a.EnterpriseID, &a.EnterpriseName, &status,
		&a.AmountApplied, &a.AmountGranted, &a.AppliedOn, &a.DecidedOn, &a.Note, &a.CreatedBy, &a.DecidedBy)
	a.PolicyKind, a.Status = PolicyKind(kind), AppStatus(status)
	a.AppliedYuan, a.GrantedYuan = a.AmountApplied.String(), a.AmountGranted.String()
	return a, err
}

// AppFilter narrows the application list.
type AppFilter struct {
	PolicyID     int64
	EnterpriseID int64
	Status       AppStatus
}

// Applications lists applications over the caller's scope, newest first.
func (s *Store) Applications(ctx context.Context, p *auth.Principal, f AppFilter) ([]Application, error) {
	var args storage.Args
	where := []string{scopeSQL(p, auth.PermEnterpriseRead, &args)}
	if f.PolicyID != 0 {
		where = append(where, "a.policy_id = "+args.Add(f.PolicyID))
	}
	if f.EnterpriseID != 0 {
		where = append(where, "a.enterprise_id = "+args.Add(f.EnterpriseID))
	}
	if f.Status != "" {
		where = append(where, "a.status = "+args.Add(string(f.Status)))
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+applicationCols+applicationFrom+` WHERE `+
		strings.Join(where, " AND ")+` ORDER BY a.id DESC`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "applications")
	}
	defer rows.Close()
	out := []Application{}
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, errs.Wrap(err, "application scan")
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Apply records an enterprise's application for a policy. Someone who keeps
// policies may record it as granted or rejected at once (relief such as a
// tax reduction is granted without an application).
func (s *Store) Apply(ctx context.Context, p *auth.Principal, enterpriseID int64, in ApplicationInput) (Application, error) {
	st, applied, granted, note, err := in.check()
	if err != nil {
		return Application{}, err
	}
	decided := st != AppApplied
	var id int64
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		e, err := s.get(ctx, tx, p, auth.PermEnterpriseRead, enterpriseID)
		if err != nil {
			return err
		}
		if (decided && !p.Can(auth.PermEnterprisePolicy)) || (!decided && !can(p, auth.PermEnterpriseFile, e)) {
			return errs.Forbid()
		}
		if _, err := s.Policy(ctx, in.PolicyID); err != nil {
			return errs.Field("policy_id", "errs.not_found")
		}
		var decidedOn storage.Date
		decidedBy := ""
		if decided {
			decidedOn, decidedBy = s.today(), username(p)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO enterprise_policy_applications (policy_id, enterprise_id, status,
			amount_applied, amount_granted, applied_on, decided_on, note, created_by, decided_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`, in.PolicyID, e.ID, string(st),
			applied, granted, s.today(), decidedOn, note, username(p), decidedBy, s.now()).Scan(&id)
		if storage.IsUniqueViolation(err) {
			return errs.Field("policy_id", "enterprise.err.already_applied")
		}
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "enterprise.policy_application", itoa(id), e.DivisionID, nil,
			map[string]any{"policy_id": in.PolicyID, "enterprise_id": e.ID, "status": st, "amount_applied": applied,
				"amount_granted": granted})
	})
	if err != nil {
		return Application{}, err
	}
	return s.application(ctx, p, enterpriseID, id)
}

// Grant decides an application: granted with the amount received, or rejected.
func (s *Store) Grant(ctx context.Context, p *auth.Principal, enterpriseID, appID int64, in GrantInput) (Application, error) {
	st, amt, note, err := in.check()
	if err != nil {
		return Application{}, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		e, err := s.get(ctx, tx, p, auth.PermEnterpriseRead, enterpriseID)
		if err != nil {
			return err
		}
		if !p.Can(auth.PermEnterprisePolicy) {
			return errs.Forbid()
		}
		old, err := s.applicationTx(ctx, tx, enterpriseID, appID)
		if err != nil {
			return err
		}
		if old.Status != AppApplied {
			return errs.New(errs.Conflict, "enterprise.err.already_decided")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enterprise_policy_applications SET status = $1, amount_granted = $2,
			decided_on = $3, decided_by = $4, note = $5, updated_at = $6 WHERE id = $7`,
			string(st), amt, s.today(), username(p), note, s.now(), appID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "enterprise.policy_application", itoa(appID), e.DivisionID,
			map[string]any{"status": old.Status}, map[string]any{"status": st, "amount_granted": amt, "note": note})
	})
	if err != nil {
		return Application{}, err
	}
	return s.application(ctx, p, enterpriseID, appID)
}

func (s *Store) application(ctx context.Context, p *auth.Principal, enterpriseID, appID int64) (Application, error) {
	if _, err := s.get(ctx, s.DB.R, p, auth.PermEnterpriseRead, enterpriseID); err != nil {
		return Application{}, err
	}
	return s.applicationTx(ctx, s.DB.R, enterpriseID, appID)
}

func (s *Store) applicationTx(ctx context.Context, q storage.Querier, enterpriseID, appID int64) (Application, error) {
	a, err := scanApplication(q.QueryRowContext(ctx, `SELECT `+applicationCols+applicationFrom+
		` WHERE a.id = $1 AND a.enterprise_id = $2`, appID, enterpriseID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, errs.NotFoundf()
	}
	return a, errs.Wrap(err, "application get")
}
