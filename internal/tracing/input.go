package tracing

import (
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// ExposureInput records an exposure. Close marks the contact a close contact:
// their observation then counts from their last close exposure.
type ExposureInput struct {
	SourceID  int64  `json:"source_id"`
	ContactID int64  `json:"contact_id"`
	Kind      string `json:"kind"`
	Day       string `json:"day"`
	Setting   string `json:"setting"` // the small setting: a household's address, a workshop, a bus and its time
	Close     bool   `json:"close_contact"`
	CaseID    int64  `json:"case_id"` // default: the source's own case, if the source is a case
	Notes     string `json:"notes"`
}

func (in ExposureInput) check(fc *errs.FieldCollector, today storage.Date) Exposure {
	e := Exposure{SourceID: in.SourceID, ContactID: in.ContactID, Kind: Kind(strings.TrimSpace(in.Kind)),
		Setting: strings.TrimSpace(in.Setting), Close: in.Close, CaseID: in.CaseID, Notes: strings.TrimSpace(in.Notes)}
	if in.SourceID <= 0 {
		fc.Add("source_id", "errs.required")
	}
	if in.ContactID <= 0 {
		fc.Add("contact_id", "errs.required")
	} else if in.ContactID == in.SourceID {
		fc.Add("contact_id", "tracing.err.self")
	}
	if !e.Kind.Valid() {
		fc.Add("kind", "errs.bad_choice")
	}
	if t, err := validate.Date(in.Day); fc.Check("day", err) && fc.Check("day", validate.NotFuture(t, today.Time)) {
		e.Day = storage.Date{Time: t}
	}
	fc.Check("setting", validate.MaxLen(e.Setting, 100))
	fc.Check("notes", validate.MaxLen(e.Notes, 500))
	return e
}
