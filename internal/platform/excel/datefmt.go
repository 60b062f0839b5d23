package excel

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// dateKind is what a number format shows of a date serial.
type dateKind uint8

const (
	notDate  dateKind = iota
	dateOnly          // 2006-01-02
	dateTime          // 2006-01-02 15:04
	timeOnly          // 15:04
)

// builtinDate classifies Excel's built-in number formats (ids below 164)
// that are dates or times, including the East Asian ids 27–36 and 50–58 a
// Chinese Excel uses for 2020年2月22日 and 上午10时30分.
func builtinDate(id int) dateKind {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id == 36, id >= 50 && id <= 54, id == 57, id == 58:
		return dateOnly
	case id == 22:
		return dateTime
	case id >= 18 && id <= 21, id >= 32 && id <= 35, id >= 45 && id <= 47, id == 55, id == 56:
		return timeOnly
	}
	return notDate
}

// classifyFormat reads a custom format code: yyyy"年"m"月"d"日", yyyy/m/d
// h:mm, [$-804]aaaa, … Quoted and escaped literals, [colour] and [$-locale]
// parts do not count; of the sections only the first (positive numbers)
// matters.
func classifyFormat(code string) dateKind {
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case ';':
			i = len(code)
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++ // the next character is a literal or a padding
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				i = len(code)
				break
			}
			switch strings.ToLower(code[i+1 : i+j]) { // elapsed time: [h]:mm
			case "h", "hh", "m", "mm", "s", "ss":
				b.WriteByte('h')
			}
			i += j
		default:
			b.WriteByte(c | 0x20) // ASCII lower case; other bytes never match below
		}
	}
	s := strings.ReplaceAll(b.String(), "general", "")
	hasTime := strings.ContainsAny(s, "hs") || strings.Contains(s, "am/pm") || strings.Contains(code, "上午")
	hasDate := strings.ContainsAny(s, "yd") || !hasTime && strings.ContainsRune(s, 'm')
	switch {
	case hasDate && hasTime:
		return dateTime
	case hasDate:
		return dateOnly
	case hasTime:
		return timeOnly
	}
	return notDate
}

// maxSerial is 9999-12-31, Excel's last day.
const maxSerial = 2958465

// formatSerial writes a date serial as ISO text in the kind's shape. Excel
// counts days from 1899-12-30 (1904-01-01 in the Mac 1904 system); the time
// is rounded to the second, since the serial's binary fraction is not exact.
func formatSerial(dst []byte, v string, kind dateKind, date1904 bool) ([]byte, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > maxSerial || math.IsNaN(f) {
		return dst, false
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	days := math.Floor(f)
	secs := math.Round((f - days) * 86400)
	t := epoch.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
	layout := "2006-01-02"
	switch kind {
	case dateTime:
		layout = "2006-01-02 15:04"
	case timeOnly:
		layout = "15:04"
	}
	if kind != dateOnly && t.Second() != 0 {
		layout += ":05"
	}
	return t.AppendFormat(dst, layout), true
}

// formatNumber writes a number cell as Excel shows it in General format:
// at most 15 significant digits, so floating-point noise (36.499999999999993)
// reads 36.5 and an ID number typed into Excel as a number shows the damage
// Excel did to it (1.30528199001011E+17) instead of passing for 18 correct
// digits. A plain run of digits is kept as written: Excel never writes one
// longer than 15, so it comes from another program and is exact.
func formatNumber(dst []byte, v []byte) []byte {
	if len(v) <= 15 && !hasExp(v) || isDigits(v) {
		return append(dst, v...)
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return append(dst, v...)
	}
	return strconv.AppendFloat(dst, f, 'G', 15, 64)
}

func hasExp(v []byte) bool {
	for _, c := range v {
		if c == 'E' || c == 'e' {
			return true
		}
	}
	return false
}

func isDigits(v []byte) bool {
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(v) > 0
}

// isoDate normalizes a t="d" cell (ISO 8601 text, rare: some non-Excel
// writers use it) to the shape of the other dates; text it cannot read is
// passed on for the caller's validation to reject.
func isoDate(v string, kind dateKind) string {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		t, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		switch {
		case kind == timeOnly:
			return t.Format("15:04:05")
		case kind == dateOnly || kind == notDate && t.Hour()+t.Minute()+t.Second() == 0:
			return t.Format("2006-01-02")
		case t.Second() != 0:
			return t.Format("2006-01-02 15:04:05")
		}
		return t.Format("2006-01-02 15:04")
	}
	return v
}
