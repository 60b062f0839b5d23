package org

import (
	"testing"

	"fangkong/internal/platform/errs"
)

func TestCheckCode(t *testing.T) {
	county := &Node{Code: "130528", Level: County}
	town := &Node{Code: "130528100", Level: Township}
	cases := []struct {
		name   string
		code   string
		parent *Node
		want   string // message key, "" for valid
	}{
		{"county ok", "130528", nil, ""},
		{"county short", "13052", nil, "org.code_county_len"},
		{"empty", "", county, "errs.required"},
		{"letters", "13052810A", county, "org.code_digits"},
		{"full-width digits", "１３０５２８１００", county, "org.code_digits"},
		{"township ok", "130528100", county, ""},
		{"township other county", "130529100", county, "org.code_prefix"},
		{"township too long", "1305281001", county, "org.code_len"},
		{"village ok", "130528100201", town, ""},
		{"village under other township", "130528104201", town, "org.code_prefix"},
		{"village short", "13052810020", town, "org.code_len"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var fc errs.FieldCollector
			checkCode(&fc, c.code, c.parent)
			if got := firstKey(fc.Err()); got != c.want {
				t.Errorf("checkCode(%q) = %q, want %q", c.code, got, c.want)
			}
		})
	}
}

func firstKey(err error) string {
	if err == nil {
		return ""
	}
	return errs.As(err).Fields[0].Msg.Key
}

func TestCheckNodeFields(t *testing.T) {
	county := &Node{Code: "130528", Level: County}
	cases := []struct {
		name  string
		n     Node
		field string // the field with an error, "" for valid
		kind  string // the kind stored when valid
	}{
		{"kind from name", Node{Code: "130528100", NameZH: " 凤凰镇 ", Level: Township}, "", "镇"},
		{"subdistrict from name", Node{Code: "130528001", NameZH: "宁北街道", Level: Township}, "", "街道"},
		{"management area", Node{Code: "130528401", NameZH: "大曹庄管理区", Level: Township}, "", "管理区"},
		{"committee", Node{Code: "130528001001", NameZH: "凤凰社区居委会", Level: Village}, "", "社区"},
		{"compound", Node{Code: "130528100203", NameZH: "国税局家属院", Level: Village}, "", "小区"},
		{"township named like a village", Node{Code: "130528107", NameZH: "大陆村镇", Level: Township}, "", "镇"},
		{"no guess", Node{Code: "130528100", NameZH: "某地", Level: Township}, "", ""},
		{"kind of another level", Node{Code: "130528100", NameZH: "凤凰", Kind: "村", Level: Township}, "kind", ""},
		{"name missing", Node{Code: "130528100", Level: Township}, "name_zh", ""},
		{"name too long", Node{Code: "130528100", NameZH: string(make([]rune, 61)), Level: Township}, "name_zh", ""},
		{"negative", Node{Code: "130528100", NameZH: "凤凰镇", Population: -1, Level: Township}, "population", ""},
		{"households over population", Node{Code: "130528100", NameZH: "凤凰镇", Population: 10, Households: 11, Level: Township}, "households", ""},
		{"households without population", Node{Code: "130528100", NameZH: "凤凰镇", Households: 11, Level: Township}, "", "镇"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var fc errs.FieldCollector
			n := c.n
			parent := county
			if n.Level == Village {
				parent = &Node{Code: n.Code[:9], Level: Township}
			}
			checkNode(&fc, &n, parent)
			got := ""
			if err := fc.Err(); err != nil {
				got = errs.As(err).Fields[0].Field
			}
			if got != c.field {
				t.Fatalf("error on %q, want %q (%v)", got, c.field, fc.Err())
			}
			if c.field == "" && n.Kind != c.kind {
				t.Errorf("kind %q, want %q", n.Kind, c.kind)
			}
		})
	}
}

func TestParseKindAndLevel(t *testing.T) {
	en := func(slug string) string { return map[string]string{"town": "Town", "community": "Community"}[slug] }
	for in, want := range map[string]string{"镇": "镇", "town": "镇", "TOWN": "镇", "Community": "社区", "": ""} {
		if got, ok := ParseKind(in, en); !ok || got != want {
			t.Errorf("ParseKind(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	if _, ok := ParseKind("城堡", en); ok {
		t.Error("unknown kind accepted")
	}
	label := func(l Level) string { return map[Level]string{Village: "村级"}[l] }
	if l, ok := ParseLevel("村级", label); !ok || l != Village {
		t.Errorf("ParseLevel(村级) = %v %v", l, ok)
	}
	if l, ok := ParseLevel(" Township "); !ok || l != Township {
		t.Errorf("ParseLevel(Township) = %v %v", l, ok)
	}
	if _, ok := ParseLevel("province"); ok {
		t.Error("unknown level accepted")
	}
}

func TestParseCount(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "0": 0, "1,234": 1234, "１２３": 123, " 56 ": 56, "750000.0": 750000, "-3": -3} {
		if got, ok := parseCount(in); !ok || got != want {
			t.Errorf("parseCount(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"abc", "1.5", "12人"} {
		if _, ok := parseCount(in); ok {
			t.Errorf("parseCount(%q) accepted", in)
		}
	}
}

func TestTreeRowsDepthIsRelativeToTheReader(t *testing.T) {
	// A township administrator sees their township and its villages only: the
	// township is their top row.
	nodes := []Node{
		{ID: 2, ParentID: 1, Path: "/1/2/", Code: "130528100"},
		{ID: 4, ParentID: 2, Path: "/1/2/4/", Code: "130528100201"},
		{ID: 5, ParentID: 2, Path: "/1/2/5/", Code: "130528100202"},
	}
	rows := treeRows(nodes, "zh")
	if rows[0].Depth != 0 || rows[1].Depth != 1 || rows[0].Children != 2 || rows[1].Children != 0 {
		t.Errorf("rows %+v", rows)
	}
}
