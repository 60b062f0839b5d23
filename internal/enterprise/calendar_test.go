package enterprise

import (
	"testing"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// The 2020 Spring Festival: holidays 24 Jan – 2 Feb (extended by the State
// Council), Sunday 19 Jan worked in their place.
var spring2020 = Calendar{
	Holidays: days("2020-01-24", "2020-01-25", "2020-01-26", "2020-01-27", "2020-01-28", "2020-01-29", "2020-01-30", "2020-01-31", "2020-02-01", "2020-02-02"),
	Workdays: days("2020-01-19"),
}

func days(s ...string) []storage.Date {
	out := make([]storage.Date, len(s))
	for i, x := range s {
		out[i] = storage.MustDate(x)
	}
	return out
}

func TestCalendarWorkingDays(t *testing.T) {
	for _, c := range []struct {
		from, to string
		cal      Calendar
		want     int
	}{
		{"2020-01-20", "2020-01-24", Calendar{}, 4},                             // weekends only: Tue–Fri
		{"2020-01-20", "2020-01-24", spring2020, 3},                             // Fri 24th is a holiday
		{"2020-01-23", "2020-02-03", spring2020, 1},                             // the whole festival: only Mon 3 Feb
		{"2020-01-23", "2020-02-03", Calendar{}, 7},                             // without the calendar
		{"2020-01-17", "2020-01-20", spring2020, 2},                             // Sun 19th worked, Mon 20th
		{"2020-01-17", "2020-01-20", Calendar{}, 1},                             // Mon 20th only
		{"2020-02-14", "2020-02-19", spring2020, 3},                             // outside the festival, as before
		{"2020-02-03", "2020-02-03", spring2020, 0},                             // same day
		{"2020-02-05", "2020-02-03", spring2020, 0},                             // backwards
		{"2020-01-24", "2020-01-25", Calendar{Holidays: days("2020-01-25")}, 0}, // a weekend holiday changes nothing
	} {
		if got := c.cal.WorkingDays(storage.MustDate(c.from), storage.MustDate(c.to)); got != c.want {
			t.Errorf("%s → %s: %d working days, want %d", c.from, c.to, got, c.want)
		}
	}
	if spring2020.Workday(storage.MustDate("2020-01-24")) || !spring2020.Workday(storage.MustDate("2020-01-19")) ||
		!spring2020.Workday(storage.MustDate("2020-02-03")) || spring2020.Workday(storage.MustDate("2020-02-08")) {
		t.Error("Workday disagrees with the calendar")
	}
}

// The calendar agrees with counting day by day, for every span of 40 days
// around the festival.
func TestCalendarMatchesDayByDay(t *testing.T) {
	start := storage.MustDate("2020-01-10")
	for i := range 40 {
		for j := i; j < 40; j++ {
			want := 0
			for k := i + 1; k <= j; k++ {
				if spring2020.Workday(start.AddDays(k)) {
					want++
				}
			}
			if got := spring2020.WorkingDays(start.AddDays(i), start.AddDays(j)); got != want {
				t.Fatalf("+%d → +%d: %d, want %d", i, j, got, want)
			}
		}
	}
}

func TestParseDays(t *testing.T) {
	got, err := ParseDays("2020-01-25，2020-01-24\n2020-01-24 2020-01-26、")
	if err != nil || len(got) != 3 || got[0].String() != "2020-01-24" || got[2].String() != "2020-01-26" {
		t.Errorf("ParseDays: %v %v", got, err)
	}
	if got, err := ParseDays(" "); err != nil || len(got) != 0 {
		t.Errorf("blank: %v %v", got, err)
	}
	if _, err := ParseDays("2020-01-24, 2020-13-01"); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("bad date: %v", err)
	}
}

func TestCheckCalendar(t *testing.T) {
	for _, c := range []struct {
		name               string
		holidays, workdays []storage.Date
		field              string
	}{
		{"fine", spring2020.Holidays, spring2020.Workdays, ""},
		{"worked weekday", nil, days("2020-01-20"), "workdays"},
		{"in both", days("2020-01-19"), days("2020-01-19"), "workdays"},
	} {
		var fc errs.FieldCollector
		checkCalendar(&fc, c.holidays, c.workdays)
		err := fc.Err()
		if (c.field == "") != (err == nil) || (err != nil && errs.As(err).Fields[0].Field != c.field) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func FuzzParseDays(f *testing.F) {
	f.Add("2020-01-24, 2020-01-27\n2020-02-01")
	f.Add("，、\t2020-02-30")
	f.Fuzz(func(t *testing.T, s string) {
		days, err := ParseDays(s)
		if err != nil {
			return
		}
		for i := 1; i < len(days); i++ {
			if !days[i].After(days[i-1].Time) {
				t.Fatalf("not sorted without repeats: %v", days)
			}
		}
	})
}
