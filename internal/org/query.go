package org

import (
	"context"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Filter narrows an API listing of nodes. Zero fields are ignored.
type Filter struct {
	ParentID int64
	Level    Level
	After    string // cursor: nodes with a greater code
	Limit    int
}

// MaxPage is the largest page of nodes the API returns.
const MaxPage = 1000

// Page returns up to f.Limit nodes in the caller's scope, in tree order, and
// whether more follow.
func (s *Store) Page(ctx context.Context, p *auth.Principal, f Filter) ([]Node, bool, error) {
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	var args storage.Args
	where := []string{p.Scope(auth.PermOrgRead).SQL("id", &args)}
	if f.ParentID != 0 {
		where = append(where, "parent_id = "+args.Add(f.ParentID))
	}
	if f.Level != "" {
		where = append(where, "level = "+args.Add(string(f.Level)))
	}
	if f.After != "" {
		where = append(where, "code > "+args.Add(f.After))
	}
	q := `SELECT ` + nodeCols + ` FROM org_nodes WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY code LIMIT ` + args.Add(f.Limit+1)
	nodes, err := scanNodes(s.DB.R.QueryContext(ctx, q, args...))
	if err != nil || len(nodes) <= f.Limit {
		return nodes, false, err
	}
	return nodes[:f.Limit], true, nil
}

// ChildCounts returns how many children in the caller's scope each of ids has.
func (s *Store) ChildCounts(ctx context.Context, p *auth.Principal, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	var args storage.Args
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = args.Add(id)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT parent_id, COUNT(*) FROM org_nodes WHERE parent_id IN (`+
		strings.Join(marks, ", ")+`) AND `+p.Scope(auth.PermOrgRead).SQL("id", &args)+` GROUP BY parent_id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "org child counts")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, errs.Wrap(err, "org child counts scan")
		}
		out[id] = n
	}
	return out, errs.Wrap(rows.Err(), "org child counts rows")
}
