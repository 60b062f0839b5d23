// Package isolation is the centralized isolation sites (集中隔离点, SPEC §3):
// sites with their rooms, capacity, designated hospital and staff; stays of
// people under centralized observation (person, room, in, planned out, out);
// occupancy and free beds for any day; the day's follow-ups due and missed at
// a site; and the transfers (screening's fever alerts) of people staying there.
//
// Observations, follow-ups and alerts belong to screening: a stay opens or
// moves the person's observation through screening's Store, and the site's
// figures read screening's tables, limited to the people staying at the site.
// Site staff hold a site_staff grant whose scope is their site: they see that
// site and nothing else (another site's id answers 404).
package isolation

import (
	"slices"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// The module's permissions. Site staff admit, check out and follow up at
// their site (PermWrite over a site grant); keeping sites, rooms and staff
// is the command's and the townships' (PermManage over a node subtree).
const (
	PermRead   = auth.PermIsolationRead
	PermWrite  = auth.PermIsolationWrite
	PermManage = auth.Perm("isolation.manage") // create and edit sites and rooms, assign staff
)

func init() {
	for _, r := range []auth.Role{auth.Commander, auth.TownshipAdmin, auth.SiteStaff} {
		auth.AddPerms(r, PermRead, PermWrite)
	}
	for _, r := range []auth.Role{auth.Commander, auth.TownshipAdmin} {
		auth.AddPerms(r, PermManage)
	}
	for _, r := range []auth.Role{auth.Leader, auth.Auditor, auth.Inspector} {
		auth.AddPerms(r, PermRead)
	}
}

// Site is one centralized isolation site. Capacity is computed: the beds of
// its rooms not closed.
type Site struct {
	ID         int64 `json:"id"`
	DivisionID int64 `json:"division_id"`
	i18n.DivisionNames
	Name      string    `json:"name"`
	Address   string    `json:"address"`
	Capacity  int       `json:"capacity"`
	Hospital  string    `json:"hospital"` // the designated hospital transfers go to
	Phone     string    `json:"phone"`
	Notes     string    `json:"notes"`
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
	// Detail views only.
	Rooms []Room  `json:"rooms,omitempty"`
	Staff []Staff `json:"staff,omitempty"`
	path  string
}

// RoomStatus says whether a room takes people.
type RoomStatus string

// The statuses of a room.
const (
	RoomOpen     RoomStatus = "open"     // 在用: admitting
	RoomCleaning RoomStatus = "cleaning" // 消杀中: its beds count, nobody is admitted
	RoomClosed   RoomStatus = "closed"   // 停用: out of the site's capacity
)

// RoomStatuses lists them in display order.
var RoomStatuses = []RoomStatus{RoomOpen, RoomCleaning, RoomClosed}

// Valid reports whether st is a known status.
func (st RoomStatus) Valid() bool { return slices.Contains(RoomStatuses, st) }

// Room is one room of a site. Occupied counts the stays on the day asked about.
type Room struct {
	ID       int64        `json:"id"`
	SiteID   int64        `json:"site_id"`
	Number   string       `json:"number"`
	Beds     int          `json:"beds"`
	Status   RoomStatus   `json:"status"`
	ClosedOn storage.Date `json:"closed_on"`
	Notes    string       `json:"notes"`
	Occupied int          `json:"occupied"`
}

// Free is the number of beds a person can be admitted to: none unless the
// room is open.
func (r Room) Free() int {
	if r.Status != RoomOpen {
		return 0
	}
	return max(0, r.Beds-r.Occupied)
}

// OutReason is why a stay ended.
type OutReason string

// The reasons a stay ends, and what each does to the observation.
const (
	OutReleased OutReason = "released" // 解除隔离: the observation is released with it
	OutTransfer OutReason = "transfer" // 转运医院: the observation goes on until the hospital's result
	OutHome     OutReason = "home"     // 转居家观察: the observation goes on at home
	OutOther    OutReason = "other"    // e.g. moved to another site: the observation is left as it is
)

// OutReasons lists them in display order.
var OutReasons = []OutReason{OutReleased, OutTransfer, OutHome, OutOther}

// Valid reports whether r is a known reason.
func (r OutReason) Valid() bool { return slices.Contains(OutReasons, r) }

// Staff is an account working at a site.
type Staff struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

// Stay is one person's stay at a site. PersonName is masked outside an
// audited reveal.
type Stay struct {
	ID            int64        `json:"id"`
	SiteID        int64        `json:"site_id"`
	SiteName      string       `json:"site_name"`
	RoomID        int64        `json:"room_id"`
	RoomNumber    string       `json:"room_number"`
	PersonID      int64        `json:"person_id"`
	PersonName    string       `json:"person_name"`
	ObservationID int64        `json:"observation_id,omitempty"`
	CheckIn       storage.Date `json:"check_in"`
	PlannedOut    storage.Date `json:"planned_out"`
	CheckOut      storage.Date `json:"check_out"`
	OutReason     OutReason    `json:"out_reason,omitempty"`
	Note          string       `json:"note"`
	Version       int64        `json:"version"`
	CreatedBy     string       `json:"created_by"`
	CreatedAt     time.Time    `json:"created_at"`
}

// Masked returns a copy with the person's name masked.
func (s Stay) Masked() Stay {
	s.PersonName = privacy.MaskName(s.PersonName)
	return s
}

// On reports whether the stay occupies its bed on day d.
func (s Stay) On(d storage.Date) bool {
	return !s.CheckIn.After(d.Time) && (s.CheckOut.IsZero() || s.CheckOut.After(d.Time))
}

// Occupancy is one site's figures for a day.
type Occupancy struct {
	Site       Site         `json:"site"`
	Date       storage.Date `json:"date"`
	Rooms      int          `json:"rooms"`
	Beds       int          `json:"beds"`
	Occupied   int          `json:"occupied"`
	FreeBeds   int          `json:"free_beds"`
	EmptyRooms int          `json:"empty_rooms"` // rooms with nobody in them
	FreeRooms  int          `json:"free_rooms"`  // rooms with at least one free bed
	Due        int          `json:"due"`         // follow-up slots due on the day
	Done       int          `json:"done"`
	Missed     int          `json:"missed"`
	Transfers  int          `json:"open_transfers"` // alerts of people at the site still without a result
}
