// Package surveillance is epidemic surveillance (疫情监测, SPEC §1): cases with
// their status history, and the daily statistics and county risk level computed
// from that history for any date.
package surveillance

import (
	"time"

	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// Status is where a case stands.
type Status string

// Statuses, and the event kinds that move a case into them.
const (
	Suspected    Status = "suspected"    // 疑似
	Asymptomatic Status = "asymptomatic" // 无症状感染者
	Confirmed    Status = "confirmed"    // 确诊
	Excluded     Status = "excluded"     // 排除 (a suspected case ruled out)
	Released     Status = "released"     // 解除医学观察 (asymptomatic, never confirmed)
	Cured        Status = "cured"        // 治愈出院
	Died         Status = "died"         // 死亡
	Struck       Status = "struck"       // 核减: struck from the count
)

// Statuses lists every status in display order.
var Statuses = []Status{Suspected, Asymptomatic, Confirmed, Cured, Died, Excluded, Released, Struck}

// next says which statuses may follow each one. The empty status is a new case.
var next = map[Status][]Status{
	"":           {Suspected, Asymptomatic, Confirmed},
	Suspected:    {Confirmed, Excluded, Asymptomatic},
	Asymptomatic: {Confirmed, Released, Struck},
	Confirmed:    {Cured, Died, Struck},
	Cured:        {Struck},
	Died:         {Struck},
	Excluded:     {Suspected},
	Released:     {Confirmed, Struck},
	Struck:       {},
}

// CanMove reports whether a case in status from may move to status to.
func CanMove(from, to Status) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Next lists the statuses a case in s may move to.
func Next(s Status) []Status { return next[s] }

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	_, ok := next[s]
	return ok && s != ""
}

// Origin says where an infection came from.
type Origin string

// Origins.
const (
	Local    Origin = "local"    // 本地
	Imported Origin = "imported" // 输入
)

// Case is one person's case record. Personal fields (Name, IDNumber, Phone,
// Address) are masked in lists and revealed only on an audited detail view.
type Case struct {
	ID         int64 `json:"id"`
	DivisionID int64 `json:"division_id"`
	i18n.DivisionNames
	Name       string       `json:"name"`
	IDNumber   string       `json:"id_number"`
	Sex        string       `json:"sex"`
	BirthDate  storage.Date `json:"birth_date"`
	Phone      string       `json:"phone"`
	Address    string       `json:"address"`
	Origin     Origin       `json:"origin"`
	Hospital   string       `json:"hospital"`
	OnsetDate  storage.Date `json:"onset_date"`
	Setting    string       `json:"setting"` // the small setting (household, workplace, site) for cluster detection
	Notes      string       `json:"notes"`
	Status     Status       `json:"status"`
	StatusDate storage.Date `json:"status_date"`
	Version    int64        `json:"version"`
	UpdatedAt  time.Time    `json:"updated_at"`
	Events     []Event      `json:"events,omitempty"`
}

// Event is one change of a case's status.
type Event struct {
	ID        int64        `json:"id"`
	Kind      Status       `json:"kind"`
	Day       storage.Date `json:"day"`
	Note      string       `json:"note"`
	CreatedBy string       `json:"created_by"`
	CreatedAt time.Time    `json:"created_at"`
}

// Masked returns a copy with personal data masked, for lists and exports
// without the pii.export permission.
func (c Case) Masked() Case {
	c.Name, c.IDNumber = privacy.MaskName(c.Name), privacy.MaskID(c.IDNumber)
	c.Phone, c.Address = privacy.MaskPhone(c.Phone), privacy.MaskAddress(c.Address)
	return c
}
