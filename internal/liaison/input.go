package liaison

import (
	"slices"
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// AssignmentInput records or changes an assignment. LeaderID 0 means the
// caller (a leader recording their own). The target is a township or village
// (DivisionID) or an enterprise (EnterpriseID), not both.
type AssignmentInput struct {
	LeaderID     int64  `json:"leader_id"`
	DivisionID   int64  `json:"division_id"`
	EnterpriseID int64  `json:"enterprise_id"`
	From         string `json:"from"`
	To           string `json:"to"`
	Note         string `json:"note"`
}

// check validates the period and the note, and that one target is named.
func (in AssignmentInput) check() (Assignment, error) {
	var fc errs.FieldCollector
	a := Assignment{LeaderID: in.LeaderID, Target: Target{DivisionID: in.DivisionID, EnterpriseID: in.EnterpriseID},
		Note: assignmentNote(&fc, in.Note)}
	checkTarget(&fc, in.DivisionID, in.EnterpriseID)
	if in.LeaderID < 0 {
		fc.Add("leader_id", "errs.bad_type")
	}
	a.From = date(&fc, "from", in.From)
	a.To = date(&fc, "to", in.To)
	if !a.From.IsZero() && !a.To.IsZero() && a.To.Before(a.From.Time) {
		fc.Add("to", "liaison.to_before_from", a.From.String())
	}
	return a, fc.Err()
}

// assignmentNote trims an assignment's note and bounds it.
func assignmentNote(fc *errs.FieldCollector, s string) string {
	s = strings.TrimSpace(s)
	fc.Check("note", validate.MaxLen(s, 500))
	return s
}

// checkTarget requires exactly one of a division and an enterprise.
func checkTarget(fc *errs.FieldCollector, divisionID, enterpriseID int64) {
	switch {
	case divisionID < 0:
		fc.Add("division_id", "errs.bad_type")
	case enterpriseID < 0:
		fc.Add("enterprise_id", "errs.bad_type")
	case divisionID == 0 && enterpriseID == 0:
		fc.Add("division_id", "liaison.target_required")
	case divisionID != 0 && enterpriseID != 0:
		fc.Add("enterprise_id", "liaison.one_target")
	}
}

// VisitInput records a visit. LeaderID 0 means the caller.
type VisitInput struct {
	LeaderID     int64  `json:"leader_id"`
	DivisionID   int64  `json:"division_id"`
	EnterpriseID int64  `json:"enterprise_id"`
	Day          string `json:"day"`
	Kind         string `json:"kind"`
	Notes        string `json:"notes"`
}

// check validates a visit: a known kind, a day not after today.
func (in VisitInput) check(today storage.Date) (Visit, error) {
	var fc errs.FieldCollector
	v := Visit{LeaderID: in.LeaderID, Target: Target{DivisionID: in.DivisionID, EnterpriseID: in.EnterpriseID},
		Kind: VisitKind(in.Kind), Notes: strings.TrimSpace(in.Notes)}
	checkTarget(&fc, in.DivisionID, in.EnterpriseID)
	if in.LeaderID < 0 {
		fc.Add("leader_id", "errs.bad_type")
	}
	if !slices.Contains(VisitKinds, v.Kind) {
		fc.Add("kind", "errs.bad_choice")
	}
	if v.Day = date(&fc, "day", in.Day); !v.Day.IsZero() {
		fc.Check("day", validate.NotFuture(v.Day.Time, today.Time))
	}
	fc.Check("notes", validate.MaxLen(v.Notes, 4000))
	return v, fc.Err()
}

// ProblemInput raises a liaison problem: for a target, or from a visit (the
// visit's target and day are then the defaults).
type ProblemInput struct {
	VisitID      int64  `json:"visit_id"`
	DivisionID   int64  `json:"division_id"`
	EnterpriseID int64  `json:"enterprise_id"`
	Category     string `json:"category"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	DepartmentID int64  `json:"department_id"`
	Deadline     string `json:"deadline"`
	RaisedOn     string `json:"raised_on"`
}

// date parses a required date.
func date(fc *errs.FieldCollector, field, s string) storage.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		fc.Add(field, "errs.required")
		return storage.Date{}
	}
	t, err := validate.Date(s)
	if !fc.Check(field, err) {
		return storage.Date{}
	}
	return storage.Date{Time: t}
}
