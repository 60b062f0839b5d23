package surveillance

import (
	"strings"
	"time"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// Input is what a case form or API call submits. Text fields are kept exactly
// as typed so a rejected form can be shown again unchanged.
type Input struct {
	DivisionID int64  `json:"division_id"`
	Name       string `json:"name"`
	IDNumber   string `json:"id_number"`
	Phone      string `json:"phone"`
	Address    string `json:"address"`
	Origin     string `json:"origin"`
	Hospital   string `json:"hospital"`
	OnsetDate  string `json:"onset_date"`
	Setting    string `json:"setting"`
	Notes      string `json:"notes"`
	// Status and StatusDate open a new case (ignored on update: status moves
	// through events).
	Status     string `json:"status"`
	StatusDate string `json:"status_date"`
	Version    int64  `json:"version"`
}

// check validates in and returns the case it describes, with every bad field
// reported at once. today bounds dates (no case is reported in the future).
func (in Input) check(today storage.Date, creating bool) (Case, error) {
	var fc errs.FieldCollector
	c := Case{DivisionID: in.DivisionID, Name: strings.TrimSpace(in.Name), Address: strings.TrimSpace(in.Address),
		Hospital: strings.TrimSpace(in.Hospital), Setting: strings.TrimSpace(in.Setting), Notes: in.Notes,
		Origin: Origin(in.Origin), Version: in.Version}
	if c.DivisionID == 0 {
		fc.Add("division_id", "errs.required")
	}
	if fc.Check("name", validate.Required(c.Name)) {
		fc.Check("name", validate.MaxLen(c.Name, 50))
	}
	checkIdentity(&fc, &c, in, today)
	if c.Origin == "" {
		c.Origin = Local
	} else if c.Origin != Local && c.Origin != Imported {
		fc.Add("origin", "errs.bad_choice")
	}
	fc.Check("address", validate.MaxLen(c.Address, 200))
	fc.Check("hospital", validate.MaxLen(c.Hospital, 100))
	fc.Check("setting", validate.MaxLen(c.Setting, 100))
	fc.Check("notes", validate.MaxLen(c.Notes, 2000))
	c.OnsetDate = checkDate(&fc, "onset_date", in.OnsetDate, today, false)
	if creating {
		c.Status = Status(in.Status)
		if !CanMove("", c.Status) {
			fc.Add("status", "surveillance.bad_first_status")
		}
		c.StatusDate = checkDate(&fc, "status_date", in.StatusDate, today, true)
		if !c.OnsetDate.IsZero() && !c.StatusDate.IsZero() && c.StatusDate.Before(c.OnsetDate.Time) {
			fc.Add("status_date", "surveillance.before_onset")
		}
	}
	return c, fc.Err()
}

func checkIdentity(fc *errs.FieldCollector, c *Case, in Input, today storage.Date) {
	if s := strings.TrimSpace(in.IDNumber); s != "" {
		id, err := validate.ResidentIDAt(s, today.Add(24*time.Hour-time.Second))
		if fc.Check("id_number", err) {
			c.IDNumber, c.Sex = id.Number, string(id.Sex)
			c.BirthDate = storage.Date{Time: id.Birth}
		}
	}
	if s := strings.TrimSpace(in.Phone); s != "" {
		p, err := validate.Mobile(s)
		if fc.Check("phone", err) {
			c.Phone = p
		}
	}
}

// checkDate parses an optional (or required) date that must not be after today.
func checkDate(fc *errs.FieldCollector, field, s string, today storage.Date, required bool) storage.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			fc.Add(field, "errs.required")
		}
		return storage.Date{}
	}
	t, err := validate.Date(s)
	if !fc.Check(field, err) {
		return storage.Date{}
	}
	if !fc.Check(field, validate.NotFuture(t, today.Time)) {
		return storage.Date{}
	}
	return storage.Date{Time: t}
}
