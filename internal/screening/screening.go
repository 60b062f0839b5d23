// Package screening is key-population screening and medical observation
// (排查与医学观察, SPEC §2): the person register of every village (one record
// per person, duplicates refused with a pointer and mergeable with their
// history), its three ways in (a cadre's form, an Excel import with a
// row-by-row report, residents' self-registration through a village's signed
// link), household visits, medical observations with twice-daily follow-ups,
// fever alerts with their transfer timeline, and printable notices.
//
// Colleagues build on these tables: isolation gives centralized observations
// a stay at a site, tracing opens or extends close contacts' observations
// from the last exposure (Store.ObserveContact).
package screening

import (
	"slices"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// The module's permissions, as auth declares them.
const (
	PermRead  = auth.PermScreeningRead
	PermWrite = auth.PermScreeningWrite
)

func init() {
	for _, r := range []auth.Role{auth.Commander, auth.TownshipAdmin, auth.VillageCadre} {
		auth.AddPerms(r, PermRead, PermWrite)
	}
	for _, r := range []auth.Role{auth.Leader, auth.Auditor, auth.Inspector} {
		auth.AddPerms(r, PermRead)
	}
}

// Tag marks why a person is in the register.
type Tag string

// The tags a person can carry.
const (
	TagReturnee     Tag = "returnee"      // 返乡人员
	TagKeyRegion    Tag = "key_region"    // 来自重点地区
	TagCloseContact Tag = "close_contact" // 密切接触者
	TagFever        Tag = "fever"         // 发热人员
	TagOverseas     Tag = "overseas"      // 境外来返
)

// Tags lists every tag in display order.
var Tags = []Tag{TagReturnee, TagKeyRegion, TagCloseContact, TagFever, TagOverseas}

// Valid reports whether t is a known tag.
func (t Tag) Valid() bool {
	return slices.Contains(Tags, t)
}

// Source says how a person came into the register.
type Source string

// The ways in.
const (
	SourceForm   Source = "form"   // a cadre's form or the API
	SourceImport Source = "import" // an Excel register
	SourceSelf   Source = "self"   // the resident's own registration, confirmed by a cadre
)

// Person is one record of the register. Name, IDNumber, Phone and Address
// are personal data: masked in lists, in full only through an audited reveal.
type Person struct {
	ID         int64 `json:"id"`
	DivisionID int64 `json:"division_id"`
	i18n.DivisionNames
	Name       string       `json:"name"`
	IDNumber   string       `json:"id_number"`
	Sex        string       `json:"sex"`
	BirthDate  storage.Date `json:"birth_date"`
	Phone      string       `json:"phone"`
	Address    string       `json:"address"`
	Workplace  string       `json:"workplace"`
	Tags       []Tag        `json:"tags"`
	Source     Source       `json:"source"`
	ScreenedOn storage.Date `json:"screened_on"`
	Notes      string       `json:"notes"`
	// MergedInto is the record this one was merged into (0 for a live record).
	MergedInto int64     `json:"merged_into,omitempty"`
	Version    int64     `json:"version"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	// LastArrival is the latest arrival date of the person's travels (lists).
	LastArrival storage.Date `json:"last_arrival"`
	// Detail views only.
	Travels      []Travel      `json:"travels,omitempty"`
	Observations []Observation `json:"observations,omitempty"`
	Merges       []Merge       `json:"merges,omitempty"`
}

// Masked returns a copy with personal data masked.
func (p Person) Masked() Person {
	p.Name, p.IDNumber = privacy.MaskName(p.Name), privacy.MaskID(p.IDNumber)
	p.Phone, p.Address = privacy.MaskPhone(p.Phone), privacy.MaskAddress(p.Address)
	for i := range p.Observations {
		p.Observations[i].PersonName = privacy.MaskName(p.Observations[i].PersonName)
	}
	return p
}

// HasTag reports whether the person carries t.
func (p Person) HasTag(t Tag) bool {
	return slices.Contains(p.Tags, t)
}

// Transport is how a journey was made.
type Transport string

// The means of transport.
const (
	ByTrain  Transport = "train"
	ByFlight Transport = "flight"
	ByCoach  Transport = "coach"
	ByCar    Transport = "car"
	ByOther  Transport = "other"
)

// Transports lists them in display order.
var Transports = []Transport{ByTrain, ByFlight, ByCoach, ByCar, ByOther}

// Travel is one journey of a person.
type Travel struct {
	ID          int64        `json:"id"`
	PersonID    int64        `json:"person_id"`
	From        string       `json:"from"`
	Via         string       `json:"via"`
	Transport   Transport    `json:"transport"`
	TransportNo string       `json:"transport_no"`
	ArrivedOn   storage.Date `json:"arrived_on"`
	CreatedBy   string       `json:"created_by"`
	CreatedAt   time.Time    `json:"created_at"`
}

// Merge says that one record was merged into another.
type Merge struct {
	ID        int64     `json:"id"`
	KeptID    int64     `json:"kept_id"`
	MergedID  int64     `json:"merged_id"`
	Reason    string    `json:"reason"`
	Moved     string    `json:"moved"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Household is one household visited in door-to-door screening.
type Household struct {
	ID         int64 `json:"id"`
	DivisionID int64 `json:"division_id"`
	i18n.DivisionNames
	Address   string       `json:"address"`
	Members   int64        `json:"members"`
	VisitedOn storage.Date `json:"visited_on"`
	Notes     string       `json:"notes"`
	CreatedBy string       `json:"created_by"`
	CreatedAt time.Time    `json:"created_at"`
}
