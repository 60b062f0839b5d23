package excel

import (
	"io"

	"fangkong/internal/platform/i18n"
)

// ReportSheet writes a Report's problems as an .xlsx in lang (row, column,
// reason), for the user to download beside their file and fix it row by
// row. A truncated report says so in a last line.
func ReportSheet(w io.Writer, lang i18n.Lang, rep Report) error {
	cols := []Column{
		{Header: msg("excel.report.row"), Width: 10},
		{Header: msg("excel.report.column"), Width: 24},
		{Header: msg("excel.report.reason"), Width: 60},
	}
	return Export(w, lang, i18n.T(lang, "excel.report.sheet"), cols, func(yield func([]any) error) error {
		for _, p := range rep.Errors {
			var row any
			if p.Row > 0 {
				row = p.Row
			}
			if err := yield([]any{row, p.Column, p.Msg.In(lang)}); err != nil {
				return err
			}
		}
		if rep.Truncated {
			return yield([]any{nil, nil, i18n.T(lang, "excel.report.truncated", len(rep.Errors), rep.Bad)})
		}
		return nil
	})
}
