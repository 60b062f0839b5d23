package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strings"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
)

// ImportFields are the register's columns, the same for the template, the
// export and the import, so an exported sheet (with personal data) imports.
var ImportFields = []excel.Field{
	{Key: "name", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.name"}, "企业名称", "单位名称"), Required: true},
	{Key: "credit_code", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.credit_code"}, "信用代码", "统一社会信用代码"), Required: true},
	{Key: "industry", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.industry"}, "行业", "所属行业"), Required: true},
	{Key: "division", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.division_code"}, "区划代码", "乡镇（村）代码"), Required: true},
	{Key: "address", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.address"}, "地址")},
	{Key: "above_size", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.above_size"}, "规上", "规模以上")},
	{Key: "key_project", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.key_project"}, "重点项目")},
	{Key: "employees", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.employees"}, "职工人数", "员工人数")},
	{Key: "principal", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.principal"}, "负责人", "法定代表人")},
	{Key: "officer", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.officer"}, "防控专员"), Required: true},
	{Key: "officer_phone", Headers: excel.HeadersOf(i18n.Msg{Key: "enterprise.officer_phone"}, "联系电话", "手机号"), Required: true},
}

// ImportResult is what an import did.
type ImportResult struct {
	Report    excel.Report
	Created   int
	Committed bool
}

// Import reads an .xlsx of new enterprises and registers them all in one
// transaction — or, if any row is bad, none (every bad row is reported with
// its row number and reasons). The returned error is an internal one;
// everything the user can fix is in the report.
func (s *Store) Import(ctx context.Context, p *auth.Principal, r io.Reader) (ImportResult, error) {
	im := &importer{s: s, ctx: ctx, p: p, codes: map[string]int{}, divs: map[string]divRef{}}
	rep, err := excel.Read(r, ImportFields, im.row, nil)
	res := ImportResult{Report: rep}
	var fileErr *excel.FileError
	if errors.As(err, &fileErr) {
		return res, nil
	}
	if err != nil {
		return res, errs.Wrap(err, "enterprise import")
	}
	if !excel.Decide(excel.AllOrNothing, rep) {
		return res, nil
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		for _, e := range im.valid {
			id, err := s.insert(ctx, tx, p, e)
			if err != nil {
				return err
			}
			e.ID = id
			if err := audit.Write(ctx, tx, audit.ActionCreate, "enterprise", itoa(id), e.DivisionID, nil, e.Masked()); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, audit.ActionImport, "enterprise", "", 0, nil,
			map[string]any{"rows": rep.Total, "created": len(im.valid)})
	})
	if err != nil {
		return res, errs.Wrap(err, "enterprise import commit")
	}
	res.Created, res.Committed = len(im.valid), true
	return res, nil
}

// divRef is a resolved division cell.
type divRef struct {
	id  int64
	err string // message key when the cell names no usable division
}

// importer checks rows one by one and keeps the valid ones.
type importer struct {
	s     *Store
	ctx   context.Context
	p     *auth.Principal
	valid []Enterprise
	codes map[string]int // credit code → first row using it
	divs  map[string]divRef
}

// row is excel.Read's row function.
func (im *importer) row(r excel.Row) error {
	in := Input{Name: r.Get("name"), CreditCode: r.Get("credit_code"), Address: r.Get("address"),
		Principal: r.Get("principal"), Officer: r.Get("officer"), OfficerPhone: r.Get("officer_phone")}
	var problems excel.RowError
	in.Industry = parseIndustry(r.Get("industry"))
	var ok bool
	if in.AboveSize, ok = parseYes(r.Get("above_size")); !ok {
		problems = append(problems, r.Problem("above_size", "enterprise.err.yes_no"))
	}
	if in.KeyProject, ok = parseYes(r.Get("key_project")); !ok {
		problems = append(problems, r.Problem("key_project", "enterprise.err.yes_no"))
	}
	formInt(&in.bad, "employees", r.Get("employees"), &in.Employees)
	div, err := im.division(r.Get("division"))
	if err != nil {
		return err
	}
	in.DivisionID = div.id
	e, cerr := in.check()
	for _, fe := range errs.As(cerr).Fields {
		key := fe.Field
		if key == "division_id" {
			if div.err != "" {
				continue
			}
			key = "division"
		}
		problems = append(problems, r.Problem(key, fe.Msg.Key, fe.Msg.Args...))
	}
	if div.err != "" {
		problems = append(problems, r.Problem("division", div.err))
	}
	if e.CreditCode != "" {
		if prev, dup := im.codes[e.CreditCode]; dup {
			problems = append(problems, r.Problem("credit_code", "enterprise.err.dup_row", prev))
		} else {
			im.codes[e.CreditCode] = r.Num
			if taken, err := im.taken(e.CreditCode); err != nil {
				return err
			} else if taken {
				problems = append(problems, r.Problem("credit_code", "enterprise.err.credit_code_taken"))
			}
		}
	}
	if len(problems) > 0 {
		return problems
	}
	im.valid = append(im.valid, e)
	return nil
}

// division resolves a division cell — a statistical code, or a unique name —
// to a township or village the importer may register in.
func (im *importer) division(cell string) (divRef, error) {
	cell = strings.TrimSpace(cell)
	if ref, ok := im.divs[cell]; ok {
		return ref, nil
	}
	rows, err := im.s.DB.R.QueryContext(im.ctx, `SELECT id, path, level FROM org_nodes WHERE code = $1 OR name_zh = $1 OR name_en = $1`, cell)
	if err != nil {
		return divRef{}, errs.Wrap(err, "import division")
	}
	defer rows.Close()
	type node struct {
		id          int64
		path, level string
	}
	var found []node
	for rows.Next() {
		var n node
		if err := rows.Scan(&n.id, &n.path, &n.level); err != nil {
			return divRef{}, errs.Wrap(err, "import division scan")
		}
		found = append(found, n)
	}
	var ref divRef
	switch {
	case len(found) == 0:
		ref.err = "enterprise.err.division_unknown"
	case len(found) > 1:
		ref.err = "enterprise.err.division_ambiguous"
	case found[0].level == "county" || !im.p.Scope(auth.PermEnterpriseWrite).Contains(found[0].path):
		ref.err = "enterprise.err.division_out_of_scope"
	default:
		ref.id = found[0].id
	}
	im.divs[cell] = ref
	return ref, rows.Err()
}

func (im *importer) taken(code string) (bool, error) {
	var n int
	err := im.s.DB.R.QueryRowContext(im.ctx, `SELECT COUNT(*) FROM enterprises WHERE credit_code = $1`, code).Scan(&n)
	return n > 0, errs.Wrap(err, "import credit code")
}

// parseIndustry accepts an industry's key or its name in either language.
func parseIndustry(s string) string {
	s = strings.TrimSpace(s)
	for _, ind := range Industries {
		if strings.EqualFold(s, ind) {
			return ind
		}
		for _, l := range i18n.Langs {
			if strings.EqualFold(s, i18n.T(l, "enterprise.industry."+ind)) {
				return ind
			}
		}
	}
	return s
}

// parseYes reads a yes/no cell as people fill it in; blank is no.
func parseYes(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "否", "no", "n", "false", "0", "×", "x":
		return false, true
	case "是", "yes", "y", "true", "1", "√", "✓":
		return true, true
	}
	return false, false
}

// yesNo writes a flag as the import reads it back.
func yesNo(b bool, lang i18n.Lang) string {
	if b {
		return i18n.T(lang, "common.yes")
	}
	return i18n.T(lang, "common.no")
}
