package enterprise

import (
	"strconv"
	"strings"
)

// Money is an amount in fen (分, 1/100 yuan), so sums are exact. It reads and
// writes as yuan with two decimals ("12500.00"), the way forms and Excel show it.
type Money int64

// String is the amount in yuan: "12500.00".
func (m Money) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return sign + strconv.FormatInt(int64(m)/100, 10) + "." + twoDigits(int64(m)%100)
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// Yuan is the amount as a number of yuan, for Excel cells.
func (m Money) Yuan() float64 { return float64(m) / 100 }

// maxMoney bounds amounts to 10 billion yuan: larger is a typo.
const maxMoney = Money(10_000_000_000 * 100)

// ParseMoney reads yuan as typed: "12500", "12,500.5", "１２５００元". Empty is
// zero. ok is false for anything else, a negative amount, more than two
// decimals or an absurd size.
func ParseMoney(s string) (Money, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(toHalfWidth(s)), "元"))
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, true
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || !digits(whole) || (hasFrac && (len(frac) == 0 || len(frac) > 2 || !digits(frac))) || len(whole) > 11 {
		return 0, false
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	var f int64
	if hasFrac {
		f, _ = strconv.ParseInt((frac + "0")[:2], 10, 64)
	}
	m := Money(w*100 + f)
	return m, m <= maxMoney
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// toHalfWidth turns full-width digits, comma and point (typed on a Chinese
// keyboard) into ASCII.
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '，':
			return ','
		case r == '．' || r == '。':
			return '.'
		}
		return r
	}, s)
}
