package excel

import (
	"net/http"
	"strings"
	"time"
)

// ContentType is the media type of an .xlsx file.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Filename names a download after what it holds and the day it was made,
// e.g. Filename("cases", t) is "cases-20200222.xlsx" and Filename("病例", t)
// "病例-20200222.xlsx". t is taken at its own location: pass the county's
// time so the date is the one on the user's calendar.
func Filename(base string, t time.Time) string {
	base = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(base))
	if base == "" {
		base = "export"
	}
	return base + "-" + t.Format("20060102") + ".xlsx"
}

// SetDownloadHeaders makes the response a download named filename. Browsers
// take the UTF-8 name from filename* (RFC 6266, RFC 5987), so Chinese names
// survive; filename= carries an ASCII stand-in for very old clients. The
// file is never cached: exports hold personal data.
func SetDownloadHeaders(w http.ResponseWriter, filename string) {
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Content-Disposition", `attachment; filename="`+asciiName(filename)+`"; filename*=UTF-8''`+pctEncode(filename))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
}

// asciiName replaces every byte a quoted-string fallback cannot carry.
func asciiName(s string) string {
	var b strings.Builder
	under := false
	for _, r := range s {
		if r < ' ' || r > '~' || r == '"' || r == '\\' || r == '%' {
			if !under {
				b.WriteByte('_')
			}
			under = true
			continue
		}
		b.WriteRune(r)
		under = false
	}
	return b.String()
}

// pctEncode percent-encodes every byte outside RFC 5987's attr-char.
func pctEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
