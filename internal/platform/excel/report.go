package excel

import (
	"strconv"
	"strings"

	"fangkong/internal/platform/i18n"
)

// MaxProblems caps the problems a Report keeps. A file with a wrong column
// can make every cell of 100,000 rows bad; the user needs the first
// thousands to see the pattern, not a report that exhausts memory. Bad rows
// past the cap are still counted.
const MaxProblems = 10000

// Report is the outcome of reading one file, row by row.
type Report struct {
	Total     int          // data rows read (blank rows not counted)
	OK        int          // rows the caller accepted
	Bad       int          // rows with at least one problem
	Errors    []RowProblem // every problem, in file order, up to MaxProblems
	Truncated bool         // problems were dropped past MaxProblems
	Done      bool         // the whole file was read; false if Read stopped early
}

// RowProblem is one reason a row (or, with Row 1 or 0, the header or the
// whole file) was rejected.
type RowProblem struct {
	Row    int      // spreadsheet row number as Excel shows it; 0 for the file
	Column string   // the column header as written in the file, if any
	Msg    i18n.Msg // why
}

// CellError is a validation failure of one cell, returned from Read's row
// function (alone, or several in a RowError). Key names the Field; Read
// fills Column with the file's header for it. Both may be empty for a
// problem with the row as a whole (such as a duplicate of an earlier row).
type CellError struct {
	Column string
	Key    string
	Msg    i18n.Msg
}

// Error is for logs; users see Msg in their own language.
func (e CellError) Error() string {
	col := e.Column
	if col == "" {
		col = e.Key
	}
	return col + ": " + e.Msg.In(i18n.EN)
}

// RowError is every failure of one row, so the user fixes a row in one go.
type RowError []CellError

// Error is for logs.
func (e RowError) Error() string {
	s := make([]string, len(e))
	for i, c := range e {
		s[i] = c.Error()
	}
	return strings.Join(s, "; ")
}

// Err is nil when the row has no problems, so a validator can end with
// `return problems.Err()` without the typed-nil trap.
func (e RowError) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// FileError is a problem with the file as a whole (not a spreadsheet, no
// header row, a required column missing): no row was read. Its problems are
// also in the Report, so ReportSheet shows them.
type FileError struct{ Problems []RowProblem }

// Error is for logs.
func (e *FileError) Error() string {
	s := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		s[i] = p.Msg.In(i18n.EN)
		if p.Column != "" {
			s[i] = p.Column + ": " + s[i]
		}
		if p.Row > 0 {
			s[i] = "row " + strconv.Itoa(p.Row) + ": " + s[i]
		}
	}
	return "excel: " + strings.Join(s, "; ")
}

// add records one problem, respecting the cap.
func (r *Report) add(p RowProblem) {
	if len(r.Errors) >= MaxProblems {
		r.Truncated = true
		return
	}
	r.Errors = append(r.Errors, p)
}

// Mode says what an import does when some rows are bad.
type Mode int

const (
	// ValidRows commits every valid row and reports the bad ones (SPEC §0's
	// default): the user fixes and re-imports only the rejected rows.
	ValidRows Mode = iota
	// AllOrNothing commits nothing if any row is bad, for users who would
	// rather fix the file and import it whole.
	AllOrNothing
)

// Decide says whether the caller may commit the valid rows it collected, in
// one transaction: never when Read stopped early (a rejected file, an error
// from the row function) or no row is valid, and under AllOrNothing only
// when no row is bad.
func Decide(mode Mode, rep Report) (commit bool) {
	if !rep.Done || rep.OK == 0 {
		return false
	}
	return mode != AllOrNothing || rep.Bad == 0
}

// ParseMode reads a form value: "all" (or "all_or_nothing") is
// AllOrNothing, anything else the default ValidRows.
func ParseMode(s string) Mode {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "all", "all_or_nothing", "allornothing":
		return AllOrNothing
	}
	return ValidRows
}
