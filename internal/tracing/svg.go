package tracing

import (
	"html"
	"strconv"
	"strings"

	"fangkong/internal/platform/i18n"
)

// svgTree draws a subtree (rows in depth-first order, as Chain.Rows gives
// them) as an SVG: one line per person, indented by generation, with an
// elbow from each person to their children. Cases are filled red. Places are
// named in lang.
func svgTree(rows []ViewRow, lang i18n.Lang) string {
	const dx, dy, pad = 28, 24, 12
	width := 0
	for _, r := range rows {
		width = max(width, pad+r.Depth*dx+260)
	}
	height := pad*2 + len(rows)*dy
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="tr-svg" role="img" viewBox="0 0 ` +
		strconv.Itoa(width) + " " + strconv.Itoa(height) + `" width="` + strconv.Itoa(width) + `" height="` + strconv.Itoa(height) + `">`)
	last := map[int]int{} // depth → y of the last person drawn at it
	for i, r := range rows {
		x, y := pad+r.Depth*dx, pad+i*dy+dy/2
		if r.Depth > 0 {
			py := last[r.Depth-1]
			px := pad + (r.Depth-1)*dx + 6
			b.WriteString(`<path class="tr-edge" d="M` + itoa64(px) + " " + itoa64(py+6) + " V" + itoa64(y) + " H" + itoa64(x-6) + `"/>`)
		}
		last[r.Depth] = y
		cls := "tr-dot"
		if r.CaseID != 0 {
			cls += " tr-case"
		}
		b.WriteString(`<circle class="` + cls + `" cx="` + itoa64(x) + `" cy="` + itoa64(y) + `" r="6"/>`)
		label := r.Name + " · " + r.Division(lang)
		if r.Via != nil {
			label += " · " + r.Day.String()
		}
		if r.Collapsed {
			label += " (+" + strconv.Itoa(r.Descendants) + ")"
		}
		b.WriteString(`<text x="` + itoa64(x+12) + `" y="` + itoa64(y+5) + `">` + html.EscapeString(label) + `</text>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func itoa64(n int) string { return strconv.Itoa(n) }
