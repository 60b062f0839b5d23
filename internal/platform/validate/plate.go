package validate

import "strings"

// VehiclePlate is a checked Chinese motor-vehicle plate (GA 36). It is not
// named Plate because that is the function that makes one.
type VehiclePlate struct {
	// Number is the canonical form: upper case, no spaces, dots or dashes,
	// e.g. "冀E12345" or "冀ED12345".
	Number string
	// Prefix is the province abbreviation and issuing-authority letter, e.g.
	// "冀E" for Xingtai: what tells a checkpoint where the car is from.
	Prefix string
	// NewEnergy is true for the 8-character new-energy plates.
	NewEnergy bool
}

// plateProvinces are the abbreviations of the 31 mainland provinces that
// issue plates.
const plateProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

// plateSpecial are the last characters of 7-character special plates:
// trailer, driving school, police, Hong Kong and Macao cross-border.
const plateSpecial = "挂学警港澳"

// plateSeparators are removed before checking: plates are printed "冀E·12345"
// and typed "冀E-12345" or "冀E 12345", and all mean the same car.
const plateSeparators = "·•・-"

// Plate checks a vehicle plate and returns its canonical form. A normal plate
// is 7 characters: province, authority letter, then 5 letters or digits (I and
// O are never used: they read as 1 and 0), or 4 and one of 挂学警港澳. A
// new-energy plate is 8: province, letter, then D or F and 5 more of which the
// last 4 are digits (small vehicles), or 5 digits and D or F (large vehicles).
func Plate(s string) (VehiclePlate, error) {
	s = strings.ToUpper(stripRunes(narrow(s), plateSeparators))
	if s == "" {
		return VehiclePlate{}, fail(keyPlateEmpty)
	}
	r := []rune(s) // stripRunes left s valid UTF-8: bad bytes became U+FFFD
	if len(r) != 7 && len(r) != 8 {
		return VehiclePlate{}, fail(keyPlateLength, len(r))
	}
	if !strings.ContainsRune(plateProvinces, r[0]) {
		return VehiclePlate{}, fail(keyPlateProvince)
	}
	if !plateLetter(r[1]) {
		return VehiclePlate{}, fail(keyPlateAuthority)
	}
	serial := r[2:]
	for i, c := range serial {
		last := i == len(serial)-1
		if !plateAlnum(c) && !(last && len(r) == 7 && strings.ContainsRune(plateSpecial, c)) {
			return VehiclePlate{}, fail(keyPlateSerial)
		}
	}
	if len(r) == 8 && !newEnergySerial(serial) {
		return VehiclePlate{}, fail(keyPlateNewEnergy)
	}
	return VehiclePlate{Number: s, Prefix: string(r[:2]), NewEnergy: len(r) == 8}, nil
}

// newEnergySerial checks the 6-character serial of a new-energy plate: D
// (battery) or F (other new energy) first, then a letter or digit and 4 digits
// for small vehicles; 5 digits then D or F for large ones.
func newEnergySerial(s []rune) bool {
	df := func(c rune) bool { return c == 'D' || c == 'F' }
	digits := func(cs []rune) bool {
		for _, c := range cs {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	return (df(s[0]) && digits(s[2:])) || (digits(s[:5]) && df(s[5]))
}

// plateLetter reports whether c is a letter plates use: A–Z without I and O.
func plateLetter(c rune) bool { return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' }

func plateAlnum(c rune) bool { return plateLetter(c) || (c >= '0' && c <= '9') }

// ExternalTo reports whether the plate was issued outside the area whose
// prefix is localPrefix (e.g. "冀E"): such cars are "外来车辆" at a checkpoint.
// An empty localPrefix means no local area is configured, so nothing is
// external.
func (p VehiclePlate) ExternalTo(localPrefix string) bool {
	local := strings.ToUpper(stripRunes(narrow(localPrefix), plateSeparators))
	if local == "" {
		return false
	}
	return p.Prefix != local
}
