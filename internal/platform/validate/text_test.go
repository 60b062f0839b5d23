package validate

import (
	"math"
	"strings"
	"testing"
)

func TestCount(t *testing.T) {
	for n, key := range map[int64]string{0: "", 1: "", math.MaxInt64: "", -1: keyCountNegative, math.MinInt64: keyCountNegative} {
		wantErr(t, Count(n), key)
	}
}

func TestRequired(t *testing.T) {
	for s, key := range map[string]string{
		"": keyRequired, " ": keyRequired, "\t\n": keyRequired, "\u3000": keyRequired,
		"a": "", " 张 ": "", "0": "",
	} {
		wantErr(t, Required(s), key)
	}
}

func TestMaxLen(t *testing.T) {
	cases := []struct {
		s   string
		n   int
		key string
	}{
		{"", 0, ""},
		{"a", 0, keyMaxLen},
		{"张三丰", 3, ""}, // 9 bytes, 3 characters
		{"张三丰", 2, keyMaxLen},
		{"<script>alert(1)</script>", 25, ""}, // stored as typed
		{strings.Repeat("宁", 200), 200, ""},
		{strings.Repeat("宁", 201), 200, keyMaxLen},
		{"\xff", 10, keyTextEncoding},
		{"张\xe5", 10, keyTextEncoding}, // truncated in the middle of a rune
	}
	for _, c := range cases {
		err := MaxLen(c.s, c.n)
		wantErr(t, err, c.key)
		if c.key == keyMaxLen && err.(*Error).Args[0] != c.n {
			t.Errorf("%q: args %v", c.s, err.(*Error).Args)
		}
	}
}
