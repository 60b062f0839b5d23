package excel

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fangkong/internal/platform/i18n"
)

// day is a calendar-day type like storage.Date: a fmt.Stringer.
type day string

func (d day) String() string { return string(d) }

type status string

func exportRows(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	cols := []Column{{Header: i18n.Msg{Key: "姓名"}}, {Header: i18n.Msg{Key: "身份证号"}}, {Header: i18n.Msg{Key: "体温"}},
		{Header: i18n.Msg{Key: "返乡时间"}}, {Header: i18n.Msg{Key: "日期"}}, {Header: i18n.Msg{Key: "备注"}}}
	var b bytes.Buffer
	err := Export(&b, i18n.ZH, "人员名单", cols, func(yield func([]any) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	at := time.Date(2020, 2, 22, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	var nilTime *time.Time
	data := exportRows(t,
		[]any{"张三", "130528199001011234", 36.5, at, day("2020-02-22"), "凤凰镇，“重点人员”<返乡>&观察"},
		[]any{"李四", "130528198502023456", 37, nilTime, day(""), status("已解除")},
		[]any{"王五", "13052819750303789X", float32(36.8), time.Time{}, nil, int64(-3)},
		[]any{"赵六", "130528200012120011"}, // short row: the rest blank
	)
	got, rep, err := readAll(t, data, personFields)
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"#": "2", "name": "张三", "id": "130528199001011234", "temp": "36.5", "arrived": "2020-02-22 10:30", "day": "2020-02-22", "note": "凤凰镇，“重点人员”<返乡>&观察"},
		{"#": "3", "name": "李四", "id": "130528198502023456", "temp": "37", "arrived": "", "day": "", "note": "已解除"},
		{"#": "4", "name": "王五", "id": "13052819750303789X", "temp": "36.8", "arrived": "", "day": "", "note": "-3"},
		{"#": "5", "name": "赵六", "id": "130528200012120011", "temp": "", "arrived": "", "day": "", "note": ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		for k, v := range want[i] {
			if got[i][k] != v {
				t.Errorf("row %d %s = %q, want %q", i+2, k, got[i][k], v)
			}
		}
	}
	if rep.Total != 4 || rep.OK != 4 || rep.Bad != 0 || !rep.Done {
		t.Errorf("report %+v", rep)
	}
}

// TestCellsAreTyped checks numbers and dates are real numbers and dates in
// Excel (they sort and sum), the header is bold and frozen.
func TestCellsAreTyped(t *testing.T) {
	data := exportRows(t, []any{"张三", "130528199001011234", 36.5, time.Date(2020, 2, 22, 10, 30, 0, 0, time.UTC), day("2020-02-22"), 42})
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "人员名单" {
		t.Fatalf("sheets %v", got)
	}
	for cell, want := range map[string]excelize.CellType{"A2": excelize.CellTypeInlineString, "B2": excelize.CellTypeInlineString,
		"C2": excelize.CellTypeUnset, "D2": excelize.CellTypeUnset, "E2": excelize.CellTypeUnset, "F2": excelize.CellTypeUnset} {
		if got, _ := f.GetCellType("人员名单", cell); got != want {
			t.Errorf("%s type %v, want %v", cell, got, want)
		}
	}
	if v, _ := f.GetCellValue("人员名单", "D2", excelize.Options{RawCellValue: true}); v != "43883.4375" {
		t.Errorf("D2 serial %q", v)
	}
	if v, _ := f.GetCellValue("人员名单", "E2", excelize.Options{RawCellValue: true}); v != "43883" {
		t.Errorf("E2 serial %q", v)
	}
	sid, _ := f.GetCellStyle("人员名单", "A1")
	st, _ := f.GetStyle(sid)
	if st == nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header not bold: %+v", st)
	}
	panes, _ := f.GetPanes("人员名单")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
}

// TestFormulaInjectionStaysText: a value such as =HYPERLINK(…) typed by a
// resident must reach the commander's Excel as text, never as a formula.
func TestFormulaInjectionStaysText(t *testing.T) {
	evil := []string{`=HYPERLINK("http://evil","点击")`, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0"}
	var rows [][]any
	for _, e := range evil {
		rows = append(rows, []any{"张三", "130528199001011234", nil, nil, nil, e})
	}
	data := exportRows(t, rows...)
	sheet := sheetXML(t, data)
	if strings.Contains(sheet, "<f>") || strings.Contains(sheet, "<f ") {
		t.Fatalf("a formula was written:\n%s", sheet)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, e := range evil {
		cell, _ := excelize.CoordinatesToCellName(6, i+2)
		if fm, _ := f.GetCellFormula("人员名单", cell); fm != "" {
			t.Errorf("%s has formula %q", cell, fm)
		}
		sid, _ := f.GetCellStyle("人员名单", cell)
		if st, _ := f.GetStyle(sid); st == nil || st.NumFmt != 49 {
			t.Errorf("%s (%q) is not formatted as text: %+v", cell, e, st)
		}
	}
	got, _, err := readAll(t, data, personFields)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range evil {
		if g := got[i]["note"]; g != strings.TrimSpace(e) {
			t.Errorf("read back %q, want %q", g, e)
		}
	}
}

func sheetXML(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatal("no sheet")
	return ""
}

func TestExportStopsOnRowError(t *testing.T) {
	var b bytes.Buffer
	boom := io.ErrUnexpectedEOF
	err := Export(&b, i18n.EN, "x", []Column{{Header: i18n.Msg{Key: "a"}}}, func(yield func([]any) error) error {
		_ = yield([]any{"1"})
		return boom
	})
	if err != boom || b.Len() != 0 {
		t.Errorf("err %v, %d bytes written", err, b.Len())
	}
}

func TestExportTranslatesHeaders(t *testing.T) {
	var b bytes.Buffer
	cols := []Column{{Header: i18n.Msg{Key: "excel.report.row"}}, {Header: i18n.Msg{Key: "excel.report.reason"}}}
	if err := Export(&b, i18n.EN, "Problems", cols, func(func([]any) error) error { return nil }); err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenReader(&b)
	defer f.Close()
	if v, _ := f.GetCellValue("Problems", "B1"); v != "Problem" {
		t.Errorf("header %q", v)
	}
}

func TestSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"人员名单":                  "人员名单",
		"":                      "Sheet1",
		"a/b:c?d*[e]":           "a_b_c_d__e_",
		"'quoted'":              "quoted",
		strings.Repeat("疫", 40): strings.Repeat("疫", 31),
		"2020年2月22日宁晋县新冠肺炎疫情防控工作情况通报附表一（重点人员）": "2020年2月22日宁晋县新冠肺炎疫情防控工作情况通报附表一（",
		"a😀" + strings.Repeat("b", 30): "a😀" + strings.Repeat("b", 28),
	} {
		if got := SheetName(in); got != want {
			t.Errorf("SheetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDownloadHeaders(t *testing.T) {
	name := Filename("病例 名单", time.Date(2020, 2, 22, 23, 0, 0, 0, time.UTC))
	if name != "病例 名单-20200222.xlsx" {
		t.Fatalf("Filename = %q", name)
	}
	if got := Filename(`../a/b"c`, time.Date(2020, 2, 22, 0, 0, 0, 0, time.UTC)); got != ".._a_b_c-20200222.xlsx" {
		t.Errorf("Filename = %q", got)
	}
	w := httptest.NewRecorder()
	SetDownloadHeaders(w, name)
	cd := w.Header().Get("Content-Disposition")
	want := `attachment; filename="_ _-20200222.xlsx"; filename*=UTF-8''%E7%97%85%E4%BE%8B%20%E5%90%8D%E5%8D%95-20200222.xlsx`
	if cd != want {
		t.Errorf("Content-Disposition\n got %s\nwant %s", cd, want)
	}
	if w.Header().Get("Content-Type") != ContentType || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", w.Header())
	}
}

// TestConcurrentExports: more exports than build slots all finish, and each
// file is whole.
func TestConcurrentExports(t *testing.T) {
	const n = 6
	errc := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			var b bytes.Buffer
			err := exportBench(&b, 2000)
			if err == nil {
				_, rep, rerr := readAll(t, b.Bytes(), benchFields)
				if rerr != nil || rep.OK != 2000 {
					err = fmt.Errorf("read back: %v %+v", rerr, rep)
				}
			}
			errc <- err
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}
