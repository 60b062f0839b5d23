package auditlog

import (
	"net/url"
	"testing"
	"time"

	"fangkong/internal/platform/errs"
)

func TestParseFilter(t *testing.T) {
	zone, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{"actor": {" commander "}, "action": {"update"}, "entity": {"case"}, "entity_id": {"12"},
		"from": {"2020-02-01"}, "to": {"2020-02-22"}, "cursor": {cursor.Encode(99)}, "limit": {"20"}}
	f, err := parseFilter(v, zone)
	if err != nil {
		t.Fatal(err)
	}
	if f.Actor != "commander" || f.Action != "update" || f.Entity != "case" || f.EntityID != "12" || f.BeforeID != 99 || f.Limit != 20 {
		t.Errorf("filter %+v", f)
	}
	// Days are Beijing days: 2020-02-01 00:00 +08:00 is 2020-01-31 16:00 UTC,
	// and to includes the whole 22nd.
	if want := time.Date(2020, 1, 31, 16, 0, 0, 0, time.UTC); !f.From.Equal(want) {
		t.Errorf("from %v, want %v", f.From.UTC(), want)
	}
	if want := time.Date(2020, 2, 22, 16, 0, 0, 0, time.UTC); !f.To.Equal(want) {
		t.Errorf("to %v, want %v", f.To.UTC(), want)
	}
	if f, err := parseFilter(url.Values{}, zone); err != nil || !f.From.IsZero() || !f.To.IsZero() || f.BeforeID != 0 {
		t.Errorf("empty: %+v %v", f, err)
	}
}

func TestParseFilterNamesEveryBadField(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	cases := []struct {
		v    url.Values
		want []string
	}{
		{url.Values{"from": {"2020-02-30"}}, []string{"from"}},
		{url.Values{"from": {"yesterday"}, "to": {"22/02/2020"}}, []string{"from", "to"}},
		{url.Values{"from": {"2020-02-22"}, "to": {"2020-02-21"}}, []string{"to"}},
		{url.Values{"cursor": {"not-a-cursor"}}, []string{"cursor"}},
		{url.Values{"cursor": {"YQ"}, "limit": {"0"}}, []string{"cursor", "limit"}},
		{url.Values{"limit": {"501"}}, []string{"limit"}},
	}
	for _, c := range cases {
		_, err := parseFilter(c.v, zone)
		e := errs.As(err)
		var got []string
		for _, f := range e.Fields {
			got = append(got, f.Field)
		}
		if e.Code != errs.Invalid || len(got) != len(c.want) {
			t.Errorf("%v: %v, want fields %v", c.v, err, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%v: fields %v, want %v", c.v, got, c.want)
			}
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	for _, id := range []int64{1, 42, 1 << 40} {
		if got, ok := cursor.Decode(cursor.Encode(id)); !ok || got != id {
			t.Errorf("%d: %d %v", id, got, ok)
		}
	}
	if cursor.Encode(0) != "" {
		t.Error("no cursor after the last page")
	}
}
