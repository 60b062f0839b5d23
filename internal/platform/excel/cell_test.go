package excel

import (
	"database/sql"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

type selfValuer struct{}

func (selfValuer) Value() (any, error) { return selfValuer{}, nil }

type flag bool

// TestCellTypes checks what each Go value becomes in the sheet.
func TestCellTypes(t *testing.T) {
	st := styles{header: 1, dateTime: 2, date: 3, text: 4}
	s, n := "张三", 7
	var nilStr *string
	at := time.Date(2020, 2, 22, 10, 30, 0, 0, time.UTC)
	cases := []struct {
		in   any
		want any
	}{
		{nil, nil},
		{"", nil},
		{"张三", "张三"},
		{"=1+1", excelize.Cell{StyleID: 4, Value: "=1+1"}},
		{42, 42},
		{int64(-3), int64(-3)},
		{uint8(3), uint8(3)},
		{36.5, 36.5},
		{float32(36.8), 36.8},
		{math.NaN(), nil},
		{math.Inf(1), nil},
		{true, true},
		{at, excelize.Cell{StyleID: 2, Value: at}},
		{time.Time{}, nil},
		{day("2020-02-22"), excelize.Cell{StyleID: 3, Value: time.Date(2020, 2, 22, 0, 0, 0, 0, time.UTC)}},
		{day("2020-2-22"), "2020-2-22"},
		{day(""), nil},
		{status("已解除"), "已解除"},
		{status("-1"), excelize.Cell{StyleID: 4, Value: "-1"}},
		{flag(true), true},
		{&s, "张三"},
		{&n, 7},
		{nilStr, nil},
		{sql.NullString{}, nil},
		{sql.NullString{String: "x", Valid: true}, "x"},
		{sql.NullInt64{Int64: 5, Valid: true}, int64(5)},
		{sql.NullTime{Time: at, Valid: true}, excelize.Cell{StyleID: 2, Value: at}},
		{selfValuer{}, "{}"},
		{[]byte("abc"), "abc"},
		{struct{ A int }{1}, "{1}"},
	}
	for _, c := range cases {
		if got := st.cell(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("cell(%#v) = %#v, want %#v", c.in, got, c.want)
		}
	}
}
