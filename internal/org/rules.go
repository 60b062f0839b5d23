package org

import (
	"strings"

	"fangkong/internal/platform/errs"
)

// Statistical division codes (统计用区划代码) nest: the county's six-digit
// GB/T 2260 code, three more digits for a township (GB/T 10114), three more
// for a village or community. A child's code is therefore its parent's code
// plus exactly three digits, which also keeps "ORDER BY code" in tree order.
const (
	countyCodeLen = 6
	childCodeStep = 3
	maxNameZH     = 60
	maxNameEN     = 120
)

// Kind is one sort of division at one level, stored by its Chinese name
// (镇, 村 …) because that is what the statistical lists and the users' sheets
// say; Slug names its translation (org.kind.<slug>).
type Kind struct {
	Slug  string
	ZH    string
	Level Level
}

// Kinds lists the divisions each level may hold, in the order forms offer them.
var Kinds = []Kind{
	{"county", "县", County}, {"county_city", "县级市", County}, {"district", "区", County},
	{"autonomous_county", "自治县", County},
	{"town", "镇", Township}, {"township", "乡", Township}, {"ethnic_township", "民族乡", Township},
	{"subdistrict", "街道", Township}, {"management_area", "管理区", Township},
	{"development_zone", "开发区", Township},
	{"village", "村", Village}, {"community", "社区", Village}, {"compound", "小区", Village},
}

// Levels lists the levels from the top.
var Levels = []Level{County, Township, Village}

// KindsOf returns the kinds a node of level may have.
func KindsOf(level Level) []Kind {
	var out []Kind
	for _, k := range Kinds {
		if k.Level == level {
			out = append(out, k)
		}
	}
	return out
}

// KindSlug returns the translation slug of a stored kind, "" if unknown.
func KindSlug(zh string) string {
	for _, k := range Kinds {
		if k.ZH == zh {
			return k.Slug
		}
	}
	return ""
}

// ParseKind reads a kind as a user or a sheet writes it — the Chinese name,
// the slug or the English label — and returns the stored Chinese name.
// english maps slugs to their English labels (from the catalog).
func ParseKind(s string, english func(slug string) string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	for _, k := range Kinds {
		if s == k.ZH || strings.EqualFold(s, k.Slug) || (english != nil && strings.EqualFold(s, english(k.Slug))) {
			return k.ZH, true
		}
	}
	return s, false
}

// kindSuffixes are name endings that say the kind without being its name:
// a 居委会 is a community's committee, a 家属院 a residential compound.
var kindSuffixes = map[string]string{"居委会": "社区", "村委会": "村", "家属院": "小区", "家属区": "小区"}

// inferKind guesses a kind from the end of a name (凤凰镇 → 镇, 晶福苑小区 →
// 小区), only among the kinds of level; "" when nothing fits.
func inferKind(name string, level Level) string {
	best, kind := "", ""
	try := func(suffix, k string) {
		if strings.HasSuffix(name, suffix) && len(suffix) > len(best) {
			best, kind = suffix, k
		}
	}
	for _, k := range KindsOf(level) {
		try(k.ZH, k.ZH)
	}
	for suffix, k := range kindSuffixes {
		if KindSlug(k) != "" && kindLevel(k) == level {
			try(suffix, k)
		}
	}
	return kind
}

func kindLevel(zh string) Level {
	for _, k := range Kinds {
		if k.ZH == zh {
			return k.Level
		}
	}
	return ""
}

// ParseLevel reads a level as written in a sheet: its slug or its label in
// either language (label gives the catalog text of a slug in one language).
func ParseLevel(s string, labels ...func(Level) string) (Level, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	for _, l := range Levels {
		if strings.EqualFold(s, string(l)) {
			return l, true
		}
		for _, label := range labels {
			if strings.EqualFold(s, label(l)) {
				return l, true
			}
		}
	}
	return "", false
}

// checkNode records on fc every problem of n as a node of level under parent
// (nil for the county root). It trims the text fields and fills an empty kind
// from the name, so what is stored is what was checked.
func checkNode(fc *errs.FieldCollector, n *Node, parent *Node) {
	n.Code = strings.TrimSpace(n.Code)
	checkCode(fc, n.Code, parent)
	checkFields(fc, n)
}

// checkFields checks everything but the code; the kind only when the level
// is known.
func checkFields(fc *errs.FieldCollector, n *Node) {
	n.NameZH, n.NameEN = strings.TrimSpace(n.NameZH), strings.TrimSpace(n.NameEN)
	switch {
	case n.NameZH == "":
		fc.Add("name_zh", "errs.required")
	case len([]rune(n.NameZH)) > maxNameZH:
		fc.Add("name_zh", "errs.too_long", maxNameZH)
	}
	if len([]rune(n.NameEN)) > maxNameEN {
		fc.Add("name_en", "errs.too_long", maxNameEN)
	}
	if n.Level != "" {
		checkKind(fc, n)
	}
	checkCounts(fc, n)
}

// checkCode applies the nesting rule of statistical codes.
func checkCode(fc *errs.FieldCollector, code string, parent *Node) {
	switch {
	case code == "":
		fc.Add("code", "errs.required")
	case !isDigits(code):
		fc.Add("code", "org.code_digits")
	case parent == nil && len(code) != countyCodeLen:
		fc.Add("code", "org.code_county_len", countyCodeLen)
	case parent != nil && !strings.HasPrefix(code, parent.Code):
		fc.Add("code", "org.code_prefix", parent.Code)
	case parent != nil && len(code) != len(parent.Code)+childCodeStep:
		fc.Add("code", "org.code_len", len(parent.Code)+childCodeStep, parent.Code)
	}
}

func checkKind(fc *errs.FieldCollector, n *Node) {
	n.Kind = strings.TrimSpace(n.Kind)
	if n.Kind == "" {
		n.Kind = inferKind(n.NameZH, n.Level)
		return
	}
	for _, k := range KindsOf(n.Level) {
		if k.ZH == n.Kind {
			return
		}
	}
	fc.Add("kind", "org.bad_kind")
}

func checkCounts(fc *errs.FieldCollector, n *Node) {
	if n.Population < 0 {
		fc.Add("population", "org.negative")
	}
	if n.Households < 0 {
		fc.Add("households", "org.negative")
	}
	// Every household has at least one member; more households than people
	// is a typing error (swapped columns, an extra digit).
	if n.Population > 0 && n.Households > n.Population {
		fc.Add("households", "org.households_gt_population")
	}
}

// checkDepartment trims and checks a department.
func checkDepartment(d *Department) error {
	var fc errs.FieldCollector
	d.Code, d.NameZH, d.NameEN = strings.TrimSpace(d.Code), strings.TrimSpace(d.NameZH), strings.TrimSpace(d.NameEN)
	switch {
	case d.Code == "":
		fc.Add("code", "errs.required")
	case len([]rune(d.Code)) > 32 || strings.ContainsFunc(d.Code, isSpace):
		fc.Add("code", "org.dept_code")
	}
	switch {
	case d.NameZH == "":
		fc.Add("name_zh", "errs.required")
	case len([]rune(d.NameZH)) > maxNameZH:
		fc.Add("name_zh", "errs.too_long", maxNameZH)
	}
	if len([]rune(d.NameEN)) > maxNameEN {
		fc.Add("name_en", "errs.too_long", maxNameEN)
	}
	return fc.Err()
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' }

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
