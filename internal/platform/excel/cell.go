package excel

import (
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// styles are the few cell styles an export needs, created once per workbook.
type styles struct {
	header   int // bold header row
	dateTime int // yyyy-mm-dd hh:mm
	date     int // yyyy-mm-dd, for calendar days (fmt.Stringer dates)
	text     int // "@": keeps a formula-like string text even after the user edits it
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	dt, d := "yyyy-mm-dd hh:mm", "yyyy-mm-dd"
	for _, x := range []struct {
		id *int
		st *excelize.Style
	}{
		{&s.header, &excelize.Style{Font: &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&s.dateTime, &excelize.Style{CustomNumFmt: &dt}},
		{&s.date, &excelize.Style{CustomNumFmt: &d}},
		{&s.text, &excelize.Style{NumFmt: 49}},
	} {
		if *x.id, err = f.NewStyle(x.st); err != nil {
			return s, err
		}
	}
	return s, nil
}

// cell turns one Go value into what the stream writer should store, typed so
// that Excel sorts and sums it properly. The common types come first and
// avoid reflection: this runs for every cell of a 100,000-row export.
func (s styles) cell(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return s.str(x)
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return x
	case float64:
		return finite(x)
	case float32:
		// Via its shortest decimal, so float32(36.8) is 36.8, not 36.7999992370605.
		f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(x), 'g', -1, 32), 64)
		return finite(f)
	case bool:
		return x
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: s.dateTime, Value: x}
	case fmt.Stringer:
		return s.stringer(x)
	case driver.Valuer:
		// sql.NullString, sql.NullTime, …: nullable columns straight from a scan.
		dv, err := x.Value()
		if err != nil {
			return nil
		}
		if _, again := dv.(driver.Valuer); again {
			return s.str(fmt.Sprint(dv)) // a Valuer returning itself would recurse forever
		}
		return s.cell(dv)
	case []byte:
		return s.str(string(x))
	}
	return s.other(v)
}

// str writes a string as text. A string is never a formula in the file, but
// one that looks like a formula (=, +, -, @, tab, CR: the CSV-injection
// prefixes) gets the text format too, so that editing the cell in Excel or
// saving the sheet as CSV keeps it inert.
func (s styles) str(x string) any {
	if x == "" {
		return nil
	}
	switch x[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return excelize.Cell{StyleID: s.text, Value: x}
	}
	return x
}

// stringer writes a calendar day (a type whose String is 2006-01-02, such as
// storage.Date) as a real date cell, and anything else as its text.
func (s styles) stringer(x fmt.Stringer) any {
	if p := reflect.ValueOf(x); p.Kind() == reflect.Pointer && p.IsNil() {
		return nil
	}
	str := x.String()
	if len(str) == len(dateLayout) {
		if d, err := time.Parse(dateLayout, str); err == nil {
			return excelize.Cell{StyleID: s.date, Value: d}
		}
	}
	return s.str(str)
}

// other handles pointers (nil is an empty cell) and named types such as
// `type Status string`; anything else is written as its fmt text.
func (s styles) other(v any) any {
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Pointer:
		if r.IsNil() {
			return nil
		}
		return s.cell(r.Elem().Interface())
	case reflect.String:
		return s.str(r.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return r.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return r.Uint()
	case reflect.Float32, reflect.Float64:
		return finite(r.Float())
	case reflect.Bool:
		return r.Bool()
	}
	return s.str(fmt.Sprint(v))
}

// finite drops NaN and ±Inf, which have no Excel form and would make the
// file unreadable.
func finite(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}

const dateLayout = "2006-01-02"
