package checkpoint

import (
	"slices"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// Roster permissions. Everyone who reads a checkpoint reads its roster (the
// checkpoint scope decides which); keeping the pool and editing rosters is
// the township's and the county's job; checking in is the duty person's.
const (
	PermRosterWrite auth.Perm = "roster.write" // keep the duty pool, shift patterns and rosters
	PermDutyCheckin auth.Perm = "duty.checkin" // check in and out of one's own duty
)

func init() {
	auth.AddPerms(auth.Commander, PermRosterWrite, PermDutyCheckin)
	auth.AddPerms(auth.TownshipAdmin, PermRosterWrite, PermDutyCheckin)
	auth.AddPerms(auth.VillageCadre, PermDutyCheckin)
	auth.AddPerms(auth.CheckpointStaff, PermDutyCheckin)
}

// Roster settings (county rule settings, see internal/platform/settings).
const (
	SettingRestHours    = "checkpoint.roster_rest_hours"     // least rest between two shifts of one person
	SettingWeekMaxHours = "checkpoint.roster_week_max_hours" // most duty hours of one person in a week (Mon–Sun)
	DefaultRestHours    = 8
	DefaultWeekMaxHours = 56
)

// PersonKind is what a duty person is.
type PersonKind string

// The kinds of duty person.
const (
	Volunteer PersonKind = "volunteer" // 志愿者
	Cadre     PersonKind = "cadre"     // 干部
	Police    PersonKind = "police"    // 民警
)

// PersonKinds lists every kind in display order.
var PersonKinds = []PersonKind{Volunteer, Cadre, Police}

// Valid reports whether k is a known kind.
func (k PersonKind) Valid() bool {
	return slices.Contains(PersonKinds, k)
}

// DutyPerson is one person of a township's duty pool (值守人员库). Username,
// when set, is the account that checks in for the person.
type DutyPerson struct {
	ID         int64 `json:"id"`
	DivisionID int64 `json:"division_id"`
	i18n.DivisionNames
	Name      string     `json:"name"`
	Phone     string     `json:"phone"`
	Kind      PersonKind `json:"kind"`
	Username  string     `json:"username"`
	Available bool       `json:"available"`
	Version   int64      `json:"version"`
}

// Masked returns a copy with the phone masked, for lists.
func (d DutyPerson) Masked() DutyPerson {
	d.Phone = privacy.MaskPhone(d.Phone)
	return d
}

// PatternKind names a shift pattern.
type PatternKind string

// The shift patterns.
const (
	ThreeEight PatternKind = "3x8"    // 00–08, 08–16, 16–24
	TwoTwelve  PatternKind = "2x12"   // 00–12, 12–24 (NB: 08–20 would do as custom)
	Custom     PatternKind = "custom" // Windows
)

// Window is one shift of a day: it starts Start after local midnight and
// lasts Length (it may run past midnight).
type Window struct {
	Start, Length time.Duration
}

// Pattern is a checkpoint's shift pattern.
type Pattern struct {
	CheckpointID int64       `json:"checkpoint_id"`
	Kind         PatternKind `json:"kind"`
	// Custom is the custom windows as text, "06:00-14:00,14:00-22:00".
	Custom   string `json:"custom"`
	MinStaff int    `json:"min_staff"`
	Version  int64  `json:"version"`
}

// DefaultPattern is the pattern of a checkpoint that has none yet.
func DefaultPattern(cp int64) Pattern {
	return Pattern{CheckpointID: cp, Kind: ThreeEight, MinStaff: 2}
}

// Shift is one shift of a checkpoint's roster.
type Shift struct {
	ID           int64     `json:"id"`
	CheckpointID int64     `json:"checkpoint_id"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	MinStaff     int       `json:"min_staff"`
}

// Hours is the shift's length in hours.
func (s Shift) Hours() float64 { return s.End.Sub(s.Start).Hours() }

// Assignment puts one person on one shift, with the duty check-in and -out.
type Assignment struct {
	ID           int64      `json:"id"`
	ShiftID      int64      `json:"shift_id"`
	PersonID     int64      `json:"person_id"`
	Name         string     `json:"name"`
	Phone        string     `json:"phone"`
	Kind         PersonKind `json:"kind"`
	Override     bool       `json:"override"` // accepted by hand despite a rule
	CheckedInAt  *time.Time `json:"checked_in_at,omitempty"`
	CheckedOutAt *time.Time `json:"checked_out_at,omitempty"`
	available    bool
}

// OnDuty reports whether the person has checked in and not out.
func (a Assignment) OnDuty() bool { return a.CheckedInAt != nil && a.CheckedOutAt == nil }

// InAt is the check-in time (zero when none), for templates.
func (a Assignment) InAt() time.Time {
	if a.CheckedInAt == nil {
		return time.Time{}
	}
	return *a.CheckedInAt
}

func maskPhone(s string) string { return privacy.MaskPhone(s) }

// RosterRules are the settings generation and checks hold.
type RosterRules struct {
	Rest    time.Duration // least rest between two shifts of a person
	WeekMax time.Duration // most duty in one week (Monday to Sunday, county time)
	Zone    *time.Location
}

// DefaultRosterRules are the rules without settings.
func DefaultRosterRules(zone *time.Location) RosterRules {
	return RosterRules{Rest: DefaultRestHours * time.Hour, WeekMax: DefaultWeekMaxHours * time.Hour, Zone: zone}
}

// weekOf is the Monday of the county week t falls in.
func (r RosterRules) weekOf(t time.Time) storage.Date {
	d := storage.DateOf(t, r.Zone)
	wd := (int(d.Weekday()) + 6) % 7 // Monday = 0
	return d.AddDays(-wd)
}
