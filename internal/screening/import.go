package screening

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strings"
	"time"

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
	// saver, if set, stores the valid rows while the file is read; rows
	// before sent have been handed to it.
	saver *saver
	sent  int
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
//
// On PostgreSQL the rows are saved with COPY while the file is still being
// read (see saver); on SQLite, whose one writer connection the progress
// updates need, they are saved after it. Both give the same result.
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
	var rep excel.Report
	if s.DB.Dialect == storage.Postgres {
		err = s.DB.InBulkTx(ctx, func(tx *storage.BulkTx) error { return im.readSaving(tx, jobID, r, &rep, &res) })
	} else {
		err = im.readThenSave(jobID, r, &rep, &res)
	}
	var fileErr *excel.FileError
	if err != nil && !errors.Is(err, errNoCommit) && !errors.As(err, &fileErr) {
		return res, s.failJob(ctx, jobID, errs.Wrap(err, "import"))
	}
	res.fill(rep, fileErr != nil)
	return res, s.finishJob(ctx, jobID, res)
}

// readThenSave reads the whole file, then saves its valid rows.
func (im *importer) readThenSave(jobID int64, r io.Reader, rep *excel.Report, res *ImportResult) error {
	var err error
	if *rep, err = im.read(jobID, r); err != nil {
		return err
	}
	im.s.jobStatus(im.ctx, jobID, "saving", rep.Total)
	return im.s.DB.InTx(im.ctx, func(tx *sql.Tx) error { return im.commit(tx, rep, res) })
}

// read reads and checks the file's rows, recording progress. The error is
// an *excel.FileError for a file that cannot be taken as a whole.
func (im *importer) read(jobID int64, r io.Reader) (excel.Report, error) {
	last := time.Now()
	return excel.Read(r, ImportFields, im.row, func(done int) {
		// A few updates a second show progress; one per thousand rows would
		// cost a durable commit each on SQLite.
		if time.Since(last) >= progressEvery {
			im.s.jobStatus(im.ctx, jobID, "reading", done)
			last = time.Now()
		}
	})
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
	if im.saver != nil && len(im.rows)-im.sent >= saveBatch {
		im.saver.send(im.rows[im.sent:])
		im.sent = len(im.rows)
	}
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
