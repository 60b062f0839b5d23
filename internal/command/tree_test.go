package command

import (
	"slices"
	"testing"
)

func TestCommonPath(t *testing.T) {
	cases := []struct {
		paths []string
		want  string
	}{
		{nil, ""},
		{[]string{"/1/"}, "/1/"},
		{[]string{"/1/4/"}, "/1/4/"},
		{[]string{"/1/4/", "/1/5/"}, "/1/"},
		{[]string{"/1/4/9/", "/1/4/10/"}, "/1/4/"},
		{[]string{"/1/", "/1/4/"}, "/1/"},
		{[]string{"/1/4/", "/2/5/"}, ""},
		{[]string{"/1/14/", "/1/4/"}, "/1/"}, // segments, not characters: 14 is not under 4
	}
	for _, c := range cases {
		if got := commonPath(c.paths); got != c.want {
			t.Errorf("commonPath(%v) = %q, want %q", c.paths, got, c.want)
		}
	}
}

func TestAncestors(t *testing.T) {
	cases := []struct {
		top, path string
		want      []string
	}{
		{"/1/", "/1/", nil},
		{"/1/", "/1/4/", []string{"/1/"}},
		{"/1/", "/1/4/9/", []string{"/1/", "/1/4/"}},
		{"/1/4/", "/1/4/9/", []string{"/1/4/"}},
		{"/1/4/", "/1/5/", nil},
	}
	for _, c := range cases {
		if got := ancestors(c.top, c.path); !slices.Equal(got, c.want) {
			t.Errorf("ancestors(%q, %q) = %v, want %v", c.top, c.path, got, c.want)
		}
	}
}

func TestPathIDs(t *testing.T) {
	if lastID("/1/4/9/") != 9 || lastID("/") != 0 || lastID("") != 0 {
		t.Error("lastID")
	}
	for i, want := range []int64{1, 4, 9, 0} {
		if got := idAt("/1/4/9/", i); got != want {
			t.Errorf("idAt(%d) = %d, want %d", i, got, want)
		}
	}
	if idAt("/1/", -1) != 0 {
		t.Error("idAt(-1)")
	}
}
