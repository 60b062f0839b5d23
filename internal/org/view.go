package org

import (
	"strconv"
	"strings"

	"fangkong/internal/platform/i18n"
)

// row is a node as a page shows it: names and labels already in the reader's
// language, and its depth among the nodes the reader can see.
type row struct {
	Node
	Name, KindLabel, LevelLabel string
	Depth                       int
	Children                    int
}

// Pop and HH are the figures with thousands separators, as the statistical
// tables the users know print them.
func (r row) Pop() string { return group(r.Population) }

// HH is the number of households, grouped like Pop.
func (r row) HH() string { return group(r.Households) }

// group writes n with a comma every three digits.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Indent is the row's depth as ideographic spaces before the name: the page
// shows the tree without a style attribute (the CSP forbids them).
func (r row) Indent() string { return strings.Repeat("\u3000", r.Depth) }

func toRow(n Node, lang i18n.Lang) row {
	return row{Node: n, Name: n.Name(string(lang)), KindLabel: kindLabel(n.Kind, lang),
		LevelLabel: i18n.T(lang, "org.level."+string(n.Level))}
}

// kindLabel translates a known kind; an unknown one shows as stored.
func kindLabel(kind string, lang i18n.Lang) string {
	if slug := KindSlug(kind); slug != "" {
		return i18n.T(lang, "org.kind."+slug)
	}
	return kind
}

// treeRows turns a list in tree order into rows with depths relative to the
// reader's own top nodes and the number of children of each.
func treeRows(nodes []Node, lang i18n.Lang) []row {
	visible := make(map[int64]bool, len(nodes))
	children := map[int64]int{}
	for _, n := range nodes {
		visible[n.ID] = true
		children[n.ParentID]++
	}
	out := make([]row, len(nodes))
	for i, n := range nodes {
		out[i] = toRow(n, lang)
		out[i].Children = children[n.ID]
		for _, id := range pathIDs(n.Path) {
			if id != n.ID && visible[id] {
				out[i].Depth++
			}
		}
	}
	return out
}

// matches reports whether a node's code or either name contains q.
func matches(n Node, q string) bool {
	q = strings.ToLower(q)
	return strings.Contains(n.Code, q) || strings.Contains(n.NameZH, q) || strings.Contains(strings.ToLower(n.NameEN), q)
}

// option is one choice of the layout's "select" partial: Label is a catalog
// key, Raw a text shown as is.
type option struct{ Value, Label, Raw string }

// kindOptions are the kinds a node of level may take, with "not set" first.
func kindOptions(level Level) []option {
	out := []option{{Value: "", Label: "org.kind_none"}}
	for _, k := range KindsOf(level) {
		out = append(out, option{Value: k.ZH, Label: "org.kind." + k.Slug})
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
