// Package problem is the one problem workflow that modules share (SPEC §6, and
// later §7 rectifications and §9 complaints): a difficulty raised by someone
// for a place or an enterprise, assigned to a county department with a
// deadline, worked (open → in progress → resolved) and closed only when the
// person who raised it confirms the resolution — or reopened, with a reason.
//
// A module owns its problems' source name and categories, and the form that
// raises them; this package owns storage, the transitions and who may make
// them, the audit trail, scope, overdue rules, statistics as of any day, and
// the pages and API that work a problem (/problems, /api/v1/problems).
package problem

import (
	"slices"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// Permissions of the problem workflow.
const (
	// PermRead lets a user see problems: over their node scope, of their
	// department, of their enterprise, and always the ones they raised.
	PermRead auth.Perm = "problem.read"
	// PermRaise lets a user raise problems for places (or enterprises) in scope.
	PermRaise auth.Perm = "problem.raise"
	// PermWork lets a department officer start and resolve the problems
	// assigned to their department.
	PermWork auth.Perm = "problem.work"
	// PermManage lets the command reassign, start and resolve any problem in
	// its node scope on a department's behalf.
	PermManage auth.Perm = "problem.manage"
)

func init() {
	auth.AddPerms(auth.Commander, PermRead, PermRaise, PermManage)
	auth.AddPerms(auth.Leader, PermRead, PermRaise)
	auth.AddPerms(auth.TownshipAdmin, PermRead, PermRaise)
	auth.AddPerms(auth.VillageCadre, PermRead, PermRaise)
	auth.AddPerms(auth.EnterpriseOfficer, PermRead, PermRaise)
	auth.AddPerms(auth.DepartmentOfficer, PermRead, PermWork)
	auth.AddPerms(auth.Auditor, PermRead)
}

// Status is where a problem stands.
type Status string

// The statuses, in the order a problem passes them.
const (
	Open       Status = "open"        // 待办: raised, not yet taken up
	InProgress Status = "in_progress" // 办理中: the department works on it (also after a reopen)
	Resolved   Status = "resolved"    // 已办结: the department says it is solved
	Confirmed  Status = "confirmed"   // 已确认: the raiser agrees; closed
)

// Statuses lists every status in display order.
var Statuses = []Status{Open, InProgress, Resolved, Confirmed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return slices.Contains(Statuses, s)
}

// Unresolved reports whether the department still owes an answer.
func (s Status) Unresolved() bool { return s == Open || s == InProgress }

// Action is one step of the workflow.
type Action string

// The actions. Raise opens a problem; the others act on an existing one.
const (
	Raise   Action = "raise"
	Start   Action = "start"   // the department takes it up
	Resolve Action = "resolve" // the department reports it solved (with a note)
	Confirm Action = "confirm" // the raiser agrees it is solved
	Reopen  Action = "reopen"  // the raiser disagrees (with a reason): back to in progress
	Comment Action = "comment" // a note, no change of status
	Assign  Action = "assign"  // another department or deadline: back to open
)

// Actions lists the actions on an existing problem, in the order a page shows them.
var Actions = []Action{Start, Resolve, Confirm, Reopen, Assign, Comment}

// Problem is one raised difficulty with its current state.
type Problem struct {
	ID             int64        `json:"id"`
	Source         string       `json:"source"`              // the module that raised it: liaison, supervision, market …
	SourceID       int64        `json:"source_id,omitempty"` // a record of that module (a visit, an inspection …)
	Category       string       `json:"category"`
	Title          string       `json:"title"`
	Description    string       `json:"description"`
	RaisedBy       int64        `json:"raised_by"`
	RaisedByName   string       `json:"raised_by_name"`
	RaisedOn       storage.Date `json:"raised_on"`
	DivisionID     int64        `json:"division_id"`
	DivisionName   string       `json:"division_name"`
	DivisionNameEN string       `json:"division_name_en"`
	DivisionPath   string       `json:"-"`
	EnterpriseID   int64        `json:"enterprise_id,omitempty"`
	EnterpriseName string       `json:"enterprise_name,omitempty"`
	DepartmentID   int64        `json:"department_id"`
	DepartmentName string       `json:"department_name"`
	DepartmentEN   string       `json:"department_name_en"`
	Deadline       storage.Date `json:"deadline"`
	Status         Status       `json:"status"`
	ResolvedOn     storage.Date `json:"resolved_on"`
	ConfirmedOn    storage.Date `json:"confirmed_on"`
	// Overdue is computed for the day the reader asked about (see OverdueAt).
	Overdue   bool      `json:"overdue"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Allowed lists what the reader may do now; filled by Get.
	Allowed []Action `json:"allowed_actions,omitempty"`
	Events  []Event  `json:"events,omitempty"`
}

// Target names what the problem is about in lang: the enterprise when there
// is one, else the division.
func (p Problem) Target(lang i18n.Lang) string {
	if p.EnterpriseName != "" {
		return p.EnterpriseName
	}
	return pick(lang, p.DivisionName, p.DivisionNameEN)
}

// Department names the assigned department in lang.
func (p Problem) Department(lang i18n.Lang) string {
	return pick(lang, p.DepartmentName, p.DepartmentEN)
}

// Department names the department an event assigned, in lang.
func (e Event) Department(lang i18n.Lang) string {
	return pick(lang, e.DepartmentName, e.DepartmentEN)
}

// pick is the English name on English pages when there is one, else the Chinese.
func pick(lang i18n.Lang, zh, en string) string {
	if lang == i18n.EN && en != "" {
		return en
	}
	return zh
}

// Event is one step taken on a problem, dated by the county's calendar day.
type Event struct {
	ID     int64        `json:"id"`
	Action Action       `json:"action"`
	From   Status       `json:"from_status,omitempty"`
	To     Status       `json:"to_status,omitempty"` // empty for a comment
	Day    storage.Date `json:"day"`
	Note   string       `json:"note"`
	// DepartmentName and Deadline record an assignment (raise and assign).
	DepartmentID   int64        `json:"department_id,omitempty"`
	DepartmentName string       `json:"department_name,omitempty"`
	DepartmentEN   string       `json:"department_name_en,omitempty"`
	Deadline       storage.Date `json:"deadline"`
	ActorID        int64        `json:"actor_id,omitempty"`
	Actor          string       `json:"actor"`
	ActorName      string       `json:"actor_name"`
	At             time.Time    `json:"at"`
}
