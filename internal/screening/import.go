package screening

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// ImportFields are the columns of a village register. Headers are matched
// in either language and the usual variants of county templates.
var ImportFields = []excel.Field{
	{Key: "name", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.name"}, "姓名"), Required: true},
	{Key: "id_number", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.id_number"}, "身份证号", "身份证号码", "公民身份号码", "证件号码"), Required: true},
	{Key: "phone", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.phone"}, "手机号", "联系电话", "电话", "手机", "phone")},
	{Key: "village", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.village"}, "村（社区）", "村/社区", "所属村", "村居", "村", "village code")},
	{Key: "address", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.address"}, "现住址", "住址", "家庭住址", "address")},
	{Key: "workplace", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.workplace"}, "工作单位", "单位")},
	{Key: "from", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.from"}, "从何地来", "出发地", "来自", "来源地")},
	{Key: "via", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.via"}, "途经地", "途经")},
	{Key: "transport", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.transport"}, "交通方式", "交通工具")},
	{Key: "transport_no", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.transport_no"}, "车次/航班号", "车次", "航班号", "车次航班")},
	{Key: "arrived_on", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.arrived_on"}, "返乡日期", "到达日期", "抵达日期", "返回日期", "返宁日期")},
	{Key: "tags", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.tags"}, "人员类别", "类别", "标签")},
	{Key: "screened_on", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.screened_on"}, "排查日期", "登记日期")},
	{Key: "notes", Headers: excel.HeadersOf(i18n.Msg{Key: "screening.col.notes"}, "备注")},
}

// transportWords maps the ways a register writes a means of transport.
var transportWords = func() map[string]Transport {
	m := map[string]Transport{}
	for _, t := range Transports {
		m[foldWord(string(t))] = t
		for _, l := range i18n.Langs {
			m[foldWord(i18n.T(l, "screening.transport."+string(t)))] = t
		}
	}
	for w, t := range map[string]Transport{"火车": ByTrain, "高铁": ByTrain, "动车": ByTrain, "列车": ByTrain,
		"飞机": ByFlight, "航班": ByFlight, "客车": ByCoach, "大巴": ByCoach, "汽车": ByCoach, "长途车": ByCoach,
		"自驾": ByCar, "私家车": ByCar, "小汽车": ByCar, "其他": ByOther, "其它": ByOther} {
		m[foldWord(w)] = t
	}
	return m
}()

// ParseTransport reads a means of transport in either language; "" for a
// blank cell, ok false for a word it does not know.
func ParseTransport(s string) (Transport, bool) {
	if strings.TrimSpace(s) == "" {
		return "", true
	}
	t, ok := transportWords[foldWord(s)]
	return t, ok
}

// ImportOptions say where an import's rows go and what happens to a file
// with bad rows.
type ImportOptions struct {
	// DivisionID is the village of rows without a village column value.
	DivisionID int64
	Mode       excel.Mode
	FileName   string
}

// Problem is one bad row of an import report, stored in the job so any
// replica can show it in the reader's language.
type Problem struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Key    string `json:"key"`
	Args   []any  `json:"args,omitempty"`
}

// Msg is the problem's message.
func (p Problem) Msg() i18n.Msg { return i18n.Msg{Key: p.Key, Args: p.Args} }

// ImportResult is what an import did.
type ImportResult struct {
	Mode      string    `json:"mode"` // valid_rows, all_or_nothing
	Total     int       `json:"total"`
	OK        int       `json:"ok"`
	Bad       int       `json:"bad"`
	Created   int       `json:"created"`
	Committed bool      `json:"committed"`
	Why       string    `json:"why,omitempty"` // an i18n key saying why nothing was written
	Problems  []Problem `json:"problems"`
	Truncated bool      `json:"truncated"`
}

// Report turns the stored problems back into an excel.Report for the
// downloadable report sheet.
func (r ImportResult) Report() excel.Report {
	rep := excel.Report{Total: r.Total, OK: r.OK, Bad: r.Bad, Truncated: r.Truncated, Done: true}
	for _, p := range r.Problems {
		rep.Errors = append(rep.Errors, excel.RowProblem{Row: p.Row, Column: p.Column, Msg: p.Msg()})
	}
	return rep
}

// importRow is one valid row waiting for the commit.
type importRow struct {
	num    int
	person Person
	travel *Travel
}

// importer reads one file.
type importer struct {
	s       *Store
	ctx     context.Context
	p       *auth.Principal
	opt     ImportOptions
	today   storage.Date
	codes   map[string]int64 // village code -> id, within write scope
	names   map[string]int64 // village name -> id; -1 when two villages share it
	byID    map[string]int   // ID number -> first row
	byPhone map[string]int   // name|phone -> first row
	rows    []*importRow     // pointers: a growing slice of big rows costs copies
	// tagCells caches the parse of each distinct tag cell: a register
	// repeats a handful of them.
	tagCells   map[string]parsedTags
	transports map[string]Transport // "?" for an unknown word
}

type parsedTags struct {
	tags []Tag
	bad  []string
}

// Import reads a village register and, as opt.Mode decides, commits its
// valid rows in one transaction, reporting every bad row (format errors,
// duplicates within the file, people already registered) with its row
// number. jobID, if not 0, is an import_jobs row that receives progress
// and the result, so the page of any replica can show them.
func (s *Store) Import(ctx context.Context, p *auth.Principal, jobID int64, r io.Reader, opt ImportOptions) (ImportResult, error) {
	res := ImportResult{Mode: "valid_rows"}
	if opt.Mode == excel.AllOrNothing {
		res.Mode = "all_or_nothing"
	}
	im, err := s.newImporter(ctx, p, opt)
	if err != nil {
		return res, s.failJob(ctx, jobID, err)
	}
	s.jobStatus(ctx, jobID, "reading", 0)
	last := time.Now()
	rep, err := excel.Read(r, ImportFields, im.row, func(done int) {
		// A few updates a second show progress; one per thousand rows would
		// cost a durable commit each on SQLite.
		if time.Since(last) >= progressEvery {
			s.jobStatus(ctx, jobID, "reading", done)
			last = time.Now()
		}
	})
	var fileErr *excel.FileError
	if err != nil && !errors.As(err, &fileErr) {
		return res, s.failJob(ctx, jobID, errs.Wrap(err, "import read"))
	}
	if fileErr == nil {
		s.jobStatus(ctx, jobID, "saving", rep.Total)
		err = s.DB.InTx(ctx, func(tx *sql.Tx) error { return im.commit(tx, &rep, &res) })
		if err != nil && !errors.Is(err, errNoCommit) {
			return res, s.failJob(ctx, jobID, errs.Wrap(err, "import commit"))
		}
	}
	res.fill(rep, fileErr != nil)
	return res, s.finishJob(ctx, jobID, res)
}

// progressEvery is how often an import records its progress.
const progressEvery = 400 * time.Millisecond

// errNoCommit rolls back the import transaction when Decide says no.
var errNoCommit = errors.New("import: nothing to commit")

func (s *Store) newImporter(ctx context.Context, p *auth.Principal, opt ImportOptions) (*importer, error) {
	im := &importer{s: s, ctx: ctx, p: p, opt: opt, today: s.Today(), codes: map[string]int64{}, names: map[string]int64{},
		byID: map[string]int{}, byPhone: map[string]int{}, tagCells: map[string]parsedTags{},
		transports: map[string]Transport{}}
	nodes, err := s.nodes(ctx, p.Scope(PermWrite))
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		if n.Level != "village" {
			continue
		}
		im.codes[n.Code] = n.ID
		for _, name := range []string{n.NameZH, n.NameEN} {
			if k := foldWord(name); k != "" {
				if old, taken := im.names[k]; taken && old != n.ID {
					im.names[k] = -1
				} else {
					im.names[k] = n.ID
				}
			}
		}
	}
	if opt.DivisionID != 0 && !im.inScope(opt.DivisionID) {
		return nil, errs.Field("division_id", "screening.err.village_out_of_scope")
	}
	return im, nil
}

func (im *importer) inScope(id int64) bool {
	for _, v := range im.codes {
		if v == id {
			return true
		}
	}
	return false
}

// row validates one row of the file.
func (im *importer) row(r excel.Row) error {
	in := PersonInput{Name: r.Get("name"), IDNumber: r.Get("id_number"), Phone: r.Get("phone"), Address: r.Get("address"),
		Workplace: r.Get("workplace"), ScreenedOn: r.Get("screened_on"), Notes: r.Get("notes"), DivisionID: im.opt.DivisionID}
	var problems excel.RowError
	if v := r.Get("village"); v != "" {
		if in.DivisionID = im.village(v); in.DivisionID <= 0 {
			problems = append(problems, r.Problem("village", "screening.err.import_village", v))
		}
	} else if in.DivisionID == 0 {
		problems = append(problems, r.Problem("village", "screening.err.village_required"))
	}
	var fc errs.FieldCollector
	pr := in.check(&fc, im.today)
	if cell := r.Get("tags"); cell != "" {
		pt, ok := im.tagCells[cell]
		if !ok {
			pt.tags, pt.bad = ParseTags(cell)
			im.tagCells[cell] = pt
		}
		if len(pt.bad) > 0 {
			fc.Add("tags", "screening.err.bad_tag", strings.Join(pt.bad, "、"))
		}
		pr.Tags = pt.tags
	}
	travel := im.travel(r, &fc)
	for _, f := range errFields(fc.Err()) {
		if f.Field != "division_id" {
			problems = append(problems, r.Problem(f.Field, f.Msg.Key, f.Msg.Args...))
		}
	}
	if len(problems) == 0 {
		problems = im.inFile(r, pr)
	}
	if len(problems) > 0 {
		return problems
	}
	pr.Source = SourceImport
	im.rows = append(im.rows, &importRow{num: r.Num, person: pr, travel: travel})
	return nil
}

// travel reads the journey columns, if any is filled.
func (im *importer) travel(r excel.Row, fc *errs.FieldCollector) *Travel {
	in := TravelInput{From: r.Get("from"), Via: r.Get("via"), TransportNo: r.Get("transport_no"), ArrivedOn: r.Get("arrived_on")}
	word := r.Get("transport")
	t, ok := im.transport(word)
	if !ok {
		fc.Add("transport", "screening.err.bad_transport", word)
	}
	in.Transport = string(t)
	if in.empty() && word == "" {
		return nil
	}
	tr := in.check(fc, "", im.today)
	return &tr
}

// transport parses a transport cell, caching the few distinct ones.
func (im *importer) transport(word string) (Transport, bool) {
	if t, ok := im.transports[word]; ok {
		return t, t != "?"
	}
	t, ok := ParseTransport(word)
	if !ok {
		t = "?"
	}
	im.transports[word] = t
	return t, ok
}

// village finds a village of the caller's write scope by code or name.
func (im *importer) village(v string) int64 {
	if id, ok := im.codes[strings.TrimSpace(v)]; ok {
		return id
	}
	return im.names[foldWord(v)]
}

// inFile refuses a row repeating an earlier row's person.
func (im *importer) inFile(r excel.Row, pr Person) excel.RowError {
	if first, seen := im.byID[pr.IDNumber]; seen {
		return excel.RowError{r.Problem("id_number", "screening.err.import_repeat", first)}
	}
	im.byID[pr.IDNumber] = r.Num
	if pr.Phone != "" {
		k := pr.Name + "|" + pr.Phone
		if first, seen := im.byPhone[k]; seen {
			return excel.RowError{r.Problem("phone", "screening.err.import_repeat", first)}
		}
		im.byPhone[k] = r.Num
	}
	return nil
}

// commit finds the rows whose person is already registered, decides, and
// inserts the rest.
func (im *importer) commit(tx *sql.Tx, rep *excel.Report, res *ImportResult) error {
	dups, err := im.registered(tx)
	if err != nil {
		return err
	}
	im.report(rep, dups)
	if !excel.Decide(im.opt.Mode, *rep) {
		return errNoCommit
	}
	keep := make([]*importRow, 0, len(im.rows))
	for _, r := range im.rows {
		if _, bad := dups[r.num]; !bad {
			keep = append(keep, r)
		}
	}
	if err := im.insertWith(tx, keep, SourceImport); err != nil {
		return err
	}
	res.Created, res.Committed = len(keep), true
	return audit.Write(im.ctx, tx, audit.ActionImport, "person", "", im.opt.DivisionID, nil, map[string]any{
		"file": im.opt.FileName, "rows": rep.Total, "bad": rep.Bad, "created": len(keep), "mode": res.Mode})
}

// registered finds the valid rows whose person the register already holds
// (same ID number, or same name and phone), by row number.
func (im *importer) registered(tx *sql.Tx) (map[int]*Duplicate, error) {
	byID := make(map[string]int, len(im.rows))
	byPhone := map[string][]int{}
	var ids, phones []any
	for i, r := range im.rows {
		byID[r.person.IDNumber] = i
		ids = append(ids, r.person.IDNumber)
		if r.person.Phone != "" {
			byPhone[r.person.Phone] = append(byPhone[r.person.Phone], i)
			phones = append(phones, r.person.Phone)
		}
	}
	out := map[int]*Duplicate{}
	mark := func(i int, d *Duplicate) {
		if old, ok := out[im.rows[i].num]; !ok || (old.By != "id_number" && d.By == "id_number") {
			out[im.rows[i].num] = d
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
			if im.rows[i].person.Name == name {
				mark(i, &Duplicate{ID: live, By: "name_phone", Visible: im.p.Scope(PermRead).Contains(path)})
			}
		}
	})
	return out, err
}

// lookup reads the persons whose col is one of vals, 500 at a time.
func (im *importer) lookup(tx *sql.Tx, col string, vals []any, fn func(id, live int64, num, name, phone, path string)) error {
	for _, chunk := range chunks(vals, 500) {
		rows, err := tx.QueryContext(im.ctx, `SELECT p.id, p.merged_into, p.id_number, p.name, p.phone, n.path
			FROM persons p JOIN org_nodes n ON n.id = p.division_id WHERE `+col+` IN (`+placeholders(im.s.DB.Dialect, len(chunk))+`)`, chunk...)
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
		pr := r.person
		vals[i] = []any{pr.DivisionID, pr.Name, pr.IDNumber, pr.Sex, pr.BirthDate, pr.Phone, pr.Address, pr.Workplace,
			encodeTags(pr.Tags), string(source), pr.ScreenedOn, pr.Notes, actor, now, now}
	}
	ids := make(map[string]int64, len(rows))
	cols := []string{"division_id", "name", "id_number", "sex", "birth_date", "phone", "address", "workplace", "tags",
		"source", "screened_on", "notes", "created_by", "created_at", "updated_at"}
	err := batchInsert(im.ctx, tx, im.s.DB.Dialect, "persons", cols, vals, "id, id_number", func(r *sql.Rows) error {
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
		r.person.ID, r.person.Source = ids[r.person.IDNumber], source
		r.person.Version, r.person.CreatedBy, r.person.CreatedAt, r.person.UpdatedAt = 1, actor, now, now
		if t := r.travel; t != nil {
			travels = append(travels, []any{ids[r.person.IDNumber], t.From, t.Via, string(t.Transport), t.TransportNo,
				t.ArrivedOn, actor, now})
		}
	}
	return batchInsert(im.ctx, tx, im.s.DB.Dialect, "person_travels", []string{"person_id", "from_place", "via", "transport", "transport_no",
		"arrived_on", "created_by", "created_at"}, travels, "", nil)
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

// ImportJob is an import's progress and result, as any replica reads it.
type ImportJob struct {
	ID        int64         `json:"id"`
	FileName  string        `json:"file_name"`
	Status    string        `json:"status"` // queued, reading, saving, done, failed
	RowsDone  int           `json:"rows_done"`
	RowsOK    int           `json:"rows_ok"`
	RowsBad   int           `json:"rows_bad"`
	Result    *ImportResult `json:"result,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
	// Stalled: still running by its status but silent for minutes (the
	// server that ran it stopped).
	Stalled bool `json:"stalled"`
}

// Finished reports whether the job will change no more.
func (j ImportJob) Finished() bool { return j.Status == "done" || j.Status == "failed" || j.Stalled }

const jobKind = "screening.persons"

// NewImportJob records an import about to run, for its progress page.
func (s *Store) NewImportJob(ctx context.Context, p *auth.Principal, fileName string) (int64, error) {
	var id int64
	now := s.now()
	err := s.DB.W.QueryRowContext(ctx, `INSERT INTO import_jobs (user_id, kind, file_name, status, created_at, updated_at)
		VALUES ($1, $2, $3, 'queued', $4, $4) RETURNING id`, p.UserID, jobKind, fileName, now).Scan(&id)
	return id, errs.Wrap(err, "import job")
}

// jobStatus records progress; a failure to record it never stops the import.
func (s *Store) jobStatus(ctx context.Context, id int64, status string, done int) {
	if id == 0 {
		return
	}
	_, _ = s.DB.W.ExecContext(ctx, `UPDATE import_jobs SET status = $1, rows_done = $2, updated_at = $3 WHERE id = $4`,
		status, done, s.now(), id)
}

func (s *Store) finishJob(ctx context.Context, id int64, res ImportResult) error {
	if id == 0 {
		return nil
	}
	b, err := json.Marshal(res)
	if err != nil {
		return errs.Wrap(err, "import result")
	}
	_, err = s.DB.W.ExecContext(ctx, `UPDATE import_jobs SET status = 'done', rows_total = $1, rows_done = $1, rows_ok = $2,
		rows_bad = $3, report_json = $4, updated_at = $5 WHERE id = $6`, res.Total, res.Created, res.Bad, string(b), s.now(), id)
	return errs.Wrap(err, "import finish")
}

// failJob marks the job failed and passes err on.
func (s *Store) failJob(ctx context.Context, id int64, err error) error {
	if id != 0 {
		msg := errs.As(err).Msg.Key
		b, _ := json.Marshal(ImportResult{Why: msg})
		_, _ = s.DB.W.ExecContext(ctx, `UPDATE import_jobs SET status = 'failed', report_json = $1, updated_at = $2 WHERE id = $3`,
			string(b), s.now(), id)
	}
	return err
}

// stallAfter is how long a running import may stay silent: progress comes
// every thousand rows, so minutes of silence mean its server stopped.
const stallAfter = 5 * time.Minute

// ImportJob reads an import's progress and result; only its uploader sees it.
func (s *Store) ImportJob(ctx context.Context, p *auth.Principal, id int64) (ImportJob, error) {
	var j ImportJob
	var report string
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, file_name, status, rows_done, rows_ok, rows_bad, report_json, created_at,
		updated_at FROM import_jobs WHERE id = $1 AND kind = $2 AND user_id = $3`, id, jobKind, p.UserID).
		Scan(&j.ID, &j.FileName, &j.Status, &j.RowsDone, &j.RowsOK, &j.RowsBad, &report, &j.CreatedAt, &j.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return j, errs.NotFoundf()
	}
	if err != nil {
		return j, errs.Wrap(err, "import job")
	}
	if report != "" {
		var res ImportResult
		dec := json.NewDecoder(strings.NewReader(report))
		dec.UseNumber()
		if err := dec.Decode(&res); err == nil {
			for i := range res.Problems {
				res.Problems[i].Args = numbers(res.Problems[i].Args)
			}
			j.Result = &res
		}
	}
	j.Stalled = !j.Finished() && s.now().Sub(j.UpdatedAt) > stallAfter
	return j, nil
}

// numbers turns JSON numbers back into ints, so %d messages print them.
func numbers(args []any) []any {
	for i, a := range args {
		if n, ok := a.(json.Number); ok {
			if v, err := n.Int64(); err == nil {
				args[i] = v
			} else if f, err := n.Float64(); err == nil {
				args[i] = f
			}
		}
	}
	return args
}
