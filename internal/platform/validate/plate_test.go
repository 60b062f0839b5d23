package validate

import (
	"testing"
	"unicode/utf8"
)

func TestPlate(t *testing.T) {
	cases := []struct {
		in, number, prefix string
		nev                bool
	}{
		{"冀E12345", "冀E12345", "冀E", false},
		{"冀e12345", "冀E12345", "冀E", false},
		{" 冀E 12345 ", "冀E12345", "冀E", false},
		{"冀E·12345", "冀E12345", "冀E", false},
		{"冀E-12345", "冀E12345", "冀E", false},
		{"冀Ｅ１２３４５", "冀E12345", "冀E", false},
		{"京AB1234", "京AB1234", "京A", false},
		{"琼Z12AB5", "琼Z12AB5", "琼Z", false},
		{"冀E1234挂", "冀E1234挂", "冀E", false},
		{"冀E1234学", "冀E1234学", "冀E", false},
		{"冀E1234警", "冀E1234警", "冀E", false},
		{"粤Z1234港", "粤Z1234港", "粤Z", false},
		{"粤Z1234澳", "粤Z1234澳", "粤Z", false},
		{"冀ED12345", "冀ED12345", "冀E", true},
		{"冀EF12345", "冀EF12345", "冀E", true},
		{"冀Ed·a1234", "冀EDA1234", "冀E", true},
		{"冀EDD1234", "冀EDD1234", "冀E", true},
		{"冀E12345D", "冀E12345D", "冀E", true},
		{"冀E12345F", "冀E12345F", "冀E", true},
	}
	for _, c := range cases {
		p, err := Plate(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if p != (VehiclePlate{Number: c.number, Prefix: c.prefix, NewEnergy: c.nev}) {
			t.Errorf("%q: got %+v", c.in, p)
		}
	}
}

func TestPlateErrors(t *testing.T) {
	cases := []struct{ in, key string }{
		{"", keyPlateEmpty},
		{" · - ", keyPlateEmpty},
		{"冀E1234", keyPlateLength},
		{"冀E123456789", keyPlateLength},
		{"E12345", keyPlateLength},
		{"AE12345", keyPlateProvince},
		{"台E12345", keyPlateProvince},
		{"1E12345", keyPlateProvince},
		{"\xffE12345", keyPlateProvince},
		{"冀I12345", keyPlateAuthority},
		{"冀O12345", keyPlateAuthority},
		{"冀112345", keyPlateAuthority},
		{"冀冀12345", keyPlateAuthority},
		{"冀E1234I", keyPlateSerial},
		{"冀E12O45", keyPlateSerial},
		{"冀E挂1234", keyPlateSerial},     // special character not last
		{"冀ED1234挂", keyPlateSerial},    // no special 8-character plate
		{"冀E1234使", keyPlateSerial},     // not in the accepted set
		{"冀E123456", keyPlateNewEnergy}, // 8 characters without D/F
		{"冀ED1234A", keyPlateNewEnergy},
		{"冀E1D2345", keyPlateNewEnergy},
		{"冀E1234D5", keyPlateNewEnergy},
		{"冀EDA123B", keyPlateNewEnergy},
		{"冀EA2345D", keyPlateNewEnergy},
	}
	for _, c := range cases {
		_, err := Plate(c.in)
		t.Run(c.in, func(t *testing.T) { wantErr(t, err, c.key) })
	}
}

func TestPlateExternalTo(t *testing.T) {
	cases := []struct {
		plate, local string
		want         bool
	}{
		{"冀E12345", "冀E", false},
		{"冀ED12345", "冀E", false},
		{"冀E12345", " 冀e ", false},
		{"冀A12345", "冀E", true},
		{"京A12345", "冀E", true},
		{"冀E12345", "", false},
		{"京A12345", "  ", false},
	}
	for _, c := range cases {
		p, err := Plate(c.plate)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.ExternalTo(c.local); got != c.want {
			t.Errorf("%s.ExternalTo(%q) = %v", c.plate, c.local, got)
		}
	}
}

func FuzzPlate(f *testing.F) {
	for _, s := range []string{"冀E12345", "冀E·12345", "冀ED12345", "冀E12345F", "冀E1234挂", "粤Z1234港", "", "冀", "冀I12345", "冀E123456", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Plate(s)
		knownErr(t, err)
		if err != nil {
			return
		}
		n := utf8.RuneCountInString(p.Number)
		if (n != 7 && n != 8) || p.NewEnergy != (n == 8) || []rune(p.Number)[0] != []rune(p.Prefix)[0] || utf8.RuneCountInString(p.Prefix) != 2 {
			t.Fatalf("%q: accepted %+v", s, p)
		}
		if p.ExternalTo(p.Prefix) || p.ExternalTo("") {
			t.Fatalf("%q: %+v external to its own prefix", s, p)
		}
		if again, err := Plate(p.Number); err != nil || again != p {
			t.Fatalf("%q: re-validating %q gave %+v, %v", s, p.Number, again, err)
		}
	})
}
