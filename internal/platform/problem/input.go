package problem

import (
	"slices"
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// Input raises a problem. The module that raises it sets Source (and
// SourceID when the problem came from one of its records) and passes its
// categories to Raise; the rest is what the raiser typed. The target is a
// division or an enterprise (the problem then belongs to the enterprise's
// division).
type Input struct {
	Source       string `json:"-"`
	SourceID     int64  `json:"-"`
	Category     string `json:"category"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	DivisionID   int64  `json:"division_id"`
	EnterpriseID int64  `json:"enterprise_id"`
	DepartmentID int64  `json:"department_id"`
	Deadline     string `json:"deadline"`
	// RaisedOn is the day the problem was raised (a visit's day, say);
	// empty means today.
	RaisedOn string `json:"raised_on"`
}

// check validates in against the module's categories and today's date, and
// returns the problem it describes, reporting every bad field at once.
func (in Input) check(categories []string, today storage.Date) (Problem, error) {
	var fc errs.FieldCollector
	pr := Problem{Source: in.Source, SourceID: in.SourceID, Category: strings.TrimSpace(in.Category),
		Title: strings.TrimSpace(in.Title), Description: strings.TrimSpace(in.Description),
		DivisionID: in.DivisionID, EnterpriseID: in.EnterpriseID, DepartmentID: in.DepartmentID, Status: Open}
	if pr.Category == "" {
		fc.Add("category", "errs.required")
	} else if !slices.Contains(categories, pr.Category) {
		fc.Add("category", "errs.bad_choice")
	}
	if fc.Check("title", validate.Required(pr.Title)) {
		fc.Check("title", validate.MaxLen(pr.Title, 100))
	}
	fc.Check("description", validate.MaxLen(pr.Description, 2000))
	if pr.DivisionID == 0 && pr.EnterpriseID == 0 {
		fc.Add("division_id", "problem.target_required")
	}
	if pr.DivisionID < 0 {
		fc.Add("division_id", "errs.bad_type")
	}
	if pr.EnterpriseID < 0 {
		fc.Add("enterprise_id", "errs.bad_type")
	}
	if pr.DepartmentID <= 0 {
		fc.Add("department_id", "errs.required")
	}
	pr.RaisedOn = today
	if strings.TrimSpace(in.RaisedOn) != "" {
		pr.RaisedOn = day(&fc, "raised_on", in.RaisedOn, today, true)
	}
	pr.Deadline = day(&fc, "deadline", in.Deadline, today, false)
	if !pr.Deadline.IsZero() && !pr.RaisedOn.IsZero() && pr.Deadline.Before(pr.RaisedOn.Time) {
		fc.Add("deadline", "problem.deadline_before_raised", pr.RaisedOn.String())
	}
	return pr, fc.Err()
}

// day parses a required date; past says it must not be after today (a
// deadline is a plan and may be).
func day(fc *errs.FieldCollector, field, s string, today storage.Date, past bool) storage.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		fc.Add(field, "errs.required")
		return storage.Date{}
	}
	t, err := validate.Date(s)
	if !fc.Check(field, err) {
		return storage.Date{}
	}
	if past && !fc.Check(field, validate.NotFuture(t, today.Time)) {
		return storage.Date{}
	}
	return storage.Date{Time: t}
}

// checkNote validates the text of a step: required for the actions that need
// one, at most 1000 characters for all.
func checkNote(fc *errs.FieldCollector, a Action, note string) string {
	note = strings.TrimSpace(note)
	if NeedsNote(a) && note == "" {
		fc.Add("note", "problem.note_required."+string(a))
	}
	fc.Check("note", validate.MaxLen(note, 1000))
	return note
}
