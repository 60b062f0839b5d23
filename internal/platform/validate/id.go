package validate

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Sex is the sex recorded in a resident ID number.
type Sex string

// The two values GB 11643 encodes: an odd 17th digit is male, even is female.
const (
	Male   Sex = "M"
	Female Sex = "F"
)

// ID is a checked resident identity number (居民身份证号码) and what it says
// about its holder. Screening derives birth date and sex from it instead of
// asking twice, so the two can never disagree.
type ID struct {
	// Number is the canonical 18-character form: upper-case X, no spaces,
	// legacy 15-digit numbers upgraded.
	Number string
	// Birth is the date of birth as a calendar date at midnight UTC.
	Birth time.Time
	// Sex comes from the parity of the 17th digit.
	Sex Sex
	// AreaCode is the first six digits: the GB/T 2260 code of the place
	// where the number was issued.
	AreaCode string
}

// idProvinces are the first two digits of a real area code: the 31 mainland
// provinces, Taiwan (71), and the residence permits of Hong Kong (81), Macao
// (82) and Taiwan (83) residents, which follow GB 11643 too.
var idProvinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// idMinBirthYear bounds a plausible birth year: nobody alive was born before
// it, so an earlier year is a typo, not a centenarian.
const idMinBirthYear = 1900

// ResidentID checks an ID number as of today in China. See ResidentIDAt.
func ResidentID(s string) (ID, error) {
	return ResidentIDAt(s, time.Now().In(chinaZone))
}

// ResidentIDAt checks a GB 11643-1999 resident ID number and returns its
// canonical form and derived fields. It accepts surrounding spaces, a
// lower-case x and full-width digits, and upgrades a legacy 15-digit number
// (issued before 1999) to 18 digits so one person is one number. The birth
// date must exist and not be after now's calendar day (read in now's zone).
// The checks run from the coarsest to the finest, so the error names the first
// thing to fix: empty, length, characters, area, birth date, check digit.
func ResidentIDAt(s string, now time.Time) (ID, error) {
	s = strings.ToUpper(strings.TrimSpace(narrow(s)))
	if s == "" {
		return ID{}, fail(keyIDEmpty)
	}
	if n := utf8.RuneCountInString(s); n != 15 && n != 18 {
		return ID{}, fail(keyIDLength, n)
	}
	legacy := len(s) == 15
	if !idCharsOK(s) {
		return ID{}, fail(keyIDChars)
	}
	if legacy {
		// Legacy numbers have a 2-digit year in the 1900s and no check digit.
		s = s[:6] + "19" + s[6:]
	}
	if !idProvinces[s[:2]] {
		return ID{}, fail(keyIDArea)
	}
	birth, ok := idBirth(s[6:14], now)
	if !ok {
		return ID{}, fail(keyIDBirth)
	}
	check, _ := ResidentIDCheckDigit(s[:17])
	if legacy {
		s += string(check)
	} else if s[17] != check {
		return ID{}, fail(keyIDChecksum)
	}
	sex := Female
	if (s[16]-'0')%2 == 1 {
		sex = Male
	}
	return ID{Number: s, Birth: birth, Sex: sex, AreaCode: s[:6]}, nil
}

// idCharsOK reports whether s (15 or 18 bytes, or more if not ASCII) is all
// digits, except that an 18-character number may end in X.
func idCharsOK(s string) bool {
	switch len(s) {
	case 15:
		return allDigits(s)
	case 18:
		return allDigits(s[:17]) && (isDigit(s[17]) || s[17] == 'X')
	}
	return false // non-ASCII runes made the byte length differ
}

// idBirth parses YYYYMMDD as a real calendar day between idMinBirthYear and
// now's calendar day.
func idBirth(ymd string, now time.Time) (time.Time, bool) {
	y, m, d := atoi(ymd[:4]), atoi(ymd[4:6]), atoi(ymd[6:8])
	t, ok := civilDate(y, m, d)
	if !ok || y < idMinBirthYear || t.After(calendarDay(now)) {
		return time.Time{}, false
	}
	return t, true
}

// idWeights are 2^(17-i) mod 11, the ISO 7064 MOD 11-2 weights.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character.
const idCheckChars = "10X98765432"

// ResidentIDCheckDigit returns the ISO 7064 MOD 11-2 check character ('0'–'9'
// or 'X') of the first 17 digits of an ID number; ok is false unless body is
// exactly 17 ASCII digits. It is exported for demo data and test fixtures that
// must make valid numbers.
func ResidentIDCheckDigit(body string) (check byte, ok bool) {
	if len(body) != 17 || !allDigits(body) {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], true
}
