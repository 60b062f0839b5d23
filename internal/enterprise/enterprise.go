// Package enterprise is work resumption (复工复产, SPEC §8): the enterprise
// register, resumption filings reviewed by the township and decided by the
// county (or effective on submission in notice-and-commitment mode), daily
// reports, relief policies, and the statistics computed from those records
// for any day — above all the resumption rate of above-size enterprises, the
// seed report's "规模以上企业累计复工复产223家，占比93%".
//
// Enterprise officers hold a grant whose scope is their enterprise; everyone
// else sees the enterprises of the divisions their node grants cover.
package enterprise

import (
	"slices"
	"time"

	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// Industries are the sectors of the register, in display order (the county's
// main ones: valves and machinery, rubber and plastics, textiles, photovoltaics …).
var Industries = []string{"machinery", "rubber_plastics", "textile", "photovoltaic", "medical", "food",
	"chemical", "building_materials", "cable", "agri_processing", "logistics", "other"}

// validIndustry reports whether s is a known industry.
func validIndustry(s string) bool {
	return slices.Contains(Industries, s)
}

// Status is where an enterprise stands today: its latest filing's status,
// refined for approved filings by the resumption day and suspensions.
type Status string

// The enterprise statuses.
const (
	NotFiled       Status = "not_filed"
	Filed          Status = "filed"           // awaiting the township
	TownshipPassed Status = "township_passed" // awaiting the county
	Returned       Status = "returned"        // back with the enterprise for changes
	Refused        Status = "refused"
	Scheduled      Status = "scheduled" // approved, resumption day still ahead
	Resumed        Status = "resumed"
	Suspended      Status = "suspended"
)

// Statuses lists the enterprise statuses in display order.
var Statuses = []Status{NotFiled, Filed, TownshipPassed, Returned, Refused, Scheduled, Resumed, Suspended}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return slices.Contains(Statuses, s)
}

// Enterprise is one entry of the register. Principal, Officer and
// OfficerPhone are personal data: masked in lists, revealed only on an
// audited request.
type Enterprise struct {
	ID             int64        `json:"id"`
	DivisionID     int64        `json:"division_id"`
	DivisionName   string       `json:"division_name"`
	DivisionNameEN string       `json:"division_name_en,omitempty"`
	TownshipID     int64        `json:"township_id"`
	TownshipName   string       `json:"township_name"`
	TownshipNameEN string       `json:"township_name_en,omitempty"`
	Name           string       `json:"name"`
	CreditCode     string       `json:"credit_code"`
	Industry       string       `json:"industry"`
	Address        string       `json:"address"`
	AboveSize      bool         `json:"above_size"`
	KeyProject     bool         `json:"key_project"`
	Employees      int64        `json:"employees"`
	Principal      string       `json:"principal"`
	Officer        string       `json:"officer"`
	OfficerPhone   string       `json:"officer_phone"`
	RegisteredOn   storage.Date `json:"registered_on"`
	Status         Status       `json:"status"`
	FilingID       int64        `json:"filing_id,omitempty"`
	ResumeDay      storage.Date `json:"resume_day,omitzero"`
	Version        int64        `json:"version"`
	UpdatedAt      time.Time    `json:"updated_at"`
	Path           string       `json:"-"`
}

// Masked returns a copy with personal data masked.
func (e Enterprise) Masked() Enterprise {
	e.Principal, e.Officer = privacy.MaskName(e.Principal), privacy.MaskName(e.Officer)
	e.OfficerPhone = privacy.MaskPhone(e.OfficerPhone)
	return e
}

// Place is "township · village" (or the township alone) in lang.
func (e Enterprise) Place(lang string) string {
	town, div := e.TownshipName, e.DivisionName
	if lang == "en" {
		town, div = orZH(e.TownshipNameEN, town), orZH(e.DivisionNameEN, div)
	}
	if e.TownshipID == e.DivisionID || town == "" {
		return div
	}
	return town + " · " + div
}

func orZH(en, zh string) string {
	if en != "" {
		return en
	}
	return zh
}

// FilingStatus is where a filing stands in its workflow.
type FilingStatus string

// Filing statuses. Approved and Effective are final; a refused enterprise may
// file anew.
const (
	FStatusFiled          FilingStatus = "filed"
	FStatusTownshipPassed FilingStatus = "township_passed"
	FStatusReturned       FilingStatus = "returned"
	FStatusRefused        FilingStatus = "refused"
	FStatusApproved       FilingStatus = "approved"
	FStatusEffective      FilingStatus = "effective" // notice-and-commitment: effective on submission
)

// Mode is how the county handles filings (a setting).
type Mode string

// The filing modes.
const (
	ModeApproval   Mode = "approval"   // township review, then county decision
	ModeCommitment Mode = "commitment" // 告知承诺: effective on submission, no approval
)

// Measure is one of the seven prevention measures of the 13 February 2020
// meeting, in the report's order.
type Measure string

// The seven measures.
const (
	MeasureTemperature  Measure = "temperature"  // 体温监测
	MeasureEntryLog     Measure = "entry_log"    // 人员进出登记
	MeasureVehicles     Measure = "vehicles"     // 外来车辆管控
	MeasureMasks        Measure = "masks"        // 口罩佩戴
	MeasureDisinfection Measure = "disinfection" // 公共区域消杀
	MeasureClosedSite   Measure = "closed_site"  // 厂区封闭管理
	MeasureContingency  Measure = "contingency"  // 应急预案
)

// Measures lists the seven measures in order; the supervision module's
// enterprise checklist uses the same list.
var Measures = []Measure{MeasureTemperature, MeasureEntryLog, MeasureVehicles, MeasureMasks,
	MeasureDisinfection, MeasureClosedSite, MeasureContingency}

// MeasureCheck is one measure of a filing: in place or not, and the evidence.
type MeasureCheck struct {
	Measure Measure `json:"measure"`
	Done    bool    `json:"done"`
	Note    string  `json:"note"`
}

// Filing is a resumption filing (复工备案).
type Filing struct {
	ID                 int64          `json:"id"`
	EnterpriseID       int64          `json:"enterprise_id"`
	EnterpriseName     string         `json:"enterprise_name"`
	DivisionID         int64          `json:"division_id"`
	Status             FilingStatus   `json:"status"`
	Mode               Mode           `json:"mode"`
	PlannedDate        storage.Date   `json:"planned_date"`
	Measures           []MeasureCheck `json:"measures"`
	ExpectedLocal      int64          `json:"expected_local"`
	ExpectedOutside    int64          `json:"expected_outside"`
	ExpectedKeyRegions int64          `json:"expected_key_regions"`
	MasksDays          int64          `json:"masks_days"`
	Thermometers       int64          `json:"thermometers"`
	DisinfectantDays   int64          `json:"disinfectant_days"`
	IsolationArea      bool           `json:"isolation_area"`
	IsolationNote      string         `json:"isolation_note"`
	Commitment         bool           `json:"commitment"`
	Notes              string         `json:"notes"`
	FirstSubmittedOn   storage.Date   `json:"first_submitted_on"`
	SubmittedOn        storage.Date   `json:"submitted_on"`
	DecidedOn          storage.Date   `json:"decided_on,omitzero"`
	ResumeDay          storage.Date   `json:"resume_day,omitzero"`
	Version            int64          `json:"version"`
	UpdatedAt          time.Time      `json:"updated_at"`
	Events             []Event        `json:"events,omitempty"`
}

// ExpectedTotal is the employees the filing expects back.
func (f Filing) ExpectedTotal() int64 { return f.ExpectedLocal + f.ExpectedOutside }

// Pending reports whether the filing awaits the township or the county.
func (f Filing) Pending() bool { return f.Status == FStatusFiled || f.Status == FStatusTownshipPassed }

// Event is one timed step of a filing's workflow.
type Event struct {
	ID      int64        `json:"id"`
	Step    Step         `json:"step"`
	From    FilingStatus `json:"from_status,omitempty"`
	To      FilingStatus `json:"to_status"`
	Day     storage.Date `json:"day"`
	At      time.Time    `json:"at"`
	Actor   string       `json:"actor"`
	Reasons string       `json:"reasons,omitempty"`
	// WorkingDays is the working days since the previous step.
	WorkingDays int `json:"working_days"`
}

// Suspension is a stop of production from From until To (exclusive; zero
// while it lasts).
type Suspension struct {
	ID        int64        `json:"id"`
	From      storage.Date `json:"from"`
	To        storage.Date `json:"to,omitzero"`
	Reason    string       `json:"reason"`
	CreatedBy string       `json:"created_by"`
}

// Report is one enterprise's daily report.
type Report struct {
	ID               int64        `json:"id"`
	EnterpriseID     int64        `json:"enterprise_id"`
	EnterpriseName   string       `json:"enterprise_name,omitempty"`
	Day              storage.Date `json:"day"`
	OnSite           int64        `json:"on_site"`
	ReturnedToday    int64        `json:"returned_today"`
	FromOutside      int64        `json:"from_outside"`
	UnderObservation int64        `json:"under_observation"`
	FeverCases       int64        `json:"fever_cases"`
	CapacityPct      int64        `json:"capacity_pct"`
	Note             string       `json:"note"`
	CreatedBy        string       `json:"created_by"`
	UpdatedAt        time.Time    `json:"updated_at"`
}

// PolicyKind is the sort of relief a policy gives.
type PolicyKind string

// PolicyKinds lists the kinds in display order.
var PolicyKinds = []PolicyKind{"tax_fee", "rent", "subsidy", "loan", "other"}

func validKind(k PolicyKind) bool {
	return slices.Contains(PolicyKinds, k)
}

// Policy is a relief or support policy (税费减免和扶持政策).
type Policy struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	Kind         PolicyKind   `json:"kind"`
	Issuer       string       `json:"issuer"`
	Summary      string       `json:"summary"`
	ValidFrom    storage.Date `json:"valid_from,omitzero"`
	ValidTo      storage.Date `json:"valid_to,omitzero"`
	Applications int          `json:"applications"`
	Granted      int          `json:"granted"`
	AmountGrant  Money        `json:"-"`
	GrantedYuan  string       `json:"amount_granted"` // yuan, two decimals
	Version      int64        `json:"version"`
}

// AppStatus is where an application for a policy stands.
type AppStatus string

// Application statuses.
const (
	AppApplied  AppStatus = "applied"
	AppGranted  AppStatus = "granted"
	AppRejected AppStatus = "rejected"
)

// Application is one enterprise's application for one policy, and what it received.
type Application struct {
	ID             int64        `json:"id"`
	PolicyID       int64        `json:"policy_id"`
	PolicyName     string       `json:"policy_name"`
	PolicyKind     PolicyKind   `json:"policy_kind"`
	EnterpriseID   int64        `json:"enterprise_id"`
	EnterpriseName string       `json:"enterprise_name"`
	Status         AppStatus    `json:"status"`
	AmountApplied  Money        `json:"-"`
	AmountGranted  Money        `json:"-"`
	AppliedYuan    string       `json:"amount_applied"` // yuan, two decimals
	GrantedYuan    string       `json:"amount_granted"`
	AppliedOn      storage.Date `json:"applied_on"`
	DecidedOn      storage.Date `json:"decided_on,omitzero"`
	Note           string       `json:"note"`
	CreatedBy      string       `json:"created_by"`
	DecidedBy      string       `json:"decided_by,omitempty"`
}
