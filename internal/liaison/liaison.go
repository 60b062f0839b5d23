// Package liaison is the county leaders' liaison system (县领导包联制度, SPEC §6):
// which leader answers for which townships, communities and enterprises in
// which period; their visits (督导/走访) with notes and photos; and the
// problems raised by enterprises, villages and leaders — worked through the
// shared problem workflow (internal/platform/problem) — so that each leader
// sees their overdue problems first and confirms the resolved ones, and the
// command sees open and overdue problems by department and by leader.
package liaison

import (
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
)

// Permissions of the liaison module.
const (
	// PermRead shows assignments, visits and the overview over a node scope.
	PermRead auth.Perm = "liaison.read"
	// PermWrite records one's own assignments and visits (a county leader).
	PermWrite auth.Perm = "liaison.write"
	// PermManage records them for any leader (the command assigns leaders).
	PermManage auth.Perm = "liaison.manage"
)

func init() {
	auth.AddPerms(auth.Commander, PermRead, PermWrite, PermManage)
	auth.AddPerms(auth.Leader, PermRead, PermWrite)
	auth.AddPerms(auth.TownshipAdmin, PermRead)
	auth.AddPerms(auth.Auditor, PermRead)
}

// Source is the problem workflow's name for problems raised here.
const Source = "liaison"

// Categories are the difficulties of work resumption the liaison system
// tracks (the report's "困难和问题"), in display order.
var Categories = []string{
	"workers",       // 工人返岗
	"materials",     // 原料采购
	"packaging",     // 产品包装
	"sterilisation", // 产品灭菌
	"transport",     // 交通运输
	"approvals",     // 资质审批
	"funds",         // 资金
	"supplies",      // 防疫物资
	"other",         // 其他
}

// VisitKind says what a visit was.
type VisitKind string

// The kinds of visit.
const (
	Inspect VisitKind = "inspect" // 督导检查: of prevention and resumption work
	Call    VisitKind = "visit"   // 走访调研: to hear an enterprise's difficulties
)

// VisitKinds lists the kinds in display order.
var VisitKinds = []VisitKind{Inspect, Call}

// Target is what an assignment, visit or problem is about: an enterprise, or
// else a township or village.
type Target struct {
	DivisionID     int64  `json:"division_id"`
	DivisionName   string `json:"division_name"`
	DivisionNameEN string `json:"division_name_en"`
	DivisionLevel  string `json:"division_level"`
	DivisionPath   string `json:"-"`
	EnterpriseID   int64  `json:"enterprise_id,omitempty"`
	EnterpriseName string `json:"enterprise_name,omitempty"`
}

// Name is the target's name in lang.
func (t Target) Name(lang i18n.Lang) string {
	if t.EnterpriseName != "" {
		return t.EnterpriseName
	}
	if lang == i18n.EN && t.DivisionNameEN != "" {
		return t.DivisionNameEN
	}
	return t.DivisionName
}

// TargetKind is "enterprise", "township" or "village", for labels.
func (t Target) TargetKind() string {
	if t.EnterpriseID != 0 {
		return "enterprise"
	}
	return t.DivisionLevel
}

// Leader is a county leader: a user holding the leader role.
type Leader struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

// Assignment puts a leader in charge of a target for a period (both days
// included).
type Assignment struct {
	ID         int64  `json:"id"`
	LeaderID   int64  `json:"leader_id"`
	LeaderName string `json:"leader_name"`
	Target
	From      storage.Date `json:"from"`
	To        storage.Date `json:"to"`
	Note      string       `json:"note"`
	CreatedBy string       `json:"created_by"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
	// Current says whether the assignment covers the day the reader asked about.
	Current bool `json:"current"`
}

// Covers reports whether the assignment runs on day d.
func (a Assignment) Covers(d storage.Date) bool {
	return !d.Before(a.From.Time) && !d.After(a.To.Time)
}

// Window is the assignment as the problem workflow sees a leader's charge.
func (a Assignment) Window() problem.Window {
	w := problem.Window{From: a.From, To: a.To, EnterpriseID: a.EnterpriseID}
	if a.EnterpriseID == 0 {
		w.DivisionPath = a.DivisionPath
	}
	return w
}

// Visit is one leader's visit to a target on a day.
type Visit struct {
	ID         int64  `json:"id"`
	LeaderID   int64  `json:"leader_id"`
	LeaderName string `json:"leader_name"`
	Target
	Day       storage.Date `json:"day"`
	Kind      VisitKind    `json:"kind"`
	Notes     string       `json:"notes"`
	Photos    []Photo      `json:"photos"`
	CreatedBy string       `json:"created_by"`
	CreatedAt time.Time    `json:"created_at"`
}

// Photo is an image attached to a visit; its bytes are served separately.
type Photo struct {
	ID          int64     `json:"id"`
	VisitID     int64     `json:"visit_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	URL         string    `json:"url"`
	CreatedAt   time.Time `json:"created_at"`
}
