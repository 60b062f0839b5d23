package org

import (
	"context"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
)

// importer checks an import's rows one by one against the database and the
// rows before them, and remembers the valid ones as plans.
type importer struct {
	s     *Store
	ctx   context.Context
	p     *auth.Principal
	plans []plan
	rows  map[string]int // code → index in plans, for valid rows
	bad   map[string]int // code → row number, for rejected rows
	root  bool           // a row already creates the county root
}

// row is excel.Read's row function.
func (im *importer) row(r excel.Row) error {
	code := r.Get("code")
	pl, problems, err := im.check(r, code)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		if _, seen := im.bad[code]; !seen {
			im.bad[code] = r.Num
		}
		return problems
	}
	im.rows[code] = len(im.plans)
	im.plans = append(im.plans, pl)
	return nil
}

// check returns the plan for a row, or its problems; err is an internal error
// that stops the import.
func (im *importer) check(r excel.Row, code string) (plan, excel.RowError, error) {
	if i, ok := im.rows[code]; ok {
		return plan{}, excel.RowError{r.Problem("code", "org.import.dup_row", im.plans[i].num)}, nil
	}
	if num, ok := im.bad[code]; ok {
		return plan{}, excel.RowError{r.Problem("code", "org.import.dup_row", num)}, nil
	}
	var fc errs.FieldCollector
	var pl plan
	existing, err := im.s.ByCode(im.ctx, code)
	switch {
	case err == nil:
		pl, err = im.planUpdate(r, existing, &fc)
	case errs.CodeOf(err) == errs.NotFound:
		pl, err = im.planCreate(r, &fc)
	}
	if err != nil {
		return pl, nil, err
	}
	pl.num = r.Num
	return pl, rowProblems(r, fc.Err()), err
}

// planCreate checks a row with a new code: its parent must be writable, in
// the database or created earlier in the file.
func (im *importer) planCreate(r excel.Row, fc *errs.FieldCollector) (plan, error) {
	pl := plan{act: create, parentCode: r.Get("parent_code")}
	n := rowNode(r, Node{Code: r.Get("code")}, fc)
	parent, err := im.parentOf(pl.parentCode, fc)
	if err != nil {
		return pl, err
	}
	switch {
	case parent != nil:
		if lvl, ok := childLevel[parent.Level]; ok {
			n.Level = lvl
		} else {
			fc.Add("parent_id", "org.too_deep")
		}
	case !fc.Has("parent_id"):
		n.Level = County
		im.root = true
	}
	checkLevel(r, n.Level, fc)
	if n.Level != "" {
		checkNode(fc, &n, parent)
	} else {
		checkFields(fc, &n)
	}
	pl.node = n
	return pl, nil
}

// parentOf resolves a new row's parent code; nil with no problem on fc means
// the row creates the county root.
func (im *importer) parentOf(code string, fc *errs.FieldCollector) (*Node, error) {
	if code == "" {
		ok, err := im.rootAllowed()
		if err == nil && !ok {
			fc.Add("parent_id", "org.import.parent_required")
		}
		return nil, err
	}
	if i, ok := im.rows[code]; ok {
		return &im.plans[i].node, nil
	}
	if num, ok := im.bad[code]; ok {
		fc.Add("parent_id", "org.import.parent_bad_row", num)
		return nil, nil
	}
	par, err := im.s.ByCode(im.ctx, code)
	switch {
	case errs.CodeOf(err) == errs.NotFound || (err == nil && !readable(im.p, par.Path)):
		fc.Add("parent_id", "org.import.parent_missing", code)
		return nil, nil
	case err != nil:
		return nil, err
	case !writable(im.p, par.Path):
		fc.Add("parent_id", "org.import.parent_not_writable", code)
		return nil, nil
	}
	return &par, nil
}

// rootAllowed: a root row is valid once, in an empty tree, for a user who may
// write the tree at all.
func (im *importer) rootAllowed() (bool, error) {
	if im.root || (im.p != nil && !im.p.Can(auth.PermOrgWrite)) {
		return false, nil
	}
	var count int
	err := im.s.DB.R.QueryRowContext(im.ctx, `SELECT COUNT(*) FROM org_nodes`).Scan(&count)
	return count == 0, errs.Wrap(err, "org count")
}

// planUpdate checks a row with an existing code: the node must be writable,
// and the row may not move it to another parent or level.
func (im *importer) planUpdate(r excel.Row, old Node, fc *errs.FieldCollector) (plan, error) {
	pl := plan{act: update}
	if !writable(im.p, old.Path) {
		fc.Add("code", "org.import.out_of_scope")
		return pl, nil
	}
	var parent *Node
	if old.ParentID != 0 {
		par, err := im.s.ByID(im.ctx, old.ParentID)
		if err != nil {
			return pl, err
		}
		parent = &par
	}
	switch pc := r.Get("parent_code"); {
	case pc == "":
	case parent == nil:
		fc.Add("parent_id", "org.import.root_has_no_parent")
	case pc != parent.Code:
		fc.Add("parent_id", "org.import.parent_mismatch", parent.Code)
	}
	checkLevel(r, old.Level, fc)
	n := rowNode(r, old, fc)
	checkNode(fc, &n, parent)
	pl.node, pl.parentCode = n, codeOf(parent)
	if sameNode(n, old) {
		pl.act = unchanged
	}
	return pl, nil
}

// rowNode lays a row's cells over base; blank cells keep base's value.
func rowNode(r excel.Row, base Node, fc *errs.FieldCollector) Node {
	n := base
	n.NameZH = r.Get("name_zh")
	if v := r.Get("name_en"); v != "" {
		n.NameEN = v
	}
	if v := r.Get("kind"); v != "" {
		n.Kind, _ = ParseKind(v, func(slug string) string { return i18n.T(i18n.EN, "org.kind."+slug) })
	}
	for _, f := range []struct {
		key string
		dst *int64
	}{{"population", &n.Population}, {"households", &n.Households}} {
		if v := r.Get(f.key); v != "" {
			c, ok := parseCount(v)
			if !ok {
				fc.Add(f.key, "org.bad_int")
			}
			*f.dst = c
		}
	}
	return n
}

// checkLevel compares a filled level cell with the level the row must have.
func checkLevel(r excel.Row, want Level, fc *errs.FieldCollector) {
	v := r.Get("level")
	if v == "" {
		return
	}
	lvl, ok := ParseLevel(v, levelLabel(i18n.ZH), levelLabel(i18n.EN))
	switch {
	case !ok:
		fc.Add("level", "org.import.bad_level")
	case want != "" && lvl != want:
		fc.Add("level", "org.import.level_should_be_"+string(want))
	}
}

func levelLabel(lang i18n.Lang) func(Level) string {
	return func(l Level) string { return i18n.T(lang, "org.level."+string(l)) }
}

func sameNode(a, b Node) bool {
	return a.Code == b.Code && a.NameZH == b.NameZH && a.NameEN == b.NameEN && a.Kind == b.Kind &&
		a.Population == b.Population && a.Households == b.Households
}

func codeOf(n *Node) string {
	if n == nil {
		return ""
	}
	return n.Code
}

// columnOf maps a store field to the sheet column it came from.
func columnOf(field string) string {
	if field == "parent_id" {
		return "parent_code"
	}
	return field
}

// rowProblems turns field errors into the row's cell problems.
func rowProblems(r excel.Row, err error) excel.RowError {
	if err == nil {
		return nil
	}
	var out excel.RowError
	for _, fe := range errs.As(err).Fields {
		out = append(out, r.Problem(columnOf(fe.Field), fe.Msg.Key, fe.Msg.Args...))
	}
	return out
}
