package validate

import (
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	cases := []struct{ in, want, key string }{
		{"2020-02-22", "2020-02-22", ""},
		{"2020/02/22", "2020-02-22", ""},
		{"2020.02.22", "2020-02-22", ""},
		{"2020-2-2", "2020-02-02", ""},
		{"2020/2/22", "2020-02-22", ""},
		{"20200222", "2020-02-22", ""},
		{"2020年2月22日", "2020-02-22", ""},
		{"2020年02月22日", "2020-02-22", ""},
		{"2020年2月22", "2020-02-22", ""},
		{" 2020-02-22 ", "2020-02-22", ""},
		{"２０２０－０２－２２", "2020-02-22", ""},
		{"2020-02-29", "2020-02-29", ""},
		{"2000-02-29", "2000-02-29", ""},
		{"1900-01-01", "1900-01-01", ""},
		{"2100-12-31", "2100-12-31", ""},
		{"", "", keyDateEmpty},
		{"  ", "", keyDateEmpty},
		{"22/02/2020", "", keyDateFormat},
		{"02-22-2020", "", keyDateFormat},
		{"2020-02", "", keyDateFormat},
		{"2020-02-22-01", "", keyDateFormat},
		{"2020-02/22", "", keyDateFormat},
		{"20-02-22", "", keyDateFormat},
		{"2020-002-22", "", keyDateFormat},
		{"2020-02-", "", keyDateFormat},
		{"2020_02_22", "", keyDateFormat},
		{"2020-02-22T10:00", "", keyDateFormat},
		{"2020-02-22 10:00", "", keyDateFormat},
		{"2020年2月", "", keyDateFormat},
		{"2020年2月22日日", "", keyDateFormat},
		{"二〇二〇年二月二十二日", "", keyDateFormat},
		{"2020022", "", keyDateFormat},
		{"abc", "", keyDateFormat},
		{"2019-02-29", "", keyDateInvalid},
		{"1900-02-29", "", keyDateInvalid},
		{"2020-02-30", "", keyDateInvalid},
		{"2020-04-31", "", keyDateInvalid},
		{"2020-13-01", "", keyDateInvalid},
		{"2020-00-10", "", keyDateInvalid},
		{"2020-01-00", "", keyDateInvalid},
		{"20201301", "", keyDateInvalid},
		{"1899-12-31", "", keyDateInvalid},
		{"2101-01-01", "", keyDateInvalid},
		{"0220-02-22", "", keyDateInvalid},
	}
	for _, c := range cases {
		got, err := Date(c.in)
		t.Run(c.in, func(t *testing.T) {
			wantErr(t, err, c.key)
			if c.key != "" {
				if !got.IsZero() {
					t.Errorf("got %v with an error", got)
				}
				return
			}
			if got.Format(time.DateOnly) != c.want || got.Location() != time.UTC || !got.Equal(calendarDay(got)) {
				t.Errorf("got %v, want %s at midnight UTC", got, c.want)
			}
		})
	}
}

func TestNotFuture(t *testing.T) {
	d := time.Date(2020, 2, 22, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		today time.Time
		key   string
	}{
		{time.Date(2020, 2, 22, 0, 0, 0, 0, chinaZone), ""},
		{time.Date(2020, 2, 22, 23, 59, 0, 0, chinaZone), ""},
		{time.Date(2021, 1, 1, 0, 0, 0, 0, chinaZone), ""},
		{time.Date(2020, 2, 21, 23, 59, 0, 0, chinaZone), keyDateFuture},
		// 01:00 on the 22nd in the county is still the 21st in UTC: the
		// day is read in today's own zone.
		{time.Date(2020, 2, 21, 17, 0, 0, 0, time.UTC).In(chinaZone), ""},
		{time.Date(2020, 2, 21, 17, 0, 0, 0, time.UTC), keyDateFuture},
	}
	for _, c := range cases {
		wantErr(t, NotFuture(d, c.today), c.key)
	}
}

func TestNotBefore(t *testing.T) {
	start := time.Date(2020, 2, 10, 18, 0, 0, 0, time.UTC)
	cases := []struct {
		end time.Time
		key string
	}{
		{time.Date(2020, 2, 10, 0, 0, 0, 0, time.UTC), ""}, // same day, earlier hour
		{time.Date(2020, 2, 24, 0, 0, 0, 0, time.UTC), ""},
		{time.Date(2020, 2, 9, 23, 59, 0, 0, time.UTC), keyDateBeforeStart},
		{time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC), keyDateBeforeStart},
	}
	for _, c := range cases {
		wantErr(t, NotBefore(c.end, start), c.key)
	}
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2020-02-22", "2020/2/2", "2020.02.22", "20200222", "2020年2月22日", "2020-02-30", "", "2020-02/22", "２０２０－０２－２２", "\xff\xff\xff\xff-1-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Date(s)
		knownErr(t, err)
		if err != nil {
			return
		}
		if d.Location() != time.UTC || !d.Equal(calendarDay(d)) || d.Year() < minYear || d.Year() > maxYear {
			t.Fatalf("%q: accepted %v", s, d)
		}
		for _, layout := range []string{time.DateOnly, "2006/1/2", "20060102", "2006年1月2日"} {
			if again, err := Date(d.Format(layout)); err != nil || again != d {
				t.Fatalf("%q: re-parsing %q gave %v, %v", s, d.Format(layout), again, err)
			}
		}
	})
}
