package excel

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"fangkong/internal/platform/i18n"
)

// Field is one column a register imports.
type Field struct {
	Key      string   // the caller's name for it, used with Row.Get
	Headers  []string // accepted header texts; Template shows the first Chinese one in zh, the first other in en
	Required bool     // the column must exist and each row must fill it
}

// HeadersOf is the header texts of a label in every language plus any
// aliases, so an import accepts exactly what the export writes:
// Field{Key: "phone", Headers: excel.HeadersOf(i18n.Msg{Key: "person.phone"}, "手机", "电话")}.
func HeadersOf(label i18n.Msg, aliases ...string) []string {
	out := make([]string, 0, len(i18n.Langs)+len(aliases))
	for _, l := range i18n.Langs {
		out = append(out, label.In(l))
	}
	return append(out, aliases...)
}

// normHeader folds the ways people write the same header: surrounding and
// inner spaces and line breaks, full-width letters (ＩＤ), case, and the
// asterisk that Chinese templates put on required columns (*姓名).
func normHeader(s string) string {
	s = width.Fold.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || isInvisible(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return strings.Trim(s, "*")
}

// isInvisible is the zero-width characters copy-paste from web pages and
// chat apps leaves in cells; unicode.IsSpace does not cover them.
func isInvisible(r rune) bool {
	return r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff'
}

// trimCell trims the spaces and invisible characters around a cell value.
func trimCell(s string) string {
	if s == "" {
		return s
	}
	// Fast path: most cells have nothing to trim.
	if c, d := s[0], s[len(s)-1]; c > ' ' && c < 0x80 && d > ' ' && d < 0x80 {
		return s
	}
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isInvisible(r) })
}

// headerMap is a header row matched against the fields.
type headerMap struct {
	col     []int    // field index -> 0-based file column, -1 if absent
	text    []string // field index -> header as written in the file
	dup     []string // fields found twice: the second header text
	matched int
}

// matchHeader matches one candidate header row against the fields.
func matchHeader(fields []Field, index map[string]int, cells []string) headerMap {
	h := headerMap{col: make([]int, len(fields)), text: make([]string, len(fields))}
	for i := range h.col {
		h.col[i] = -1
	}
	for c, v := range cells {
		fi, ok := index[normHeader(v)]
		if !ok || v == "" {
			continue
		}
		if h.col[fi] >= 0 {
			h.dup = append(h.dup, strings.TrimSpace(v))
			continue
		}
		h.col[fi], h.text[fi] = c, strings.TrimSpace(v)
		h.matched++
	}
	return h
}

// complete says whether every required field was found.
func (h headerMap) complete(fields []Field) bool {
	for i, f := range fields {
		if f.Required && h.col[i] < 0 {
			return false
		}
	}
	return h.matched > 0
}

// headerIndex maps every accepted header text, normalized, to its field.
func headerIndex(fields []Field) map[string]int {
	m := make(map[string]int)
	for i, f := range fields {
		for _, h := range f.Headers {
			if n := normHeader(h); n != "" {
				if _, taken := m[n]; !taken {
					m[n] = i
				}
			}
		}
	}
	return m
}

// headerFor is the field's header in Chinese (han) or another language: the
// first accepted text that does or does not contain Chinese characters.
func headerFor(f Field, han bool) string {
	for _, h := range f.Headers {
		if hasHan(h) == han {
			return h
		}
	}
	return first(f.Headers)
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
