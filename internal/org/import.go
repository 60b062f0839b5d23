package org

import (
	"context"
	"database/sql"
	"errors"
	"io"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
)

// ImportResult is what an import did, for the report page.
type ImportResult struct {
	Report excel.Report
	Mode   excel.Mode
	// Created, Updated and Unchanged break down the valid rows.
	Created, Updated, Unchanged int
	Committed                   bool
	// Failure is set when the commit itself failed on a row (someone changed
	// the tree meanwhile): the transaction was rolled back.
	Failure *Failure
}

// Failure is the row on which a commit failed. Field is the column's key
// (code, parent_code …), empty for the row as a whole.
type Failure struct {
	Row   int
	Field string
	Msg   i18n.Msg
}

// action is what an import does with one valid row.
type action int

const (
	create action = iota
	update
	unchanged
)

// plan is one valid row, checked against the database and the rows before it.
type plan struct {
	num        int
	act        action
	node       Node // as it will be stored
	parentCode string
}

// Import reads an .xlsx of nodes (the export's columns) and, as mode decides,
// commits its valid rows in one transaction: new codes are created under a
// parent code found in the database or earlier in the file, existing codes in
// the caller's org.write scope are updated (blank cells leave a value as it
// is). The returned error is an internal one; everything the user can fix is
// in the result's report.
func (s *Store) Import(ctx context.Context, p *auth.Principal, r io.Reader, mode excel.Mode) (ImportResult, error) {
	res := ImportResult{Mode: mode}
	im := &importer{s: s, ctx: ctx, p: p, rows: map[string]int{}, bad: map[string]int{}}
	rep, err := excel.Read(r, ImportFields, im.row, nil)
	res.Report = rep
	var fileErr *excel.FileError
	if errors.As(err, &fileErr) {
		return res, nil
	}
	if err != nil {
		return res, err
	}
	for _, pl := range im.plans {
		switch pl.act {
		case create:
			res.Created++
		case update:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	if !excel.Decide(mode, rep) {
		return res, nil
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error { return im.commit(tx, &res) })
	var rf rowFailure
	if errors.As(err, &rf) {
		res.Failure = &Failure{Row: rf.num, Msg: errs.As(rf.err).Msg}
		if fs := errs.As(rf.err).Fields; len(fs) > 0 {
			res.Failure.Field, res.Failure.Msg = columnOf(fs[0].Field), fs[0].Msg
		}
		return res, nil
	}
	if err != nil {
		return res, errs.Wrap(err, "org import")
	}
	res.Committed = true
	return res, nil
}

// rowFailure is a user-facing error met while committing one row.
type rowFailure struct {
	num int
	err error
}

func (f rowFailure) Error() string { return f.err.Error() }

// commit writes the plans in file order, so a parent created by an earlier
// row exists when its children are inserted.
func (im *importer) commit(tx *sql.Tx, res *ImportResult) error {
	made := map[string]int64{}
	for _, pl := range im.plans {
		var err error
		switch pl.act {
		case create:
			err = im.insert(tx, pl, made)
		case update:
			_, err = updateTx(im.ctx, tx, im.p, pl.node)
		}
		if err != nil {
			if errs.CodeOf(err) == errs.Internal {
				return err
			}
			return rowFailure{num: pl.num, err: err}
		}
	}
	summary := map[string]any{"rows": res.Report.Total, "bad": res.Report.Bad, "created": res.Created,
		"updated": res.Updated, "unchanged": res.Unchanged, "mode": modeName(res.Mode)}
	return audit.Write(im.ctx, tx, audit.ActionImport, "org_node", "", 0, nil, summary)
}

func (im *importer) insert(tx *sql.Tx, pl plan, made map[string]int64) error {
	n := pl.node
	if pl.parentCode != "" {
		id, ok := made[pl.parentCode]
		if !ok {
			par, err := nodeWhere(im.ctx, tx, "code", pl.parentCode)
			if err != nil {
				return errs.Field("parent_id", "org.import.parent_missing", pl.parentCode)
			}
			id = par.ID
		}
		n.ParentID = id
	}
	saved, err := im.s.insertTx(im.ctx, tx, im.p, n)
	made[saved.Code] = saved.ID
	return err
}

func modeName(m excel.Mode) string {
	if m == excel.AllOrNothing {
		return "all_or_nothing"
	}
	return "valid_rows"
}

// ImportFields are the columns of the tree's sheet, the same for export and
// import, so an exported file imports unchanged.
var ImportFields = []excel.Field{
	{Key: "code", Headers: excel.HeadersOf(i18n.Msg{Key: "org.col.code"}, "代码", "区划代码"), Required: true},
	{Key: "parent_code", Headers: excel.HeadersOf(i18n.Msg{Key: "org.col.parent_code"}, "上级区划代码")},
	{Key: "name_zh", Headers: excel.HeadersOf(i18n.Msg{Key: "org.col.name_zh"}, "名称", "name"), Required: true},
	{Key: "name_en", Headers: excel.HeadersOf(i18n.Msg{Key: "org.col.name_en"}, "英文名")},
	{Key: "level", Headers: excel.HeadersOf(i18n.Msg{Key: "org.col.level"}, "级别")},
	{Key: "kind", Headers: excel.HeadersOf(i18n.Msg{Key: "org.col.kind"}, "类别", "type")},
	{Key: "population", Headers: excel.HeadersOf(i18n.Msg{Key: "org.col.population"}, "人口数")},
	{Key: "households", Headers: excel.HeadersOf(i18n.Msg{Key: "org.col.households"}, "户籍户数")},
}
