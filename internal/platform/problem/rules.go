package problem

import (
	"fangkong/internal/platform/storage"
)

// Relation is how the reader stands to one problem. A person may hold several
// relations at once (a commander who raised a problem is raiser and manager).
type Relation struct {
	Raiser     bool // raised it: confirms or reopens
	Department bool // an officer of the assigned department: starts and resolves
	Manager    bool // the command over its territory: reassigns, and acts for the department
}

// step says which status an action needs and where it leads. An empty To
// leaves the status alone (a comment).
type step struct {
	From []Status
	To   Status
	// Note says the action needs a text: what was done, why it is reopened.
	Note bool
}

var steps = map[Action]step{
	Start:   {From: []Status{Open}, To: InProgress},
	Resolve: {From: []Status{InProgress}, To: Resolved, Note: true},
	Confirm: {From: []Status{Resolved}, To: Confirmed},
	Reopen:  {From: []Status{Resolved}, To: InProgress, Note: true},
	Assign:  {From: []Status{Open, InProgress}, To: Open},
	Comment: {From: []Status{Open, InProgress, Resolved}, Note: true},
}

// who says which relations may take each action. Only the raiser closes a
// problem: a department cannot mark its own work accepted, and neither can
// the command on the raiser's behalf.
func who(a Action, r Relation) bool {
	switch a {
	case Start, Resolve:
		return r.Department || r.Manager
	case Confirm, Reopen:
		return r.Raiser
	case Assign:
		return r.Raiser || r.Manager
	case Comment:
		return r.Raiser || r.Department || r.Manager
	}
	return false
}

// Next returns the status action a leads to from status s, and whether a may
// be taken from s at all. A comment leaves the status as it is.
func Next(s Status, a Action) (Status, bool) {
	st, ok := steps[a]
	if !ok {
		return s, false
	}
	for _, f := range st.From {
		if f == s {
			if st.To == "" {
				return s, true
			}
			return st.To, true
		}
	}
	return s, false
}

// NeedsNote reports whether the action must carry a text.
func NeedsNote(a Action) bool { return steps[a].Note }

// Valid reports whether a is an action on an existing problem.
func (a Action) Valid() bool {
	_, ok := steps[a]
	return ok
}

// May reports whether someone with relation r may ever take action a (in
// some status): a "no" here is a 403, a "yes" in the wrong status a 409.
func May(a Action, r Relation) bool { return a.Valid() && who(a, r) }

// Allowed lists the actions someone with relation r may take on a problem in
// status s, in display order.
func Allowed(s Status, r Relation) []Action {
	var out []Action
	for _, a := range Actions {
		if _, ok := Next(s, a); ok && who(a, r) {
			out = append(out, a)
		}
	}
	return out
}

// OverdueAt reports whether a problem is overdue on day d: the department
// still owes an answer and the deadline has passed. A problem due on d itself
// is not yet overdue.
func OverdueAt(s Status, deadline, d storage.Date) bool {
	return s.Unresolved() && !deadline.IsZero() && deadline.Before(d.Time)
}

// State is what a problem was on a given day: its status and the department
// and deadline it had been assigned by then.
type State struct {
	Status       Status
	DepartmentID int64
	Deadline     storage.Date
}

// StateAt replays a problem's events up to and including day d, given in the
// order they were taken: the state at the end of d, and false if the problem
// had not been raised by then. Comments change nothing; a raise or an
// assignment sets the department and the deadline.
func StateAt(events []Event, d storage.Date) (State, bool) {
	var st State
	raised := false
	for _, e := range events {
		if e.Day.After(d.Time) {
			continue
		}
		if e.Action == Raise {
			raised = true
		}
		if e.Action == Raise || e.Action == Assign {
			st.DepartmentID, st.Deadline = e.DepartmentID, e.Deadline
		}
		if e.To != "" {
			st.Status = e.To
		}
	}
	return st, raised
}
