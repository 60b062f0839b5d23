package storage

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar day (no time, no zone) as the county's people speak of it:
// onset date, arrival date, the reporting day. Stored as DATE on PostgreSQL and
// as 'YYYY-MM-DD' text on SQLite, so it compares the same way on both.
type Date struct{ time.Time }

// DateLayout is the one text form of a Date.
const DateLayout = "2006-01-02"

// ParseDate reads 'YYYY-MM-DD'.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// DateOf is the calendar day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// MustDate is ParseDate for literals in code and tests; it panics on a bad literal.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String is 'YYYY-MM-DD', or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(DateLayout)
}

// AddDays moves the date by n days.
func (d Date) AddDays(n int) Date { return Date{d.AddDate(0, 0, n)} }

// DaysSince is the number of whole days from e to d (d − e).
func (d Date) DaysSince(e Date) int { return int(d.Sub(e.Time).Hours() / 24) }

// Value stores the date as text; PostgreSQL casts it to DATE.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date from text or a time value.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = Date{time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)}
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("storage: cannot scan %T into Date", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > len(DateLayout) {
		s = s[:len(DateLayout)]
	}
	p, err := ParseDate(s)
	*d = p
	return err
}

// MarshalJSON writes "YYYY-MM-DD", or null for the zero Date. (Without it the
// embedded time.Time's own JSON methods would win and write a full timestamp.)
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD", "" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*d = Date{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return fmt.Errorf("storage: date %s is not a string", s)
	}
	return d.UnmarshalText([]byte(s[1 : len(s)-1]))
}

// MarshalText makes a Date a JSON string.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a JSON string date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	*d = p
	return err
}
