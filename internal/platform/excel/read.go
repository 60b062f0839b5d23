package excel

import (
	"errors"
	"io"
	"strings"

	"fangkong/internal/platform/i18n"
)

// ProgressEvery is how many data rows pass between calls of Read's progress
// function: often enough for a progress bar, rare enough that storing the
// figure in the database costs nothing.
const ProgressEvery = 1000

// headerScan is how far down Read looks for the header row: county
// templates often put a title and a note above it.
const headerScan = 10

// Row is one non-blank data row of an import.
type Row struct {
	Num  int // spreadsheet row number, as Excel shows it
	vals []string
	set  *fieldSet
}

// fieldSet is what every Row of one Read shares.
type fieldSet struct {
	fields []Field
	keys   map[string]int // Field.Key -> index
	head   headerMap
}

// Get is the trimmed text of the field's cell, "" when blank or when the
// file has no such column. Numbers come as Excel shows them (36.5), dates as
// 2006-01-02 or 2006-01-02 15:04 when the cell is a real date. A key that is
// not among Read's fields is a bug in the caller and panics.
func (r Row) Get(key string) string { return r.vals[r.set.index(key)] }

// Present says whether the file has the field's column at all, so an update
// can leave a value alone rather than clear it.
func (r Row) Present(key string) bool { return r.set.head.col[r.set.index(key)] >= 0 }

// Problem is a CellError for the field, with the header as the file writes
// it: return r.Problem("phone", "person.err.phone") from a row function.
func (r Row) Problem(key, msgKey string, args ...any) CellError {
	return CellError{Column: r.set.head.text[r.set.index(key)], Key: key, Msg: i18n.Msg{Key: msgKey, Args: args}}
}

func (s *fieldSet) index(key string) int {
	i, ok := s.keys[key]
	if !ok {
		panic("excel: unknown field key " + key)
	}
	return i
}

// Read reads the first sheet of an .xlsx file and calls fn for each data
// row, in order. The header row (the first of the top rows that names every
// required field) is matched to fields by header text, ignoring case,
// spaces, full-width forms and a required-mark asterisk; columns may come in
// any order and unknown columns are ignored. Blank rows are skipped and not
// counted, but row numbers stay those of the file.
//
// A row with a required cell blank is bad without calling fn. fn returns nil
// to accept the row, a RowError or CellError to reject it (all of them are
// collected into the Report), or any other error to stop reading: Read then
// returns that error, and Decide refuses to commit. progress, if not nil, is
// called with the number of rows read every ProgressEvery rows and once at
// the end.
//
// A file that cannot be read, or lacks a required column, returns a
// *FileError whose problems are also in the Report.
func Read(r io.Reader, fields []Field, fn func(row Row) error, progress func(done int)) (Report, error) {
	var rep Report
	src, err := openSheet(r)
	if errors.Is(err, errTooLarge) {
		return rep, fileError(&rep, RowProblem{Msg: msg("excel.err.too_large", MaxFileSize>>20)})
	}
	if err != nil {
		return rep, fileError(&rep, RowProblem{Msg: msg("excel.err.not_xlsx")})
	}
	defer src.Close()
	set, err := findHeader(src, fields, &rep)
	if err != nil {
		return rep, err
	}
	// Columns right of the last field's are never converted: a stray value
	// in column XFD costs nothing.
	src.width = set.width()
	for src.Next() {
		row, ok := set.row(src.num, src.cells)
		if !ok {
			continue
		}
		if err := rep.take(set, row, fn); err != nil {
			return rep, err
		}
		if progress != nil && rep.Total%ProgressEvery == 0 {
			progress(rep.Total)
		}
	}
	if src.err != nil {
		return rep, fileError(&rep, RowProblem{Row: src.num, Msg: msg("excel.err.corrupt")})
	}
	if progress != nil {
		progress(rep.Total)
	}
	rep.Done = true
	return rep, nil
}

// openSheet opens the first sheet of an .xlsx for streaming.
func openSheet(r io.Reader) (*sheetReader, error) {
	b, err := openBook(r)
	if err != nil {
		return nil, err
	}
	return b.rows()
}

// row picks the fields' cells out of a file row; ok is false for a blank row.
func (s *fieldSet) row(num int, cells []string) (Row, bool) {
	vals := make([]string, len(s.fields))
	blank := true
	for i, c := range s.head.col {
		if c >= 0 && c < len(cells) {
			vals[i] = trimCell(cells[c])
			blank = blank && vals[i] == ""
		}
	}
	return Row{Num: num, vals: vals, set: s}, !blank
}

// take validates one row and records the outcome.
func (rep *Report) take(set *fieldSet, row Row, fn func(Row) error) error {
	rep.Total++
	var problems RowError
	for i, f := range set.fields {
		if f.Required && row.vals[i] == "" {
			problems = append(problems, CellError{Key: f.Key, Msg: msg("excel.err.required")})
		}
	}
	if len(problems) == 0 {
		err := fn(row)
		var re RowError
		var ce CellError
		var pce *CellError
		switch {
		case err == nil:
		case errors.As(err, &re):
			problems = re
		case errors.As(err, &pce) && pce != nil:
			problems = RowError{*pce}
		case errors.As(err, &ce):
			problems = RowError{ce}
		default:
			return err
		}
	}
	if len(problems) == 0 {
		rep.OK++
		return nil
	}
	rep.Bad++
	for _, p := range problems {
		col := p.Column
		if col == "" && p.Key != "" {
			if i, ok := set.keys[p.Key]; ok {
				col = set.head.text[i]
			}
		}
		rep.add(RowProblem{Row: row.Num, Column: col, Msg: p.Msg})
	}
	return nil
}

// findHeader reads down to the header row and leaves src just past it.
func findHeader(src *sheetReader, fields []Field, rep *Report) (*fieldSet, error) {
	index := headerIndex(fields)
	var best headerMap
	bestRow := 0
	for n := 0; n < headerScan && src.Next(); {
		if isBlank(src.cells) {
			continue
		}
		n++
		h := matchHeader(fields, index, src.cells)
		if h.complete(fields) {
			return newFieldSet(fields, h, src.num, rep)
		}
		if h.matched > best.matched {
			best, bestRow = h, src.num
		}
	}
	if src.err != nil {
		return nil, fileError(rep, RowProblem{Row: src.num, Msg: msg("excel.err.corrupt")})
	}
	if best.matched == 0 {
		return nil, fileError(rep, RowProblem{Msg: msg("excel.err.no_header", expected(fields))})
	}
	// Name the missing columns in the language the file's headers are in.
	han := hasHan(strings.Join(best.text, ""))
	var ps []RowProblem
	for i, f := range fields {
		if f.Required && best.col[i] < 0 {
			h := headerFor(f, han)
			ps = append(ps, RowProblem{Row: bestRow, Column: h, Msg: msg("excel.err.missing_column", h)})
		}
	}
	return nil, fileError(rep, ps...)
}

func newFieldSet(fields []Field, h headerMap, num int, rep *Report) (*fieldSet, error) {
	if len(h.dup) > 0 {
		ps := make([]RowProblem, len(h.dup))
		for i, d := range h.dup {
			ps[i] = RowProblem{Row: num, Column: d, Msg: msg("excel.err.duplicate_column", d)}
		}
		return nil, fileError(rep, ps...)
	}
	keys := make(map[string]int, len(fields))
	for i, f := range fields {
		keys[f.Key] = i
	}
	return &fieldSet{fields: fields, keys: keys, head: h}, nil
}

// width is how many columns of the file the fields use.
func (s *fieldSet) width() int {
	w := 0
	for _, c := range s.head.col {
		w = max(w, c+1)
	}
	return w
}

// expected lists the first header of each required field (of every field if
// none is required), for the "no header row" message.
func expected(fields []Field) string {
	var names []string
	for _, f := range fields {
		if f.Required {
			names = append(names, first(f.Headers))
		}
	}
	if len(names) == 0 {
		for _, f := range fields {
			names = append(names, first(f.Headers))
		}
	}
	return strings.Join(names, "、")
}

func fileError(rep *Report, ps ...RowProblem) error {
	for _, p := range ps {
		rep.add(p)
	}
	return &FileError{Problems: ps}
}

func isBlank(cells []string) bool {
	for _, c := range cells {
		if trimCell(c) != "" {
			return false
		}
	}
	return true
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func msg(key string, args ...any) i18n.Msg { return i18n.Msg{Key: key, Args: args} }
