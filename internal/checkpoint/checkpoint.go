// Package checkpoint is checkpoints and their passage log (卡口值守, SPEC §5):
// the checkpoints of each village and township, the phone-first capture page
// that records every passage (出入登记) — offline too, each passage stored
// exactly once — the Ed25519-signed resident QR passes it scans, and the
// per-day figures of the checkpoints for the dashboard.
//
// Recording a passage is the hottest write path of the system. A passage is
// acknowledged only once it is durably committed; a per-process committer
// (ingest.go) groups concurrent passages into one transaction, so many share
// one fsync. It keeps nothing a second replica needs: each replica commits its
// own groups, and the unique (checkpoint_id, client_id) key makes every
// passage idempotent across replicas and retries.
package checkpoint

import (
	"slices"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
)

func init() {
	read := []auth.Perm{auth.PermCheckpointRead, auth.PermPassageRead}
	all := append(read, auth.PermCheckpointWrite, auth.PermPassageWrite, auth.PermPassIssue)
	auth.AddPerms(auth.Commander, all...)
	auth.AddPerms(auth.TownshipAdmin, all...)
	auth.AddPerms(auth.VillageCadre, append(read, auth.PermPassageWrite, auth.PermPassIssue)...)
	auth.AddPerms(auth.CheckpointStaff, append(read, auth.PermPassageWrite)...)
	auth.AddPerms(auth.Leader, read...)
	auth.AddPerms(auth.Inspector, read...)
	auth.AddPerms(auth.Auditor, read...)
}

// Kind is what a checkpoint guards.
type Kind string

// The kinds of checkpoint.
const (
	VillageEntrance Kind = "village"    // 村口
	Road            Kind = "road"       // 道路卡口
	CommunityGate   Kind = "community"  // 小区门岗
	HighwayExit     Kind = "highway"    // 高速出口
	EnterpriseGate  Kind = "enterprise" // 企业门岗
)

// Kinds lists every kind in display order.
var Kinds = []Kind{VillageEntrance, Road, CommunityGate, HighwayExit, EnterpriseGate}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	return slices.Contains(Kinds, k)
}

// Status says whether a checkpoint is staffed.
type Status string

// Checkpoint statuses.
const (
	Open   Status = "open"
	Closed Status = "closed"
)

// Checkpoint is one checkpoint. HoursFrom and HoursTo are "HH:MM" in the
// county's zone; both empty means round the clock.
type Checkpoint struct {
	ID         int64 `json:"id"`
	DivisionID int64 `json:"division_id"`
	i18n.DivisionNames
	Kind         Kind      `json:"kind"`
	Name         string    `json:"name"`
	HoursFrom    string    `json:"hours_from"`
	HoursTo      string    `json:"hours_to"`
	Status       Status    `json:"status"`
	Notes        string    `json:"notes"`
	Version      int64     `json:"version"`
	UpdatedAt    time.Time `json:"updated_at"`
	divisionPath string
}

// AllDay reports whether the checkpoint is staffed round the clock.
func (c Checkpoint) AllDay() bool { return c.HoursFrom == "" && c.HoursTo == "" }

// Direction is which way a passage goes.
type Direction string

// Directions.
const (
	In  Direction = "in"
	Out Direction = "out"
)

// Decision is what the checkpoint decided.
type Decision string

// Decisions.
const (
	LetThrough Decision = "pass"    // 放行
	Returned   Decision = "return"  // 劝返
	Observe    Decision = "observe" // 送医学观察
)

// Decisions lists every decision in display order.
var Decisions = []Decision{LetThrough, Returned, Observe}

// Passage is one entry of the passage log. Personal fields are masked in
// lists (Masked).
type Passage struct {
	ID           int64     `json:"id"`
	CheckpointID int64     `json:"checkpoint_id"`
	ClientID     string    `json:"client_id"`
	At           time.Time `json:"at"`
	Direction    Direction `json:"direction"`
	Name         string    `json:"name"`
	IDNumber     string    `json:"id_number"`
	Phone        string    `json:"phone"`
	PassSerial   int64     `json:"pass_serial,omitempty"`
	Plate        string    `json:"plate"`
	External     bool      `json:"external"`
	// Temperature is in °C; 0 when not measured.
	Temperature float64   `json:"temperature,omitempty"`
	Fever       bool      `json:"fever"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	Purpose     string    `json:"purpose"`
	Decision    Decision  `json:"decision"`
	RecordedBy  string    `json:"recorded_by"`
	CreatedAt   time.Time `json:"created_at"`
	personKey   string
	digest      string
	serverTime  bool // At was not sent: the server's clock says when
}

// Masked returns a copy with personal data masked, for lists.
func (p Passage) Masked() Passage {
	p.Name, p.IDNumber, p.Phone = privacy.MaskName(p.Name), privacy.MaskID(p.IDNumber), privacy.MaskPhone(p.Phone)
	return p
}
