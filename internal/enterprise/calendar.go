package enterprise

import (
	"context"
	"slices"
	"strings"
	"time"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Filings are answered within working days, and in China those are not
// simply Monday to Friday: public holidays fall on weekdays, and weekend
// days are worked in their place (调休) — in 2020 the Spring Festival
// holiday ran from 24 January to 2 February and Sunday 19 January was a
// working day. The county keeps both lists as settings.

// Setting keys of the calendar: dates, comma-separated.
const (
	SettingHolidays = "enterprise.holidays"
	SettingWorkdays = "enterprise.workdays"
)

// MaxCalendarDays bounds each list.
const MaxCalendarDays = 400

// Calendar says which days are working days.
type Calendar struct {
	Holidays []storage.Date // weekdays not worked
	Workdays []storage.Date // weekend days worked
}

// Workday reports whether d is a working day.
func (c Calendar) Workday(d storage.Date) bool {
	if containsDay(c.Workdays, d) {
		return true
	}
	if containsDay(c.Holidays, d) {
		return false
	}
	return !weekend(d)
}

// WorkingDays counts the working days after from up to and including to
// (0 when to is not after from): the weekday count, less the holidays on
// weekdays, plus the weekend days worked, within the span.
func (c Calendar) WorkingDays(from, to storage.Date) int {
	if !to.After(from.Time) {
		return 0
	}
	n := WorkingDays(from, to)
	in := func(d storage.Date) bool { return d.After(from.Time) && !d.After(to.Time) }
	for _, h := range c.Holidays {
		if in(h) && !weekend(h) && !containsDay(c.Workdays, h) {
			n--
		}
	}
	for _, w := range c.Workdays {
		if in(w) && weekend(w) {
			n++
		}
	}
	return n
}

func weekend(d storage.Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func containsDay(days []storage.Date, d storage.Date) bool {
	return slices.ContainsFunc(days, func(x storage.Date) bool { return x.Equal(d.Time) })
}

// Calendar reads the county's calendar (weekends only without settings).
func (s *Store) Calendar(ctx context.Context) Calendar {
	if s.Settings == nil {
		return Calendar{}
	}
	var c Calendar
	for key, dst := range map[string]*[]storage.Date{SettingHolidays: &c.Holidays, SettingWorkdays: &c.Workdays} {
		v, _ := s.Settings.Get(ctx, key, "")
		*dst, _ = ParseDays(v) // stored by SaveSettings, so valid
	}
	return c
}

// ParseDays reads dates separated by commas, spaces or new lines (as typed
// in the settings form), sorted and without repeats; a bad one is an error
// naming it.
func ParseDays(s string) ([]storage.Date, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
	out := make([]storage.Date, 0, len(fields))
	for _, f := range fields {
		d, err := storage.ParseDate(f)
		if err != nil {
			return nil, errs.Field("", "enterprise.err.bad_day", f)
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b storage.Date) int { return a.Compare(b.Time) })
	return slices.CompactFunc(out, func(a, b storage.Date) bool { return a.Equal(b.Time) }), nil
}

// joinDays writes dates separated by sep: "," as SaveSettings stores them,
// ", " in the form.
func joinDays(days []storage.Date, sep string) string {
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = d.String()
	}
	return strings.Join(s, sep)
}
