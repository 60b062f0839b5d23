package validate

import (
	"strings"
	"time"
)

// chinaZone is the county's zone for "today". China has kept UTC+8 without
// daylight saving since 1991, so a fixed offset equals Asia/Shanghai for any
// present-day clock and needs no tzdata on the server.
var chinaZone = time.FixedZone("CST", 8*60*60)

// The years a typed date may fall in: earlier or later is a typo ("0220",
// "2202"), and birth dates of living people start after 1900.
const (
	minYear = 1900
	maxYear = 2100
)

// Date parses a calendar date as people type it: 2020-02-22, 2020/2/22,
// 2020.02.22, 20200222 or 2020年2月22日 (month and day may drop their leading
// zero, as Excel writes them). It returns midnight UTC of that day, the form
// in which Fangkong stores dates.
func Date(s string) (time.Time, error) {
	s = strings.TrimSpace(narrow(s))
	if s == "" {
		return time.Time{}, fail(keyDateEmpty)
	}
	y, m, d, ok := splitDate(s)
	if !ok {
		return time.Time{}, fail(keyDateFormat)
	}
	t, ok := civilDate(y, m, d)
	if !ok || y < minYear || y > maxYear {
		return time.Time{}, fail(keyDateInvalid)
	}
	return t, nil
}

// splitDate finds year, month and day in one of the accepted layouts without
// judging whether that day exists.
func splitDate(s string) (y, m, d int, ok bool) {
	if len(s) == 8 && allDigits(s) {
		return atoi(s[:4]), atoi(s[4:6]), atoi(s[6:]), true
	}
	var parts []string
	if strings.Contains(s, "年") {
		rest, _ := strings.CutSuffix(s, "日")
		y, rest, ok1 := strings.Cut(rest, "年")
		mo, day, ok2 := strings.Cut(rest, "月")
		if !ok1 || !ok2 {
			return 0, 0, 0, false
		}
		parts = []string{y, mo, day}
	} else {
		if len(s) < 5 {
			return 0, 0, 0, false
		}
		sep := s[4]
		if sep != '-' && sep != '/' && sep != '.' {
			return 0, 0, 0, false
		}
		// Both separators must be the same one, so 2020-02/22 is rejected.
		parts = strings.Split(s, string(sep))
	}
	if len(parts) != 3 || len(parts[0]) != 4 || !allDigits(parts[0]) {
		return 0, 0, 0, false
	}
	for _, p := range parts[1:] {
		if len(p) < 1 || len(p) > 2 || !allDigits(p) {
			return 0, 0, 0, false
		}
	}
	return atoi(parts[0]), atoi(parts[1]), atoi(parts[2]), true
}

// civilDate returns midnight UTC of y-m-d, or false if that day does not
// exist (time.Date would silently roll 2 February 30 into March).
func civilDate(y, m, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// calendarDay returns t's calendar day, read in t's own zone, as midnight
// UTC: comparing these compares days, not instants, so 23:00 in Shanghai is
// still "today" there.
func calendarDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// NotFuture rejects a date whose calendar day is after today's. Each is read
// in its own zone: pass a stored date (midnight UTC) and today in the county's
// zone. Plans are exempt by not calling it.
func NotFuture(d, today time.Time) error {
	if calendarDay(d).After(calendarDay(today)) {
		return fail(keyDateFuture)
	}
	return nil
}

// NotBefore rejects an end date whose calendar day is before the start's; the
// same day is allowed (a one-day observation, a same-day release).
func NotBefore(d, start time.Time) error {
	if calendarDay(d).Before(calendarDay(start)) {
		return fail(keyDateBeforeStart)
	}
	return nil
}
