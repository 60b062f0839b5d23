package validate

import (
	"strings"
	"testing"
)

// Real codes: the worked example of GB 32100-2015 and two large enterprises,
// whose check characters were computed by CreditCodeCheckChar and agree with
// the published codes.
var realCreditCodes = []string{"91350100M000100Y43", "914403001922038216", "91110000600037341L"}

func TestCreditCodeValid(t *testing.T) {
	cases := map[string]string{
		"91350100M000100Y43":    "91350100M000100Y43",
		"91350100m000100y43":    "91350100M000100Y43",
		" 914403001922038216\t": "914403001922038216",
		"91110000600037341l":    "91110000600037341L",
		"９１３５０１００Ｍ０００１００Ｙ４３": "91350100M000100Y43",
	}
	for in, want := range cases {
		got, err := CreditCode(in)
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v", in, got, err)
		}
	}
}

func TestCreditCodeErrors(t *testing.T) {
	cases := []struct{ in, key string }{
		{"", keyCreditEmpty},
		{"  ", keyCreditEmpty},
		{"91350100M000100Y4", keyCreditLength},
		{"91350100M000100Y433", keyCreditLength},
		{"统一社会信用代码", keyCreditLength},
		{"91350100M000100I43", keyCreditChars},
		{"91350100M000100O43", keyCreditChars},
		{"91350100M000100Z43", keyCreditChars},
		{"91350100M000100S43", keyCreditChars},
		{"91350100M000100V43", keyCreditChars},
		{"91350100m000100i43", keyCreditChars},
		{"91350100M000100-43", keyCreditChars},
		{"91350100M000100Y4码", keyCreditChars},
		{"91350100M000100Y44", keyCreditChecksum},
		{"91350100M000100Y4A", keyCreditChecksum},
		{"19350100M000100Y43", keyCreditChecksum}, // adjacent swap
	}
	for _, c := range cases {
		_, err := CreditCode(c.in)
		t.Run(c.in, func(t *testing.T) { wantErr(t, err, c.key) })
	}
}

// TestCreditCodeCatchesTypos: 31 is prime and no weight is 0 mod 31, so every
// single-character substitution changes the check.
func TestCreditCodeCatchesTypos(t *testing.T) {
	for _, good := range realCreditCodes {
		for i := 0; i < 18; i++ {
			for _, c := range creditCharset {
				if byte(c) == good[i] {
					continue
				}
				typo := good[:i] + string(c) + good[i+1:]
				_, err := CreditCode(typo)
				wantErr(t, err, keyCreditChecksum)
			}
		}
	}
}

func TestCreditCodeCheckChar(t *testing.T) {
	for _, good := range realCreditCodes {
		if c, ok := CreditCodeCheckChar(good[:17]); !ok || c != good[17] {
			t.Errorf("%s: got %q %v", good, c, ok)
		}
	}
	for _, bad := range []string{"", "91350100M000100Y", "91350100m000100Y4", "91350100M000100I4", "91350100M000100Y43"} {
		if _, ok := CreditCodeCheckChar(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzCreditCode(f *testing.F) {
	for _, s := range append([]string{"", "91350100m000100y43", "91350100M000100I43", "00000000000000000", "９１３５０１００Ｍ０００１００Ｙ４３", "\xff"}, realCreditCodes...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := CreditCode(s)
		knownErr(t, err)
		if err != nil {
			return
		}
		if len(code) != 18 || strings.Trim(code, creditCharset) != "" {
			t.Fatalf("%q: accepted %q", s, code)
		}
		if c, ok := CreditCodeCheckChar(code[:17]); !ok || c != code[17] {
			t.Fatalf("%q: accepted %q with a wrong check character", s, code)
		}
		if again, err := CreditCode(code); err != nil || again != code {
			t.Fatalf("%q: re-validating %q gave %q, %v", s, code, again, err)
		}
	})
}
