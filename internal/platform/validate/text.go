package validate

import (
	"strings"
	"unicode/utf8"
)

// Count rejects a negative count (persons, households, masks in stock):
// quantities are never below zero, and a correction is an event of its own.
func Count(n int64) error {
	if n < 0 {
		return fail(keyCountNegative)
	}
	return nil
}

// Required rejects an empty value. Only spaces count as empty too: a name of
// three spaces is not a name. The value itself is not trimmed here.
func Required(s string) error {
	if strings.TrimSpace(s) == "" {
		return fail(keyRequired)
	}
	return nil
}

// MaxLen rejects text longer than n characters, counted as runes so that 20
// means 20 Chinese characters, not 6 of them in bytes. Text is stored as
// typed, never "sanitized": HTML escaping is the template's job. Invalid
// UTF-8 is rejected because it can be neither counted nor stored as text.
func MaxLen(s string, n int) error {
	if !utf8.ValidString(s) {
		return fail(keyTextEncoding)
	}
	if utf8.RuneCountInString(s) > n {
		return fail(keyMaxLen, n)
	}
	return nil
}
