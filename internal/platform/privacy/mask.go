package privacy

import "strings"

// star is the masking character.
const star = "*"

// MaskID masks a resident ID number as the first 6 and last 4 characters
// around stars, e.g. 130528********1234: the area and last digits are enough
// for a cadre to tell two people apart, the birth date stays hidden. Values
// shorter than 18 characters (typos, passports, permits) keep at most half.
func MaskID(s string) string {
	return keep(s, 6, 4, 18)
}

// MaskPhone masks a phone number as the first 3 and last 4 digits, e.g.
// 138****5678; shorter values keep at most half.
func MaskPhone(s string) string {
	return keep(s, 3, 4, 11)
}

// MaskName keeps the family name and stars the rest, one star per character:
// 张三丰 → 张**, 张三 → 张*. A single-character value is fully starred, since
// showing it would show all of it.
func MaskName(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= 1 {
		return strings.Repeat(star, len(r))
	}
	return string(r[0]) + strings.Repeat(star, len(r)-1)
}

// MaskAddress keeps the first 6 characters (about county and township, which
// lists need for territory) and replaces the rest with a fixed "****", so the
// mask does not even tell how long the address is. An address of 6
// characters or fewer keeps only its first half.
func MaskAddress(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) == 0 {
		return ""
	}
	head := 6
	if len(r) <= head {
		head = len(r) / 2
	}
	return string(r[:head]) + "****"
}

// keep shows head and tail runes of s with one star per hidden rune when s
// has at least full runes (the canonical length of the value). Shorter values
// show at most half their runes, head first, so a mistyped or foreign number
// never leaks more than it hides.
func keep(s string, head, tail, full int) string {
	r := []rune(strings.TrimSpace(s))
	n := len(r)
	if n < full {
		shown := n / 2
		tail = shown / 2
		head = shown - tail
	}
	return string(r[:head]) + strings.Repeat(star, n-head-tail) + string(r[n-tail:])
}
