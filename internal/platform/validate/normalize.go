package validate

import (
	"strings"
	"unicode"
)

// narrow maps full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic
// space to a space. Chinese input methods and Excel sheets produce them, and
// "１３８" is the same number as "138": rejecting it would only make a cadre
// retype it.
func narrow(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.Map(narrowRune, s)
		}
	}
	return s
}

func narrowRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	}
	return r
}

// stripRunes removes every space and every rune in drop: people group digits
// and plates with separators that carry no meaning.
func stripRunes(s, drop string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune(drop, r) {
			return -1
		}
		return r
	}, s)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// atoi parses a short run of ASCII digits already checked by allDigits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
