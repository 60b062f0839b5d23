package checkpoint

import (
	"strings"
	"time"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/validate"
)

// Input is what the checkpoint form or API submits, kept as typed.
type Input struct {
	DivisionID int64  `json:"division_id"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	HoursFrom  string `json:"hours_from"`
	HoursTo    string `json:"hours_to"`
	Status     string `json:"status"`
	Notes      string `json:"notes"`
	Version    int64  `json:"version"`
}

// check validates a checkpoint, reporting every bad field at once.
func (in Input) check() (Checkpoint, error) {
	var fc errs.FieldCollector
	c := Checkpoint{DivisionID: in.DivisionID, Kind: Kind(in.Kind), Name: strings.TrimSpace(in.Name),
		Status: Status(in.Status), Notes: strings.TrimSpace(in.Notes), Version: in.Version}
	if c.DivisionID == 0 {
		fc.Add("division_id", "errs.required")
	}
	if !c.Kind.Valid() {
		fc.Add("kind", "errs.bad_choice")
	}
	if fc.Check("name", validate.Required(c.Name)) {
		fc.Check("name", validate.MaxLen(c.Name, 60))
	}
	from, to := strings.TrimSpace(in.HoursFrom), strings.TrimSpace(in.HoursTo)
	if from != "" || to != "" {
		var ok1, ok2 bool
		if c.HoursFrom, ok1 = parseClock(from); !ok1 {
			fc.Add("hours_from", "checkpoint.bad_clock")
		}
		if c.HoursTo, ok2 = parseClock(to); !ok2 {
			fc.Add("hours_to", "checkpoint.bad_clock")
		}
		if ok1 && ok2 && c.HoursFrom == c.HoursTo {
			fc.Add("hours_to", "checkpoint.same_clock")
		}
	}
	if c.Status == "" {
		c.Status = Open
	} else if c.Status != Open && c.Status != Closed {
		fc.Add("status", "errs.bad_choice")
	}
	fc.Check("notes", validate.MaxLen(c.Notes, 500))
	return c, fc.Err()
}

// PassageInput is one passage as the capture page, the API or a batch item
// sends it. At is RFC 3339 (the moment at the gate); empty means now.
// Temperature is °C as a JSON number; forms send TemperatureText instead.
type PassageInput struct {
	ClientID        string   `json:"client_id"`
	CheckpointID    int64    `json:"checkpoint_id"`
	At              string   `json:"at"`
	Direction       string   `json:"direction"`
	Name            string   `json:"name"`
	IDNumber        string   `json:"id_number"`
	Phone           string   `json:"phone"`
	PassToken       string   `json:"pass_token"`
	Plate           string   `json:"plate"`
	Temperature     *float64 `json:"temperature"`
	TemperatureText string   `json:"-"`
	From            string   `json:"from"`
	To              string   `json:"to"`
	Purpose         string   `json:"purpose"`
	Decision        string   `json:"decision"`
}

// check validates a passage against the rules at time now, reporting every
// bad field. The pass token is checked later (it needs the revocation list).
func (in PassageInput) check(r Rules, now time.Time) (Passage, error) {
	var fc errs.FieldCollector
	p := Passage{ClientID: strings.ToLower(strings.TrimSpace(in.ClientID)), CheckpointID: in.CheckpointID,
		Direction: Direction(in.Direction), Name: strings.TrimSpace(in.Name), From: strings.TrimSpace(in.From),
		To: strings.TrimSpace(in.To), Purpose: strings.TrimSpace(in.Purpose), Decision: Decision(in.Decision)}
	if !validUUID(p.ClientID) {
		fc.Add("client_id", "checkpoint.bad_client_id")
	}
	if p.CheckpointID <= 0 {
		fc.Add("checkpoint_id", "errs.required")
	}
	p.At, p.serverTime = checkAt(&fc, in.At, r, now), strings.TrimSpace(in.At) == ""
	if p.Direction != In && p.Direction != Out {
		fc.Add("direction", "errs.bad_choice")
	}
	checkPerson(&fc, &p, in, now)
	checkVehicle(&fc, &p, in.Plate, r)
	checkTemperature(&fc, &p, in, r)
	for field, v := range map[string]string{"from": p.From, "to": p.To, "purpose": p.Purpose} {
		fc.Check(field, validate.MaxLen(v, 100))
	}
	switch p.Decision {
	case LetThrough, Returned, Observe:
	default:
		fc.Add("decision", "errs.bad_choice")
	}
	if p.Decision == Observe && p.Name == "" && p.IDNumber == "" && p.Phone == "" && in.PassToken == "" {
		fc.Add("name", "checkpoint.observe_needs_person")
	}
	return p, fc.Err()
}

// checkAt reads the passage time: not in the future (beyond clock skew), not
// older than the rules allow. Stored to the second.
func checkAt(fc *errs.FieldCollector, s string, r Rules, now time.Time) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return now.UTC().Truncate(time.Second)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	switch {
	case err != nil:
		fc.Add("at", "checkpoint.bad_time")
	case t.After(now.Add(clockSkew)):
		fc.Add("at", "checkpoint.future_time")
	case t.Before(now.Add(-r.MaxAge)):
		fc.Add("at", "checkpoint.too_old", int(r.MaxAge.Hours()))
	default:
		return t.UTC().Truncate(time.Second)
	}
	return time.Time{}
}

func checkPerson(fc *errs.FieldCollector, p *Passage, in PassageInput, now time.Time) {
	fc.Check("name", validate.MaxLen(p.Name, 50))
	if s := strings.TrimSpace(in.IDNumber); s != "" {
		if id, err := validate.ResidentIDAt(s, now); fc.Check("id_number", err) {
			p.IDNumber = id.Number
		}
	}
	if s := strings.TrimSpace(in.Phone); s != "" {
		if m, err := validate.Mobile(s); fc.Check("phone", err) {
			p.Phone = m
		}
	}
	if in.Plate == "" && in.PassToken == "" && p.Name == "" && p.IDNumber == "" && p.Phone == "" &&
		!fc.Has("id_number") && !fc.Has("phone") {
		fc.Add("name", "checkpoint.person_required")
	}
}

func checkVehicle(fc *errs.FieldCollector, p *Passage, plate string, r Rules) {
	if strings.TrimSpace(plate) == "" {
		return
	}
	v, err := validate.Plate(plate)
	if fc.Check("plate", err) {
		p.Plate, p.External = v.Number, v.ExternalTo(r.LocalPlate)
	}
}

func checkTemperature(fc *errs.FieldCollector, p *Passage, in PassageInput, r Rules) {
	switch {
	case in.Temperature != nil:
		if fc.Check("temperature", validate.Temperature(*in.Temperature)) {
			p.Temperature = float64(tenths(*in.Temperature)) / 10
		}
	case strings.TrimSpace(in.TemperatureText) != "":
		if t, err := validate.ParseTemperature(in.TemperatureText); fc.Check("temperature", err) {
			p.Temperature = t
		}
	}
	p.Fever = r.IsFever(p.Temperature)
}
