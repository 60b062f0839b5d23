package screening

import (
	"slices"
	"time"

	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// Kind is where an observation happens.
type Kind string

// The two kinds of medical observation.
const (
	Home        Kind = "home"        // 居家医学观察
	Centralized Kind = "centralized" // 集中医学观察 (a stay at an isolation site)
)

// Kinds lists them in display order.
var Kinds = []Kind{Home, Centralized}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Home || k == Centralized }

// Reason is why a person is observed; it decides which date the period
// counts from (see Rules.BasisFor).
type Reason string

// The reasons.
const (
	ForReturnee     Reason = "returnee"      // 返乡
	ForKeyRegion    Reason = "key_region"    // 来自重点地区
	ForCloseContact Reason = "close_contact" // 密切接触
	ForFever        Reason = "fever"         // 发热、症状
	ForOther        Reason = "other"
)

// Reasons lists them in display order.
var Reasons = []Reason{ForReturnee, ForKeyRegion, ForCloseContact, ForFever, ForOther}

// Valid reports whether r is a known reason.
func (r Reason) Valid() bool {
	return slices.Contains(Reasons, r)
}

// Basis is the event an observation period counts from.
type Basis string

// The bases the county can choose.
const (
	FromArrival  Basis = "arrival"  // 返乡（抵达）日期
	FromExposure Basis = "exposure" // 末次接触日期
	FromTest     Basis = "test"     // 检测（采样）日期
	FromStart    Basis = "start"    // 开始观察日期
)

// Bases lists them in display order.
var Bases = []Basis{FromArrival, FromExposure, FromTest, FromStart}

// Valid reports whether b is a known basis.
func (b Basis) Valid() bool {
	return slices.Contains(Bases, b)
}

// Status is where an observation stands.
type Status string

// The statuses. Release or transfer ends an observation.
const (
	Active      Status = "active"      // 观察中
	Released    Status = "released"    // 解除医学观察
	Transferred Status = "transferred" // 转运（疑似或确诊）
)

// Observation is one period of medical observation of one person.
type Observation struct {
	ID         int64  `json:"id"`
	PersonID   int64  `json:"person_id"`
	PersonName string `json:"person_name"`
	DivisionID int64  `json:"division_id"`
	i18n.DivisionNames
	Kind       Kind         `json:"kind"`
	Reason     Reason       `json:"reason"`
	Basis      Basis        `json:"basis"`
	BasisDate  storage.Date `json:"basis_date"`
	StartDate  storage.Date `json:"start_date"`
	PeriodDays int          `json:"period_days"`
	PlannedEnd storage.Date `json:"planned_end"`
	EndDate    storage.Date `json:"end_date"`
	Status     Status       `json:"status"`
	CaseID     int64        `json:"case_id,omitempty"` // the case a close contact was exposed to
	Notes      string       `json:"notes"`
	Version    int64        `json:"version"`
	CreatedBy  string       `json:"created_by"`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
	// Detail views only.
	Changes   []Change   `json:"changes,omitempty"`
	FollowUps []FollowUp `json:"followups,omitempty"`
	Alerts    []Alert    `json:"alerts,omitempty"`
}

// Change is one change of an observation: opened, extended, shortened,
// rebased on a later exposure, kind changed, released, transferred.
type Change struct {
	ID        int64        `json:"id"`
	Kind      string       `json:"kind"`
	Day       storage.Date `json:"day"`
	OldEnd    storage.Date `json:"old_end"`
	NewEnd    storage.Date `json:"new_end"`
	Reason    string       `json:"reason"`
	CreatedBy string       `json:"created_by"`
	CreatedAt time.Time    `json:"created_at"`
}

// The kinds of Change.
const (
	ChangeOpened      = "opened"
	ChangeExtended    = "extended"
	ChangeShortened   = "shortened"
	ChangeExposure    = "exposure" // a later exposure moved the basis
	ChangeKind        = "kind"
	ChangeReleased    = "released"
	ChangeTransferred = "transferred"
)

// Slot is one of the day's two follow-ups.
type Slot string

// The slots.
const (
	AM Slot = "am"
	PM Slot = "pm"
)

// Slots lists them in order.
var Slots = []Slot{AM, PM}

// Valid reports whether s is a known slot.
func (s Slot) Valid() bool { return s == AM || s == PM }

// Symptom is one symptom a follow-up can record.
type Symptom string

// The symptoms of the 2020 screening forms.
const (
	Cough       Symptom = "cough"        // 咳嗽
	Fatigue     Symptom = "fatigue"      // 乏力
	SoreThroat  Symptom = "sore_throat"  // 咽痛
	ShortBreath Symptom = "short_breath" // 气促、呼吸困难
	Diarrhea    Symptom = "diarrhea"     // 腹泻
	MusclePain  Symptom = "muscle_pain"  // 肌肉酸痛
	Nasal       Symptom = "nasal"        // 鼻塞、流涕
)

// Symptoms lists them in display order.
var Symptoms = []Symptom{Cough, Fatigue, SoreThroat, ShortBreath, Diarrhea, MusclePain, Nasal}

// Valid reports whether s is a known symptom.
func (s Symptom) Valid() bool {
	return slices.Contains(Symptoms, s)
}

// FollowUp is one temperature and symptom check.
type FollowUp struct {
	ID            int64        `json:"id"`
	ObservationID int64        `json:"observation_id"`
	Day           storage.Date `json:"day"`
	Slot          Slot         `json:"slot"`
	Temperature   float64      `json:"temperature"`
	Symptoms      []Symptom    `json:"symptoms"`
	Note          string       `json:"note"`
	Alarm         bool         `json:"alarm"` // fever or a symptom
	AlertID       int64        `json:"alert_id,omitempty"`
	CreatedBy     string       `json:"created_by"`
	CreatedAt     time.Time    `json:"created_at"`
}

// Stage is how far an alert's transfer task has come.
type Stage string

// The stages, in order.
const (
	StageOpened      Stage = "opened"      // 发现
	StageNotified    Stage = "notified"    // 已通知医院
	StageTransferred Stage = "transferred" // 已转运
	StageClosed      Stage = "closed"      // 有结果
)

// Result is the outcome of a transfer.
type Result string

// The results.
const (
	RuledOut  Result = "ruled_out" // 排除
	Suspected Result = "suspected" // 疑似
	Confirmed Result = "confirmed" // 确诊
)

// Results lists them in display order.
var Results = []Result{RuledOut, Suspected, Confirmed}

// Valid reports whether r is a known result.
func (r Result) Valid() bool { return r == RuledOut || r == Suspected || r == Confirmed }

// EventKind is one step of an alert's timeline.
type EventKind string

// The steps.
const (
	EventOpened      EventKind = "opened"
	EventNotified    EventKind = "notified"
	EventTransferred EventKind = "transferred"
	EventResult      EventKind = "result"
)

// Alert is a fever or symptom found at a follow-up, and the transfer task it
// opens.
type Alert struct {
	ID            int64  `json:"id"`
	ObservationID int64  `json:"observation_id"`
	PersonID      int64  `json:"person_id"`
	PersonName    string `json:"person_name"`
	DivisionID    int64  `json:"division_id"`
	i18n.DivisionNames
	FollowUpID  int64        `json:"followup_id,omitempty"`
	OpenedOn    storage.Date `json:"opened_on"`
	Temperature float64      `json:"temperature"`
	Symptoms    []Symptom    `json:"symptoms"`
	Stage       Stage        `json:"stage"`
	Result      Result       `json:"result,omitempty"`
	ClosedOn    storage.Date `json:"closed_on"`
	Hospital    string       `json:"hospital"`
	CaseID      int64        `json:"case_id,omitempty"`
	Version     int64        `json:"version"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	Events      []AlertEvent `json:"events,omitempty"`
}

// AlertEvent is one step of an alert's timeline.
type AlertEvent struct {
	ID        int64        `json:"id"`
	Kind      EventKind    `json:"kind"`
	At        time.Time    `json:"at"`
	Day       storage.Date `json:"day"`
	Result    Result       `json:"result,omitempty"`
	Note      string       `json:"note"`
	CreatedBy string       `json:"created_by"`
	CreatedAt time.Time    `json:"created_at"`
}
