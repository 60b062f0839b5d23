package excel

import (
	"bytes"
	"errors"
	"io"
	"strconv"
)

// Excel's sheet bounds; a file claiming more is damaged or hostile.
const (
	maxRows = 1 << 20
	maxCols = 1 << 14
)

var errSheet = errors.New("excel: malformed sheet")

// sheetReader streams the rows of one worksheet part. After Next, num and
// cells describe the row; cells is reused by the following Next.
type sheetReader struct {
	b     *book
	rc    io.ReadCloser
	s     *xmlScanner
	num   int      // row number of the current row
	cells []string // current row, by 0-based column
	width int      // columns kept; the rest are skipped (0: all)
	err   error    // why Next returned false, if not the end
	buf   []byte   // scratch for one cell's value
}

func (b *book) rows() (*sheetReader, error) {
	rc, err := b.open(b.sheet.Name, maxSheet)
	if err != nil {
		return nil, err
	}
	return &sheetReader{b: b, rc: rc, s: newXMLScanner(rc)}, nil
}

// Next reads the next <row> present in the file. Rows absent from the file
// are blank; the row number skips over them, as Excel's numbering does.
func (x *sheetReader) Next() bool {
	if x.err != nil {
		return false
	}
	for {
		if err := x.s.next(); err != nil {
			if err != io.EOF {
				x.err = err
			}
			return false
		}
		local, end, empty := x.s.name()
		if end || string(local) != "row" {
			if end && string(local) == "sheetData" {
				return false
			}
			continue
		}
		num := x.num + 1
		if r, ok := x.s.attr("r"); ok {
			n, err := strconv.Atoi(string(r))
			if err != nil {
				x.err = errSheet
				return false
			}
			num = n
		}
		if num <= x.num || num > maxRows { // Excel writes rows in ascending order
			x.err = errSheet
			return false
		}
		x.num = num
		x.cells = x.cells[:0]
		if !empty {
			x.err = x.readRow()
		}
		return x.err == nil
	}
}

// readRow reads the cells up to </row>.
func (x *sheetReader) readRow() error {
	col := 0
	for {
		if err := x.s.next(); err != nil {
			return orSheet(err)
		}
		local, end, empty := x.s.name()
		if end && string(local) == "row" {
			return nil
		}
		if end || string(local) != "c" {
			continue
		}
		t, style, ref, err := x.cellAttrs()
		if err != nil {
			return err
		}
		if col++; ref > 0 {
			col = ref
		}
		if col > maxCols {
			return errSheet
		}
		if x.width > 0 && col > x.width {
			if !empty {
				if err := x.skip("c"); err != nil {
					return err
				}
			}
			continue
		}
		v, err := x.readCell(t, style, empty)
		if err != nil {
			return err
		}
		if v == "" {
			continue
		}
		for len(x.cells) < col-1 {
			x.cells = append(x.cells, "")
		}
		x.cells = append(x.cells[:col-1], v)
	}
}

// cellAttrs reads the current <c>'s type, style and column (0 when the
// cell has no r and follows the previous one), in one pass over the tag.
func (x *sheetReader) cellAttrs() (t cellType, style, col int, err error) {
	style = -1
	for a := x.s.attrs(); ; {
		name, val, ok := a.next()
		if !ok {
			return t, style, col, nil
		}
		switch string(name) {
		case "r":
			if col, ok = colIndex(val); !ok {
				return t, style, col, errSheet
			}
		case "t":
			t = parseCellType(val)
		case "s":
			style, _ = strconv.Atoi(string(val))
		}
	}
}

// cellType is a cell's t attribute.
type cellType uint8

const (
	typeNumber  cellType = iota // n, or no t: a number, maybe a date serial
	typeShared                  // s: an index into the shared strings
	typeText                    // inlineStr, str (a formula's text), e (#N/A)
	typeBool                    // b
	typeISODate                 // d
)

func parseCellType(t []byte) cellType {
	switch string(t) {
	case "s":
		return typeShared
	case "inlineStr", "str", "e":
		return typeText
	case "b":
		return typeBool
	case "d":
		return typeISODate
	}
	return typeNumber
}

// readCell reads the rest of one <c> of type t and style and returns the
// text Excel would show, dates as ISO text. A formula's cached result is its
// value; the formula itself is ignored.
func (x *sheetReader) readCell(t cellType, style int, empty bool) (string, error) {
	if empty {
		return "", nil
	}
	x.buf = x.buf[:0]
	collect := false
	for {
		if err := x.s.next(); err != nil {
			return "", orSheet(err)
		}
		local, end, selfClosed := x.s.name()
		if collect {
			x.buf = append(x.buf, x.s.text...)
		}
		switch {
		case end && string(local) == "c":
			return x.value(t, style, x.buf)
		case end:
			collect = false
		case selfClosed:
		case string(local) == "v" || string(local) == "t":
			collect = true
		case string(local) == "rPh": // phonetic guide: not part of the text
			if err := x.skip("rPh"); err != nil {
				return "", err
			}
		}
	}
}

// skip reads past the end tag of the element just opened.
func (x *sheetReader) skip(name string) error {
	for {
		if err := x.s.next(); err != nil {
			return orSheet(err)
		}
		local, end, _ := x.s.name()
		if end && string(local) == name {
			return nil
		}
	}
}

// value converts a cell's raw value by its type and style.
func (x *sheetReader) value(t cellType, style int, raw []byte) (string, error) {
	kind := notDate
	if style >= 0 && style < len(x.b.dates) {
		kind = x.b.dates[style]
	}
	switch t {
	case typeShared:
		i, err := strconv.Atoi(string(bytes.TrimSpace(raw)))
		if err != nil || i < 0 || i >= len(x.b.sst) {
			return "", errSheet
		}
		return x.b.sst[i], nil
	case typeText:
		return string(decodeText(nil, raw)), nil
	case typeBool:
		if string(bytes.TrimSpace(raw)) == "1" {
			return "TRUE", nil
		}
		return "FALSE", nil
	case typeISODate:
		return isoDate(string(bytes.TrimSpace(raw)), kind), nil
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", nil
	}
	if kind != notDate {
		if d, ok := formatSerial(nil, string(raw), kind, x.b.date1904); ok {
			return string(d), nil
		}
	}
	return string(formatNumber(nil, raw)), nil
}

// Close releases the sheet's inflater.
func (x *sheetReader) Close() error { return x.rc.Close() }

// colIndex is the 1-based column of a cell reference such as "AB12".
func colIndex(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > maxCols {
			return 0, false
		}
	}
	return col, i > 0
}

func orSheet(err error) error {
	if err == io.EOF {
		return errSheet
	}
	return err
}
