package screening

import (
	"bytes"
	"testing"
)

func TestToken(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := makeToken(key, 42, 3)
	div, gen, ok := checkToken(key, tok)
	if !ok || div != 42 || gen != 3 {
		t.Fatalf("%s: %d %d %v", tok, div, gen, ok)
	}
	for _, bad := range []string{"", "42.3", "42.3.x", "43" + tok[2:], "42.4" + tok[4:], tok + "A", "+42.3." + tok[5:],
		"-1.3." + tok[5:], makeToken([]byte("another key"), 42, 3)} {
		if _, _, ok := checkToken(key, bad); ok {
			t.Errorf("accepted %q", bad)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	key := []byte("fuzz key")
	f.Add(makeToken(key, 1, 1))
	f.Add("12.1.AAAAAAAAAAAAAAAA")
	f.Add("..")
	f.Add("9223372036854775807.9223372036854775807.AAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, s string) {
		div, gen, mac, ok := ParseToken(s)
		if !ok {
			return
		}
		if div <= 0 || gen <= 0 || len(mac) != macBytes {
			t.Fatalf("%q parsed to %d %d %x", s, div, gen, mac)
		}
		// A token verifies only if it is the canonical signature of its parts.
		if _, _, ok := checkToken(key, s); ok && !bytes.Equal(mac, tokenMAC(key, div, gen)) {
			t.Fatalf("%q verified with a wrong MAC", s)
		}
	})
}

func FuzzParseTags(f *testing.F) {
	for _, s := range []string{"返乡、密接", "returnee,key region", "，，", "ＲＥＴＵＲＮＥＥ；发热", "\u3000湖北"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tags, _ := ParseTags(s)
		seen := map[Tag]bool{}
		for _, tg := range tags {
			if !tg.Valid() || seen[tg] {
				t.Fatalf("%q gave %v", s, tags)
			}
			seen[tg] = true
		}
		if again, bad := ParseTags(string(encodeTags(tags))); len(bad) > 0 || len(again) != len(tags) {
			t.Fatalf("%q: %v does not parse back (%v %v)", s, tags, again, bad)
		}
	})
}

func FuzzParseTransport(f *testing.F) {
	for _, s := range []string{"高铁", "Flight", "", "自 驾"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tr, ok := ParseTransport(s); ok && tr != "" && !validTransport(tr) {
			t.Fatalf("%q gave %q", s, tr)
		}
	})
}
