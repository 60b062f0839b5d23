package problem

import (
	"context"
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Enterprise is what the workflow needs of an enterprise: its name and the
// division it belongs to. The enterprise module owns the register; its table
// enterprises (id, name, division_id) is the contract this file reads.
type Enterprise struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	DivisionID int64  `json:"division_id"`
}

// EnterpriseByID reads one enterprise, unscoped (callers check scope on its
// division). An unknown id is a field error on enterprise_id. It runs outside
// any transaction: on a database whose enterprise register is not installed
// the failed query must not abort a PostgreSQL transaction.
func EnterpriseByID(ctx context.Context, q storage.Querier, id int64) (Enterprise, error) {
	e := Enterprise{ID: id}
	err := q.QueryRowContext(ctx, `SELECT name, division_id FROM enterprises WHERE id = $1`, id).Scan(&e.Name, &e.DivisionID)
	if err != nil {
		bad := errs.Field("enterprise_id", "problem.enterprise_unknown")
		bad.Err = err // sql.ErrNoRows, or no register: logged, never shown
		return e, bad
	}
	return e, nil
}

// EnterpriseNames reads the names of the given enterprises. With no ids it
// does not touch the enterprise table at all.
func EnterpriseNames(ctx context.Context, q storage.Querier, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var args storage.Args
	marks := make([]string, 0, len(ids))
	seen := map[int64]bool{}
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			marks = append(marks, args.Add(id))
		}
	}
	if len(marks) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM enterprises WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "enterprise names")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, errs.Wrap(err, "enterprise names scan")
		}
		out[id] = name
	}
	return out, errs.Wrap(rows.Err(), "enterprise names")
}

// fill sets the enterprise names of a batch of problems.
func (s *Store) fill(ctx context.Context, list []*Problem) error {
	var ids []int64
	for _, pr := range list {
		if pr.EnterpriseID != 0 {
			ids = append(ids, pr.EnterpriseID)
		}
	}
	names, err := EnterpriseNames(ctx, s.DB.R, ids)
	if err != nil {
		return err
	}
	for _, pr := range list {
		pr.EnterpriseName = names[pr.EnterpriseID]
	}
	return nil
}
