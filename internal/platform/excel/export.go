package excel

import (
	"archive/zip"
	"compress/flate"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"fangkong/internal/platform/i18n"
)

// ErrTooManyRows is returned by Export past the 1,048,575 data rows one
// sheet holds; the caller should ask the user to narrow the filter.
var ErrTooManyRows = errors.New("excel: more rows than a sheet holds")

// Column is one column of an export.
type Column struct {
	Header i18n.Msg // translated into the reader's language when written
	Width  float64  // in Excel character widths; 0 picks one from the header
}

// Export writes one sheet to w: a bold, frozen header row in lang, then each
// row that rows yields, as it yields it. rows is called once; it should scan
// the database and call yield per record, returning yield's error if any so
// that a failed write stops the scan.
//
// A row's values match cols by position; missing ones are blank, extra ones
// ignored. Cells keep their Go type, so Excel sorts and sums them: strings
// as text (formula-like ones stay text), integers and floats as numbers,
// bool as TRUE/FALSE, time.Time as a date-time (yyyy-mm-dd hh:mm at the wall
// clock of the time's own location: pass t.In(countyZone)), a fmt.Stringer
// whose text is 2006-01-02 (storage.Date) as a date, other Stringers as
// their text, sql.Null* values by their value, and nil, nil pointers, zero
// times, NaN and Inf as empty cells.
//
// Building the file takes one of a few process-wide slots (see buildSlots);
// the rows go to a temporary buffer and the finished file is written to w
// at the end, so an error arrives before any byte of a broken file reaches
// the user.
func Export(w io.Writer, lang i18n.Lang, sheet string, cols []Column, rows func(yield func(row []any) error) error) error {
	buildSlots <- struct{}{}
	release := sync.OnceFunc(func() { <-buildSlots })
	defer release()
	f, sw, st, err := newSheet(sheet)
	if err != nil {
		return err
	}
	defer f.Close()
	headers := make([]string, len(cols))
	widths := make([]float64, len(cols))
	for i, c := range cols {
		headers[i], widths[i] = c.Header.In(lang), c.Width
	}
	if err := writeHeader(sw, st, headers, widths); err != nil {
		return err
	}
	if err := writeRows(sw, st, len(cols), rows); err != nil {
		return err
	}
	return finish(f, sw, w, release)
}

// buildSlots caps the exports being built at once. excelize keeps up to
// 16 MB of sheet in memory before spilling to disk, in a buffer that grows
// by doubling, and builds the zip in memory: about 60 MB at the peak of a
// 100,000-row export. Two slots keep both cores busy and the server within
// its 250 MB (SPEC §14) however many users export at once; the others wait.
var buildSlots = make(chan struct{}, 2)

// writeRows streams the caller's rows into the sheet, from row 2.
func writeRows(sw *excelize.StreamWriter, st styles, ncols int, rows func(yield func(row []any) error) error) error {
	n := 1
	buf := make([]any, ncols)
	return rows(func(row []any) error {
		n++
		if n > maxRows {
			return ErrTooManyRows
		}
		for i := range buf {
			buf[i] = nil
			if i < len(row) {
				buf[i] = st.cell(row[i])
			}
		}
		return sw.SetRow("A"+strconv.Itoa(n), buf)
	})
}

// finish builds the file, frees the workbook and its slot, and only then
// sends the file: a phone on a slow connection holds the few megabytes of
// the finished file, not a build slot.
func finish(f *excelize.File, sw *excelize.StreamWriter, w io.Writer, release func()) error {
	if err := sw.Flush(); err != nil {
		return err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	release()
	_, err = buf.WriteTo(w)
	return err
}

// newSheet starts a one-sheet workbook for streaming.
func newSheet(name string) (*excelize.File, *excelize.StreamWriter, styles, error) {
	f := excelize.NewFile()
	f.ZipWriter = fastZip
	name = SheetName(name)
	st, err := newStyles(f)
	if err == nil {
		err = f.SetSheetName("Sheet1", name)
	}
	var sw *excelize.StreamWriter
	if err == nil {
		sw, err = f.NewStreamWriter(name)
	}
	if err != nil {
		f.Close()
	}
	return f, sw, st, err
}

// fastZip compresses with flate.BestSpeed: on a 100,000-row export it cuts
// compression from a third of the time to a tenth, for a file about a fifth
// larger, and the export is waited for while the download is not.
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}

// writeHeader sets the column widths, freezes the first row so it stays in
// view while scrolling, and writes the header cells in bold.
func writeHeader(sw *excelize.StreamWriter, st styles, headers []string, widths []float64) error {
	for i, h := range headers {
		w := widths[i]
		if w <= 0 {
			w = autoWidth(h)
		}
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(headers))
	for i, h := range headers {
		row[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	return sw.SetRow("A1", row, excelize.RowOpts{StyleID: st.header})
}

// autoWidth guesses a width from the header: a Chinese character is about
// two Latin ones wide. Data may be wider; 12 is a readable minimum.
func autoWidth(h string) float64 {
	w := 0.0
	for _, r := range h {
		if r < utf8.RuneSelf {
			w++
		} else {
			w += 2
		}
	}
	return min(max(w+2, 12), 60)
}

// SheetName makes s a valid sheet name: Excel forbids : \ / ? * [ ], a
// leading or trailing apostrophe and more than 31 characters, and rejects
// the whole file rather than the name.
func SheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < ' ' {
			return '_'
		}
		return r
	}, strings.TrimSpace(s))
	// 31 UTF-16 units: a CJK character is one, an emoji two.
	units := 0
	for i, r := range s {
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > 31 {
			s = s[:i]
			break
		}
		units += u
	}
	s = strings.Trim(s, "'")
	if s == "" {
		return "Sheet1"
	}
	return s
}
