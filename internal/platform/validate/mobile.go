package validate

import "strings"

// Mobile checks a mainland China mobile number and returns its bare 11
// digits. It tolerates what people and phone contact exports add: spaces,
// dashes, full-width digits and a +86, 0086 or 86 country prefix. The number
// must start with 1 and a second digit 3–9, as every mainland mobile range
// does.
func Mobile(s string) (string, error) {
	s = stripRunes(narrow(s), "-")
	if s == "" {
		return "", fail(keyMobileEmpty)
	}
	switch {
	case strings.HasPrefix(s, "+86"):
		s = s[3:]
	case len(s) == 15 && strings.HasPrefix(s, "0086"):
		s = s[4:]
	case len(s) == 13 && strings.HasPrefix(s, "86"):
		// Only with exactly 11 digits after it: a bare 86… of another length
		// is a wrong number, not a prefix.
		s = s[2:]
	}
	if !allDigits(s) {
		return "", fail(keyMobileChars)
	}
	if len(s) != 11 {
		return "", fail(keyMobileLength, len(s))
	}
	if s[0] != '1' || s[1] < '3' {
		return "", fail(keyMobilePrefix)
	}
	return s, nil
}
