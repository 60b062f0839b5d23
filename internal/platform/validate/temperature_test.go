package validate

import (
	"math"
	"strconv"
	"testing"
)

func TestTemperature(t *testing.T) {
	cases := []struct {
		c  float64
		ok bool
	}{
		{34.0, true}, {36.5, true}, {37.3, true}, {43.0, true},
		{33.9, false}, {43.1, false},
		{math.Nextafter(34, 0), false}, {math.Nextafter(43, 44), false},
		{0, false}, {-36.5, false}, {365, false},
		{math.NaN(), false}, {math.Inf(1), false}, {math.Inf(-1), false},
	}
	for _, c := range cases {
		err := Temperature(c.c)
		if c.ok {
			wantErr(t, err, "")
		} else {
			wantErr(t, err, keyTempRange)
		}
	}
}

func TestParseTemperature(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		key  string
	}{
		{"37.3", 37.3, ""},
		{"37,3", 37.3, ""},
		{" 36.5 ", 36.5, ""},
		{"37", 37, ""},
		{"036.5", 36.5, ""},
		{"36.5℃", 36.5, ""},
		{"36.5 °C", 36.5, ""},
		{"36.5°", 36.5, ""},
		{"36.5度", 36.5, ""},
		{"36.5c", 36.5, ""},
		{"３６．５", 36.5, ""},
		{"３６，５", 36.5, ""},
		{"36.45", 36.5, ""}, // half-up on the decimal, not on the float
		{"36.44", 36.4, ""},
		{"36.449", 36.4, ""},
		{"36.95", 37.0, ""},
		{"34", 34, ""},
		{"33.95", 34.0, ""},
		{"43.0", 43, ""},
		{"43.04", 43, ""},
		{"", 0, keyTempEmpty},
		{"   ", 0, keyTempEmpty},
		{"℃", 0, keyTempEmpty},
		{"abc", 0, keyTempFormat},
		{"3e1", 0, keyTempFormat},
		{"inf", 0, keyTempFormat},
		{"NaN", 0, keyTempFormat},
		{"0x25", 0, keyTempFormat},
		{"37.", 0, keyTempFormat},
		{".5", 0, keyTempFormat},
		{"-36.5", 0, keyTempFormat},
		{"+36.5", 0, keyTempFormat},
		{"36.5.1", 0, keyTempFormat},
		{"36,5,1", 0, keyTempFormat},
		{"36 .5", 0, keyTempFormat},
		{"36.5℃℃", 0, keyTempFormat},
		{"33.94", 0, keyTempRange},
		{"43.05", 0, keyTempRange},
		{"365", 0, keyTempRange},
		{"0", 0, keyTempRange},
		{"99999999999999999999999", 0, keyTempRange},
	}
	for _, c := range cases {
		got, err := ParseTemperature(c.in)
		t.Run(c.in, func(t *testing.T) {
			wantErr(t, err, c.key)
			if got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func FuzzParseTemperature(f *testing.F) {
	for _, s := range []string{"37.3", "37,3", " 36.5 ", "36.45", "43.05", "33.95", "", "℃", "3e1", "NaN", "-0", "99999999999999999999", "３６．５"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseTemperature(s)
		knownErr(t, err)
		if err != nil {
			return
		}
		if Temperature(c) != nil || math.Round(c*10)/10 != c {
			t.Fatalf("%q: accepted %v", s, c)
		}
		for _, form := range []string{strconv.FormatFloat(c, 'f', 1, 64), strconv.FormatFloat(c, 'f', -1, 64)} {
			if again, err := ParseTemperature(form); err != nil || again != c {
				t.Fatalf("%q: re-parsing %q gave %v, %v", s, form, again, err)
			}
		}
	})
}
