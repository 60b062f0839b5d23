package storage

import (
	"encoding/json"
	"testing"
)

func TestDateJSON(t *testing.T) {
	type wrap struct {
		D Date `json:"d"`
	}
	b, _ := json.Marshal(wrap{MustDate("2020-02-22")})
	if string(b) != `{"d":"2020-02-22"}` {
		t.Errorf("marshal: %s", b)
	}
	b, _ = json.Marshal(wrap{})
	if string(b) != `{"d":null}` {
		t.Errorf("zero: %s", b)
	}
	var w wrap
	if err := json.Unmarshal([]byte(`{"d":"2020-02-05"}`), &w); err != nil || w.D.String() != "2020-02-05" {
		t.Errorf("unmarshal: %v %v", w.D, err)
	}
	if err := json.Unmarshal([]byte(`{"d":"5 Feb"}`), &w); err == nil {
		t.Error("bad date accepted")
	}
	if err := json.Unmarshal([]byte(`{"d":null}`), &w); err != nil || !w.D.IsZero() {
		t.Errorf("null: %v %v", w.D, err)
	}
}

func TestDateArithmetic(t *testing.T) {
	a, b := MustDate("2020-02-05"), MustDate("2020-02-22")
	if b.DaysSince(a) != 17 || a.AddDays(17) != b {
		t.Error("days")
	}
}

func TestIDCursor(t *testing.T) {
	a, b := IDCursor('a'), IDCursor('b')
	if id, ok := a.Decode(a.Encode(42)); !ok || id != 42 {
		t.Errorf("round trip: %d %v", id, ok)
	}
	if _, ok := b.Decode(a.Encode(42)); ok {
		t.Error("a cursor of another list was accepted")
	}
	for _, bad := range []string{"", "!!", a.Encode(0), "YQ"} {
		if _, ok := a.Decode(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	for _, c := range []struct {
		first, n int
		want     string
	}{{1, 1, "($1)"}, {4, 3, "($4,$5,$6)"}, {11, 2, "($11,$12)"}} {
		if got := Placeholders(c.first, c.n); got != c.want {
			t.Errorf("Placeholders(%d, %d) = %q, want %q", c.first, c.n, got, c.want)
		}
	}
}
