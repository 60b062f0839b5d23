package validate

import (
	"strings"
	"testing"
	"time"
)

// withCheck appends the correct check digit to 17 digits.
func withCheck(t testing.TB, body string) string {
	t.Helper()
	c, ok := ResidentIDCheckDigit(body)
	if !ok {
		t.Fatalf("bad body %q", body)
	}
	return body + string(c)
}

var idNow = time.Date(2020, 2, 22, 12, 0, 0, 0, chinaZone)

func TestResidentIDCheckDigit(t *testing.T) {
	cases := map[string]string{
		"11010519491231002": "X", // the example of GB 11643-1999
		"44052418800101001": "4",
		"13052819800101123": "8",
		"00000000000000000": "1",
	}
	for body, want := range cases {
		if c, ok := ResidentIDCheckDigit(body); !ok || string(c) != want {
			t.Errorf("%s: got %q %v, want %s", body, c, ok, want)
		}
	}
	for _, bad := range []string{"", "1101051949123100", "110105194912310021", "1101051949123100X", "１１０１０５１９４９１２３１００"} {
		if _, ok := ResidentIDCheckDigit(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestResidentIDValid(t *testing.T) {
	male := withCheck(t, "13052819800101123")
	female := withCheck(t, "13052819800101124")
	legacy := withCheck(t, "13052819800101123") // 130528800101123 upgraded
	today := withCheck(t, "13052820200222001")
	cases := []struct {
		in, number string
		birth      string
		sex        Sex
	}{
		{"11010519491231002X", "11010519491231002X", "1949-12-31", Female},
		{"11010519491231002x", "11010519491231002X", "1949-12-31", Female},
		{"  11010519491231002X \t", "11010519491231002X", "1949-12-31", Female},
		{"１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", "1949-12-31", Female},
		{male, male, "1980-01-01", Male},
		{female, female, "1980-01-01", Female},
		{"130528800101123", legacy, "1980-01-01", Male},
		{" 130528800101124 ", withCheck(t, "13052819800101124"), "1980-01-01", Female},
		{today, today, "2020-02-22", Male},
		{withCheck(t, "13052820000229002"), withCheck(t, "13052820000229002"), "2000-02-29", Female},
		{withCheck(t, "11010519000101002"), withCheck(t, "11010519000101002"), "1900-01-01", Female},
		{withCheck(t, "65010019800101002"), withCheck(t, "65010019800101002"), "1980-01-01", Female},
		{withCheck(t, "81000019800101002"), withCheck(t, "81000019800101002"), "1980-01-01", Female}, // HK residence permit
		{withCheck(t, "83000019800101002"), withCheck(t, "83000019800101002"), "1980-01-01", Female}, // Taiwan residence permit
	}
	for _, c := range cases {
		id, err := ResidentIDAt(c.in, idNow)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if id.Number != c.number || id.Birth.Format(time.DateOnly) != c.birth || id.Sex != c.sex || id.AreaCode != c.number[:6] {
			t.Errorf("%q: got %+v, want %s %s %s", c.in, id, c.number, c.birth, c.sex)
		}
		if id.Birth.Location() != time.UTC || !id.Birth.Equal(calendarDay(id.Birth)) {
			t.Errorf("%q: birth %v is not a UTC calendar date", c.in, id.Birth)
		}
	}
}

func TestResidentIDErrors(t *testing.T) {
	cases := []struct{ in, key string }{
		{"", keyIDEmpty},
		{"   ", keyIDEmpty},
		{"1234", keyIDLength},
		{"11010519491231002", keyIDLength},   // 17
		{"11010519491231002X1", keyIDLength}, // 19
		{"1305288001011234", keyIDLength},    // 16
		{"身份证", keyIDLength},                 // 3 runes, 9 bytes
		{"1101051949123100XX", keyIDChars},   // X not last
		{"11010519491231002A", keyIDChars},   // letter other than X
		{"11010519491231002Y", keyIDChars},   //
		{"13052880010112X", keyIDChars},      // legacy numbers have no X
		{"11010519491231002二", keyIDChars},   // 18 runes, not ASCII
		{"1101-0519491231002", keyIDChars},   //
		{withCheck(t, "00010519491231002"), keyIDArea},
		{withCheck(t, "99010519491231002"), keyIDArea},
		{withCheck(t, "16010519491231002"), keyIDArea},
		{withCheck(t, "91010519491231002"), keyIDArea},
		{"990528800101123", keyIDArea},                  // legacy
		{withCheck(t, "13052819800230002"), keyIDBirth}, // 30 February
		{withCheck(t, "13052819801301002"), keyIDBirth}, // month 13
		{withCheck(t, "13052819800001002"), keyIDBirth}, // month 0
		{withCheck(t, "13052819800100002"), keyIDBirth}, // day 0
		{withCheck(t, "13052819000229002"), keyIDBirth}, // 1900 is no leap year
		{withCheck(t, "13052818991231002"), keyIDBirth}, // before 1900
		{withCheck(t, "13052820200223002"), keyIDBirth}, // tomorrow
		{withCheck(t, "13052829990101002"), keyIDBirth},
		{"130528800230123", keyIDBirth}, // legacy, 30 February
		{"11010519491231002 X", keyIDLength},
		{"110105194912310021", keyIDChecksum},
		{"110105194912310020", keyIDChecksum},
	}
	for _, c := range cases {
		_, err := ResidentIDAt(c.in, idNow)
		t.Run(c.in, func(t *testing.T) { wantErr(t, err, c.key) })
	}
}

// TestResidentIDBirthDayIsReadInNowsZone: a baby born on 22 February in the
// county can be registered at 04:00 local time, when it is still the 21st in
// UTC, because ResidentID reads "today" in China.
func TestResidentIDBirthDayIsReadInNowsZone(t *testing.T) {
	n := withCheck(t, "13052820200222001")
	instant := time.Date(2020, 2, 21, 20, 0, 0, 0, time.UTC)
	if _, err := ResidentIDAt(n, instant.In(chinaZone)); err != nil {
		t.Errorf("in China: %v", err)
	}
	_, err := ResidentIDAt(n, instant)
	wantErr(t, err, keyIDBirth)
	if _, err := ResidentID(n); err != nil {
		t.Errorf("ResidentID with the real clock: %v", err)
	}
}

// TestResidentIDCatchesTypos: MOD 11-2 detects every single-digit substitution
// and every swap of two adjacent different digits.
func TestResidentIDCatchesTypos(t *testing.T) {
	good := withCheck(t, "13052819800101123")
	for i := 0; i < 18; i++ {
		for _, d := range "0123456789X" {
			if byte(d) == good[i] || (d == 'X' && i < 17) {
				continue
			}
			typo := good[:i] + string(d) + good[i+1:]
			if _, err := ResidentIDAt(typo, idNow); err == nil {
				t.Errorf("substitution %s accepted", typo)
			}
		}
	}
	for i := 0; i+1 < 18; i++ {
		if good[i] == good[i+1] {
			continue
		}
		typo := good[:i] + string(good[i+1]) + string(good[i]) + good[i+2:]
		if _, err := ResidentIDAt(typo, idNow); err == nil {
			t.Errorf("transposition %s accepted", typo)
		}
	}
}

func FuzzResidentID(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "11010519491231002x", " 130528198001011238 ", "130528800101123",
		"", "X", "1101051949123100XX", "130528800230123", "１１０１０５１９４９１２３１００２Ｘ",
		"99010519491231002X", "110105202002230021", "\xff\xfe11010519491231002",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ResidentIDAt(s, idNow)
		knownErr(t, err)
		if err != nil {
			return
		}
		n := id.Number
		if len(n) != 18 || strings.ToUpper(n) != n {
			t.Fatalf("%q: number %q is not canonical", s, n)
		}
		if c, ok := ResidentIDCheckDigit(n[:17]); !ok || c != n[17] {
			t.Fatalf("%q: accepted %q with a wrong check digit", s, n)
		}
		if id.AreaCode != n[:6] || !idProvinces[n[:2]] {
			t.Fatalf("%q: area %q", s, id.AreaCode)
		}
		if id.Birth.Format("20060102") != n[6:14] || id.Birth.After(idNow) {
			t.Fatalf("%q: birth %v", s, id.Birth)
		}
		if (id.Sex == Male) != ((n[16]-'0')%2 == 1) {
			t.Fatalf("%q: sex %s", s, id.Sex)
		}
		again, err := ResidentIDAt(n, idNow)
		if err != nil || again != id {
			t.Fatalf("%q: re-validating %q gave %+v, %v", s, n, again, err)
		}
	})
}
