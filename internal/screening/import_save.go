package screening

import (
	"database/sql"
	"sort"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/storage"
)

// commit finds the rows whose person is already registered, decides, and
// inserts the rest with multi-row INSERTs (readSaving is its PostgreSQL
// counterpart).
func (im *importer) commit(tx *sql.Tx, rep *excel.Report, res *ImportResult) error {
	dups, err := im.registered(tx)
	if err != nil {
		return err
	}
	im.report(rep, dups)
	if !excel.Decide(im.opt.Mode, *rep) {
		return errNoCommit
	}
	keep := fresh(im.rows, dups)
	if err := im.insertWith(tx, keep, SourceImport); err != nil {
		return err
	}
	return im.audit(tx, rep, res, len(keep))
}

// fresh is rows without those already registered.
func fresh(rows []*importRow, dups map[int]*Duplicate) []*importRow {
	keep := make([]*importRow, 0, len(rows))
	for _, r := range rows {
		if _, bad := dups[r.num]; !bad {
			keep = append(keep, r)
		}
	}
	return keep
}

// audit records the import as committed, in its transaction.
func (im *importer) audit(tx storage.Querier, rep *excel.Report, res *ImportResult, created int) error {
	res.Created, res.Committed = created, true
	return audit.Write(im.ctx, tx, audit.ActionImport, "person", "", im.opt.DivisionID, nil, map[string]any{
		"file": im.opt.FileName, "rows": rep.Total, "bad": rep.Bad, "created": created, "mode": res.Mode})
}

// registered finds the valid rows whose person the register already holds
// (same ID number, or same name and phone), by row number.
func (im *importer) registered(tx storage.Querier) (map[int]*Duplicate, error) {
	return im.registeredOf(tx, im.rows)
}

// registeredOf is registered for some of the rows.
func (im *importer) registeredOf(tx storage.Querier, rows []*importRow) (map[int]*Duplicate, error) {
	byID := make(map[string]int, len(rows))
	byPhone := map[string][]int{}
	var ids, phones []any
	for i, r := range rows {
		byID[r.person.IDNumber] = i
		ids = append(ids, r.person.IDNumber)
		if r.person.Phone != "" {
			byPhone[r.person.Phone] = append(byPhone[r.person.Phone], i)
			phones = append(phones, r.person.Phone)
		}
	}
	out := map[int]*Duplicate{}
	mark := func(i int, d *Duplicate) {
		if old, ok := out[rows[i].num]; !ok || (old.By != "id_number" && d.By == "id_number") {
			out[rows[i].num] = d
		}
	}
	err := im.lookup(tx, "p.id_number", ids, func(id, live int64, num, name, phone, path string) {
		if i, ok := byID[num]; ok {
			mark(i, &Duplicate{ID: live, By: "id_number", Visible: im.p.Scope(PermRead).Contains(path)})
		}
	})
	if err != nil {
		return nil, err
	}
	err = im.lookup(tx, "p.phone", uniqueAny(phones), func(id, live int64, num, name, phone, path string) {
		for _, i := range byPhone[phone] {
			if rows[i].person.Name == name {
				mark(i, &Duplicate{ID: live, By: "name_phone", Visible: im.p.Scope(PermRead).Contains(path)})
			}
		}
	})
	return out, err
}

// lookup reads the persons whose col is one of vals: 500 at a time in an IN
// list or, on PostgreSQL, 5,000 at a time as one text[] parameter, which
// spares binding and planning 500 parameters a query.
func (im *importer) lookup(tx storage.Querier, col string, vals []any, fn func(id, live int64, num, name, phone, path string)) error {
	pg := im.s.DB.Dialect == storage.Postgres
	per := 500
	if pg {
		per = 5000
	}
	for _, chunk := range chunks(vals, per) {
		cond, args := ` IN (`+placeholders(im.s.DB.Dialect, len(chunk))+`)`, chunk
		if pg {
			cond, args = ` = ANY($1)`, []any{textArray(chunk)}
		}
		rows, err := tx.QueryContext(im.ctx, `SELECT p.id, p.merged_into, p.id_number, p.name, p.phone, n.path
			FROM persons p JOIN org_nodes n ON n.id = p.division_id WHERE `+col+cond, args...)
		if err != nil {
			return errs.Wrap(err, "import lookup")
		}
		type hit struct {
			id                     int64
			merged                 sql.NullInt64
			num, name, phone, path string
		}
		var hits []hit
		for rows.Next() {
			var h hit
			if err := rows.Scan(&h.id, &h.merged, &h.num, &h.name, &h.phone, &h.path); err != nil {
				rows.Close()
				return errs.Wrap(err, "import lookup scan")
			}
			hits = append(hits, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return errs.Wrap(err, "import lookup")
		}
		for _, h := range hits {
			live := h.id
			if h.merged.Valid {
				if live, err = liveID(im.ctx, tx, h.merged.Int64); err != nil {
					return err
				}
			}
			fn(h.id, live, h.num, h.name, h.phone, h.path)
		}
	}
	return nil
}

// textArray is vals (strings) as one PostgreSQL text[] parameter.
func textArray(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = v.(string)
	}
	return out
}

func uniqueAny(vals []any) []any {
	seen := map[any]bool{}
	var out []any
	for _, v := range vals {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// report moves the rows already registered from OK to Bad and merges their
// problems into the report in row order, respecting its cap.
func (im *importer) report(rep *excel.Report, dups map[int]*Duplicate) {
	if len(dups) == 0 {
		return
	}
	colOf := map[string]string{}
	for _, f := range ImportFields {
		colOf[f.Key] = f.Headers[0]
	}
	var extra []excel.RowProblem
	for num, d := range dups {
		extra = append(extra, excel.RowProblem{Row: num, Column: colOf[d.field()], Msg: d.Msg()})
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].Row < extra[j].Row })
	merged := make([]excel.RowProblem, 0, len(rep.Errors)+len(extra))
	i, j := 0, 0
	for i < len(rep.Errors) || j < len(extra) {
		if j == len(extra) || (i < len(rep.Errors) && rep.Errors[i].Row <= extra[j].Row) {
			merged = append(merged, rep.Errors[i])
			i++
		} else {
			merged = append(merged, extra[j])
			j++
		}
	}
	if len(merged) > excel.MaxProblems {
		merged, rep.Truncated = merged[:excel.MaxProblems], true
	}
	rep.Errors = merged
	rep.OK -= len(dups)
	rep.Bad += len(dups)
}

// insertWith stores the rows' persons (setting their ids) and journeys,
// many rows per statement.
func (im *importer) insertWith(tx *sql.Tx, rows []*importRow, source Source) error {
	now, actor := im.s.now(), by(im.p)
	vals := make([][]any, len(rows))
	for i, r := range rows {
		vals[i] = personRow(&r.person, source, actor, now)
	}
	ids := make(map[string]int64, len(rows))
	err := batchInsert(im.ctx, tx, im.s.DB.Dialect, "persons", importPersonCols, vals, "id, id_number", func(r *sql.Rows) error {
		var id int64
		var num string
		err := r.Scan(&id, &num)
		ids[num] = id
		return err
	})
	if storage.IsUniqueViolation(err) {
		return errs.New(errs.Conflict, "screening.err.duplicate_race")
	}
	if err != nil {
		return err
	}
	var travels [][]any
	for _, r := range rows {
		stored(&r.person, ids[r.person.IDNumber], source, actor, now)
		if r.travel != nil {
			travels = append(travels, travelRow(r.person.ID, r.travel, actor, now))
		}
	}
	return batchInsert(im.ctx, tx, im.s.DB.Dialect, "person_travels", importTravelCols, travels, "", nil)
}

// importPersonCols are the columns an import writes of a person, in the order of
// personRow's values.
var importPersonCols = []string{"division_id", "name", "id_number", "sex", "birth_date", "phone", "address", "workplace", "tags",
	"source", "screened_on", "notes", "created_by", "created_at", "updated_at"}

func personRow(pr *Person, source Source, actor string, now time.Time) []any {
	return []any{pr.DivisionID, pr.Name, pr.IDNumber, pr.Sex, pr.BirthDate, pr.Phone, pr.Address, pr.Workplace,
		encodeTags(pr.Tags), string(source), pr.ScreenedOn, pr.Notes, actor, now, now}
}

// importTravelCols are the columns of a journey, in the order of travelRow's values.
var importTravelCols = []string{"person_id", "from_place", "via", "transport", "transport_no", "arrived_on", "created_by", "created_at"}

func travelRow(personID int64, t *Travel, actor string, now time.Time) []any {
	return []any{personID, t.From, t.Via, string(t.Transport), t.TransportNo, t.ArrivedOn, actor, now}
}

// stored fills in what the database gave a newly inserted person.
func stored(pr *Person, id int64, source Source, actor string, now time.Time) {
	pr.ID, pr.Source = id, source
	pr.Version, pr.CreatedBy, pr.CreatedAt, pr.UpdatedAt = 1, actor, now, now
}

// fill copies the report into the result.
func (res *ImportResult) fill(rep excel.Report, fileProblem bool) {
	res.Total, res.OK, res.Bad, res.Truncated = rep.Total, rep.OK, rep.Bad, rep.Truncated
	for _, p := range rep.Errors {
		res.Problems = append(res.Problems, Problem{Row: p.Row, Column: p.Column, Key: p.Msg.Key, Args: p.Msg.Args})
	}
	switch {
	case res.Committed:
	case fileProblem:
		res.Why = "screening.import.why_file"
	case rep.OK == 0:
		res.Why = "screening.import.why_none_valid"
	default:
		res.Why = "screening.import.why_all_or_nothing"
	}
}
