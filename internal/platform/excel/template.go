package excel

import (
	"io"

	"fangkong/internal/platform/i18n"
)

// Template writes an empty sheet with the fields' header row in lang, for
// users to fill in and import. Required columns are marked with an
// asterisk, the Chinese form convention; Read ignores it. Every column is
// formatted as text, because Excel otherwise turns an 18-digit ID number
// into 1.30528E+17 and loses its last digits for good.
func Template(w io.Writer, lang i18n.Lang, sheet string, fields []Field) error {
	f, sw, st, err := newSheet(sheet)
	if err != nil {
		return err
	}
	defer f.Close()
	headers := make([]string, len(fields))
	for i, fd := range fields {
		headers[i] = headerFor(fd, lang == i18n.ZH)
		if fd.Required {
			headers[i] = "*" + headers[i]
		}
	}
	if len(fields) > 0 {
		if err := sw.SetColStyle(1, len(fields), st.text); err != nil {
			return err
		}
	}
	if err := writeHeader(sw, st, headers, make([]float64, len(fields))); err != nil {
		return err
	}
	return finish(f, sw, w, func() {})
}
