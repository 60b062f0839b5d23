package checkpoint

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"time"
)

// Settings the module reads (settings table), with their defaults.
const (
	// SettingLocalPlate is the plate prefix of the county's own vehicles;
	// any other prefix is an external vehicle (外来车辆).
	SettingLocalPlate = "checkpoint.local_plate_prefix"
	// SettingMaxAgeHours is how far in the past a passage may be dated: a
	// phone that was offline uploads late, but not forever.
	SettingMaxAgeHours = "checkpoint.max_age_hours"
	// SettingFever is the temperature from which a reading is a fever.
	SettingFever = "checkpoint.fever_threshold"
)

// Defaults of the settings.
const (
	DefaultLocalPlate  = "冀E"
	DefaultMaxAgeHours = 72
	DefaultFever       = 37.3
)

// MaxBatch is the most passages one batch request may carry.
const MaxBatch = 500

// clockSkew is how far in the future a passage may be dated: a phone's clock
// runs a little fast.
const clockSkew = 5 * time.Minute

// Rules are the settings in force for one check.
type Rules struct {
	LocalPlate string
	MaxAge     time.Duration
	Fever      float64
}

// DefaultRules are the rules when nothing is set.
func DefaultRules() Rules {
	return Rules{LocalPlate: DefaultLocalPlate, MaxAge: DefaultMaxAgeHours * time.Hour, Fever: DefaultFever}
}

// IsFever reports whether a temperature reading (°C, 0 = none) is a fever.
func (r Rules) IsFever(t float64) bool { return t > 0 && t >= r.Fever-1e-9 }

// PersonKey is the identity co-presence searches by: the resident ID number
// when known, else the phone. Empty when neither is known.
func PersonKey(idNumber, phone string) string {
	if idNumber != "" {
		return strings.ToUpper(idNumber)
	}
	if phone != "" {
		return "tel:" + phone
	}
	return ""
}

// tenths turns °C into tenths of a degree, the stored precision.
func tenths(t float64) int64 { return int64(math.Round(t * 10)) }

// digest is a hash of what a passage says, without who typed it or when it
// arrived: a retry carries the same digest, another passage under the same
// client id does not. A passage sent without its time is stamped by the
// server on arrival, so its retry arrives with another stamp: the time is
// then left out of the digest.
func digest(p Passage) string {
	at := p.At.UTC().Format(time.RFC3339)
	if p.serverTime {
		at = "server"
	}
	h := sha256.New()
	for _, s := range []string{strconv.FormatInt(p.CheckpointID, 10), at,
		string(p.Direction), p.Name, p.IDNumber, p.Phone, strconv.FormatInt(p.PassSerial, 10), p.Plate,
		strconv.FormatInt(tenths(p.Temperature), 10), p.From, p.To, p.Purpose, string(p.Decision)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// validUUID reports whether s is a UUID in its canonical 8-4-4-4-12 form.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// parseClock reads "HH:MM" (24-hour clock).
func parseClock(s string) (string, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return "", false
	}
	return t.Format("15:04"), true
}

// dayBounds is the UTC interval [start, end) of calendar day d in zone:
// figures "for a day" count passages between local midnights.
func dayBounds(y int, m time.Month, d int, zone *time.Location) (time.Time, time.Time) {
	start := time.Date(y, m, d, 0, 0, 0, 0, zone)
	return start.UTC(), start.AddDate(0, 0, 1).UTC()
}
