package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"time"

	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

func (rd *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(rd.zone).Format("2006-01-02 15:04")
		},
		"date":      func(d storage.Date) string { return d.String() },
		"maskID":    privacy.MaskID,
		"maskPhone": privacy.MaskPhone,
		"maskName":  privacy.MaskName,
		"maskAddr":  privacy.MaskAddress,
		"pct": func(num, den int) string {
			if den == 0 {
				return "—"
			}
			return fmt.Sprintf("%.0f%%", 100*float64(num)/float64(den))
		},
		"add": func(a, b int) int { return a + b },
		"json": func(v any) string {
			b, _ := json.Marshal(v)
			return string(b)
		},
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
}
