package validate

import (
	"math"
	"strings"
)

// The range of a body temperature that can be real. Outside it the reading is
// a typo ("365" for 36.5) or a broken thermometer, never a patient.
const (
	MinTemperature = 34.0
	MaxTemperature = 43.0
)

// Temperature checks a body temperature in °C: 34.0–43.0 inclusive. NaN and
// infinities are rejected as out of range.
func Temperature(c float64) error {
	// Written so NaN, which compares false with everything, fails too.
	if !(c >= MinTemperature && c <= MaxTemperature) {
		return fail(keyTempRange)
	}
	return nil
}

// temperatureUnits are suffixes people type after the number; they add no
// information since Fangkong only takes °C.
var temperatureUnits = []string{"℃", "°C", "°c", "°", "度", "C", "c"}

// ParseTemperature reads a typed temperature such as "37.3", "37,3" (decimal
// comma), " 36.5 " or "36.8℃", rounds it half-up to 0.1 °C (the precision of
// a thermometer) and checks its range. Only plain decimals are accepted, so
// "3e1", "inf" or "0x25" are format errors, not numbers.
func ParseTemperature(s string) (float64, error) {
	s = strings.TrimSpace(narrow(s))
	for _, u := range temperatureUnits {
		if t, ok := strings.CutSuffix(s, u); ok {
			s = strings.TrimSpace(t)
			break
		}
	}
	if s == "" {
		return 0, fail(keyTempEmpty)
	}
	tenths, ok := parseTenths(s)
	if !ok {
		return 0, fail(keyTempFormat)
	}
	// Dividing the exact integer gives the float closest to the decimal, the
	// same value strconv.ParseFloat("37.3") gives, so values compare equal.
	c := float64(tenths) / 10
	if err := Temperature(c); err != nil {
		return 0, err
	}
	return c, nil
}

// parseTenths reads digits[.|,digits] as a count of tenths, rounding half-up
// on the decimal digits themselves so that 36.45 becomes 36.5 (binary
// floating point would make it 36.4). An integer part too long to be a
// temperature saturates, to fail the range check rather than overflow.
func parseTenths(s string) (int64, bool) {
	intPart, frac, hasSep := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if intPart == "" || !allDigits(intPart) || (hasSep && (frac == "" || !allDigits(frac))) {
		return 0, false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > 4 {
		return math.MaxInt32, true
	}
	tenths := int64(atoi(intPart)) * 10
	if len(frac) > 0 {
		tenths += int64(frac[0] - '0')
	}
	if len(frac) > 1 && frac[1] >= '5' {
		tenths++
	}
	return tenths, true
}
