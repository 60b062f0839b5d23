package validate

import "testing"

func TestMobile(t *testing.T) {
	cases := []struct{ in, want, key string }{
		{"13812345678", "13812345678", ""},
		{" 19912345678 ", "19912345678", ""},
		{"138 1234 5678", "13812345678", ""},
		{"138-1234-5678", "13812345678", ""},
		{"+86 138 1234 5678", "13812345678", ""},
		{"+86-138-1234-5678", "13812345678", ""},
		{"+8613812345678", "13812345678", ""},
		{"8613812345678", "13812345678", ""},
		{"008613812345678", "13812345678", ""},
		{"１３８１２３４５６７８", "13812345678", ""},
		{"13012345678", "13012345678", ""},
		{"", "", keyMobileEmpty},
		{"   ", "", keyMobileEmpty},
		{"--", "", keyMobileEmpty},
		{"1381234567a", "", keyMobileChars},
		{"138.1234.5678", "", keyMobileChars},
		{"(138)12345678", "", keyMobileChars},
		{"+15551234567", "", keyMobileChars},
		{"+", "", keyMobileChars},
		{"1381234567", "", keyMobileLength},
		{"138123456789", "", keyMobileLength},
		{"+86138123456", "", keyMobileLength},
		{"03195812345", "", keyMobilePrefix}, // a landline has 11 digits too
		{"86138123456", "", keyMobilePrefix}, // 11 digits: not a prefix
		{"12812345678", "", keyMobilePrefix},
		{"10012345678", "", keyMobilePrefix},
		{"23812345678", "", keyMobilePrefix},
	}
	for _, c := range cases {
		got, err := Mobile(c.in)
		t.Run(c.in, func(t *testing.T) {
			wantErr(t, err, c.key)
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func FuzzMobile(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138 1234 5678", "8613812345678", "008613812345678", "", "+", "86", "１３８１２３４５６７８", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Mobile(s)
		knownErr(t, err)
		if err != nil {
			return
		}
		if len(m) != 11 || !allDigits(m) || m[0] != '1' || m[1] < '3' {
			t.Fatalf("%q: accepted %q", s, m)
		}
		if again, err := Mobile(m); err != nil || again != m {
			t.Fatalf("%q: re-validating %q gave %q, %v", s, m, again, err)
		}
	})
}
