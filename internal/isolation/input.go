package isolation

import (
	"encoding/json"
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// SiteInput is a site as a form or the API sends it. Its capacity is not
// typed: it is the beds of its rooms. Staff names the accounts working there
// (nil leaves an existing site's staff as they are); Version, when not 0,
// must be the stored version of the site being changed.
type SiteInput struct {
	DivisionID int64    `json:"division_id"`
	Name       string   `json:"name"`
	Address    string   `json:"address"`
	Hospital   string   `json:"hospital"`
	Phone      string   `json:"phone"`
	Notes      string   `json:"notes"`
	Staff      []string `json:"staff,omitempty"`
	Version    int64    `json:"version,omitempty"`
}

// MaxCapacity bounds one site's beds: a requisitioned hotel or school holds
// hundreds.
const MaxCapacity = 5000

func text(fc *errs.FieldCollector, field, s string, n int, required bool) string {
	s = strings.TrimSpace(s)
	if required && !fc.Check(field, validate.Required(s)) {
		return s
	}
	fc.Check(field, validate.MaxLen(s, n))
	return s
}

func (in SiteInput) check(fc *errs.FieldCollector) Site {
	t := Site{DivisionID: in.DivisionID}
	if in.DivisionID <= 0 {
		fc.Add("division_id", "errs.required")
	}
	t.Name = text(fc, "name", in.Name, 60, true)
	t.Address = text(fc, "address", in.Address, 120, true)
	t.Hospital = text(fc, "hospital", in.Hospital, 60, true)
	t.Notes = text(fc, "notes", in.Notes, 500, false)
	if ph := strings.TrimSpace(in.Phone); ph != "" {
		if n, err := validate.Mobile(ph); fc.Check("phone", err) {
			t.Phone = n
		}
	}
	return t
}

// RoomInput is a room of a site. Status is open (the default), cleaning or
// closed.
type RoomInput struct {
	Number string `json:"number"`
	Beds   int    `json:"beds"`
	Status string `json:"status,omitempty"`
	Notes  string `json:"notes"`
}

// MaxBeds bounds one room.
const MaxBeds = 8

func (in RoomInput) check(fc *errs.FieldCollector) Room {
	r := Room{Beds: in.Beds, Status: RoomStatus(strings.TrimSpace(in.Status))}
	r.Number = text(fc, "number", in.Number, 20, true)
	r.Notes = text(fc, "notes", in.Notes, 200, false)
	if in.Beds < 1 || in.Beds > MaxBeds {
		fc.Add("beds", "isolation.err.beds", MaxBeds)
	}
	if r.Status == "" {
		r.Status = RoomOpen
	}
	if !r.Status.Valid() {
		fc.Add("status", "errs.bad_choice")
	}
	return r
}

// StayInput admits a person to a room. The person's observation in progress
// becomes centralized; without one, a centralized observation is opened
// (Reason, BasisDate as screening's observation form takes them).
type StayInput struct {
	PersonID   int64  `json:"person_id"`
	RoomID     int64  `json:"room_id"`
	CheckIn    string `json:"check_in"`    // default today
	PlannedOut string `json:"planned_out"` // default the observation's planned end
	Reason     string `json:"reason"`      // for a new observation: returnee, close_contact, …
	BasisDate  string `json:"basis_date"`  // for a new observation: arrival or last exposure
	Note       string `json:"note"`
}

// stayForm is a checked StayInput.
type stayForm struct {
	Stay
	reason, basis string
}

func (in StayInput) check(fc *errs.FieldCollector, today storage.Date) stayForm {
	var f stayForm
	f.PersonID, f.RoomID = in.PersonID, in.RoomID
	if in.PersonID <= 0 {
		fc.Add("person_id", "errs.required")
	}
	if in.RoomID <= 0 {
		fc.Add("room_id", "errs.required")
	}
	f.CheckIn = date(fc, "check_in", in.CheckIn, today, false)
	if f.CheckIn.IsZero() && !fc.Has("check_in") {
		f.CheckIn = today
	}
	f.PlannedOut = date(fc, "planned_out", in.PlannedOut, today, true)
	if !f.PlannedOut.IsZero() && !f.CheckIn.IsZero() && !f.PlannedOut.After(f.CheckIn.Time) {
		fc.Add("planned_out", "isolation.err.out_before_in")
	}
	f.reason, f.basis = strings.TrimSpace(in.Reason), strings.TrimSpace(in.BasisDate)
	f.Note = text(fc, "note", in.Note, 200, false)
	return f
}

// date parses an optional date; plans may lie in the future.
func date(fc *errs.FieldCollector, field, s string, today storage.Date, plan bool) storage.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		return storage.Date{}
	}
	t, err := validate.Date(s)
	if !fc.Check(field, err) {
		return storage.Date{}
	}
	if !plan && !fc.Check(field, validate.NotFuture(t, today.Time)) {
		return storage.Date{}
	}
	return storage.Date{Time: t}
}

// CheckoutInput ends a stay. Reason is released (the default: the
// observation is released with the stay), transfer, home or other.
type CheckoutInput struct {
	Day    string `json:"day"` // default today
	Reason string `json:"reason,omitempty"`
	Note   string `json:"note"`
}

// checkout is a checked CheckoutInput.
type checkout struct {
	day    storage.Date
	reason OutReason
	note   string
}

func (in CheckoutInput) check(fc *errs.FieldCollector, today storage.Date) checkout {
	c := checkout{day: date(fc, "day", in.Day, today, false), reason: OutReason(strings.TrimSpace(in.Reason))}
	if c.day.IsZero() && !fc.Has("day") {
		c.day = today
	}
	if c.reason == "" {
		c.reason = OutReleased
	}
	if !c.reason.Valid() {
		fc.Add("reason", "errs.bad_choice")
	}
	c.note = text(fc, "note", in.Note, 200, false)
	return c
}

// SiteFollowUpInput is a follow-up recorded at a site for a person staying
// there (the stay names the observation).
type SiteFollowUpInput struct {
	Day         string      `json:"day"` // default today
	Slot        string      `json:"slot"`
	Temperature json.Number `json:"temperature"`
	Symptoms    []string    `json:"symptoms"`
	Note        string      `json:"note"`
}
