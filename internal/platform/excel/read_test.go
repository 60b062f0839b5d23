package excel

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fangkong/internal/platform/i18n"
)

// TestHeaderMatching: Chinese or English headers, any order, any case,
// full-width letters, required-mark asterisks, line breaks, a title row
// above the header, and unknown columns ignored.
func TestHeaderMatching(t *testing.T) {
	cases := map[string][][]any{
		"zh": {
			{"姓名", "身份证号", "体温"},
			{"张三", "130528199001011234", 36.5},
		},
		"en reordered": {
			{"temperature", "Remarks (ignored)", " ID NUMBER ", "name"},
			{36.5, "x", "130528199001011234", "张三"},
		},
		"marks and widths": {
			{"*姓名", "＊身份证号", "体\n温"},
			{"张三", "130528199001011234", "36.5"},
		},
		"full-width latin": {
			{"Ｎａｍｅ", "ＩＤ　Ｎｕｍｂｅｒ", "Temperature"},
			{"张三", "130528199001011234", 36.5},
		},
		"title row": {
			{"宁晋县返乡人员排查登记表"},
			{"填报单位：凤凰镇", nil, "填报日期：2020年2月22日"},
			{"姓名", "身份证号", "体温"},
			{"张三", "130528199001011234", 36.5},
		},
	}
	for name, rows := range cases {
		t.Run(name, func(t *testing.T) {
			got, rep, err := readAll(t, sheetFile(t, rows), personFields)
			if err != nil {
				t.Fatalf("%v %+v", err, rep.Errors)
			}
			if len(got) != 1 {
				t.Fatalf("rows %v", got)
			}
			g := got[0]
			if g["name"] != "张三" || g["id"] != "130528199001011234" || g["temp"] != "36.5" || g["#"] != fmt.Sprint(len(rows)) {
				t.Errorf("got %v", g)
			}
		})
	}
}

func TestMissingRequiredColumn(t *testing.T) {
	data := sheetFile(t, [][]any{
		{"姓名", "体温"},
		{"张三", 36.5},
	})
	called := false
	rep, err := Read(bytes.NewReader(data), personFields, func(Row) error { called = true; return nil }, nil)
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *FileError", err)
	}
	want := []RowProblem{{Row: 1, Column: "身份证号", Msg: i18n.Msg{Key: "excel.err.missing_column", Args: []any{"身份证号"}}}}
	if !reflect.DeepEqual(fe.Problems, want) || !reflect.DeepEqual(rep.Errors, want) {
		t.Errorf("problems %+v / %+v", fe.Problems, rep.Errors)
	}
	if called || rep.Done || Decide(ValidRows, rep) {
		t.Errorf("called %v, report %+v", called, rep)
	}
	if got := want[0].Msg.In(i18n.ZH); got != "缺少必填列“身份证号”" {
		t.Errorf("zh message %q", got)
	}
	// An English file is told the English column name.
	data = sheetFile(t, [][]any{{"Name", "Temperature"}, {"Zhang San", 36.5}})
	rep, _ = Read(bytes.NewReader(data), personFields, func(Row) error { return nil }, nil)
	if len(rep.Errors) != 1 || rep.Errors[0].Column != "ID number" {
		t.Errorf("english file: %+v", rep.Errors)
	}
}

func TestNoHeaderRow(t *testing.T) {
	data := sheetFile(t, [][]any{{"a", "b"}, {"c", "d"}})
	rep, err := Read(bytes.NewReader(data), personFields, func(Row) error { return nil }, nil)
	if err == nil || !reflect.DeepEqual(keys(rep.Errors), []string{"excel.err.no_header"}) {
		t.Fatalf("%v %+v", err, rep.Errors)
	}
	if got := rep.Errors[0].Msg.In(i18n.ZH); !strings.Contains(got, "姓名、身份证号") {
		t.Errorf("message %q", got)
	}
}

func TestDuplicateColumn(t *testing.T) {
	data := sheetFile(t, [][]any{{"姓名", "身份证号", "Name"}, {"张三", "1", "李四"}})
	rep, err := Read(bytes.NewReader(data), personFields, func(Row) error { return nil }, nil)
	if err == nil || !reflect.DeepEqual(keys(rep.Errors), []string{"excel.err.duplicate_column"}) || rep.Errors[0].Column != "Name" {
		t.Fatalf("%v %+v", err, rep.Errors)
	}
}

// TestRowNumbers: problems carry the row number Excel shows; blank rows
// (absent, or present with only spaces) are skipped but keep the numbering.
func TestRowNumbers(t *testing.T) {
	data := sheetFile(t, [][]any{
		{"姓名", "身份证号", "体温"},  // 1
		{"张三", "1", 36.5},     // 2 ok
		nil,                   // 3 absent
		{"  ", "\u3000", nil}, // 4 spaces only
		{"坏人", "2", 36.6},     // 5 rejected by the validator
		{"李四", "", 36.7},      // 6 required id blank
		{"王五", "3", "四十"},     // 7 rejected, two cells
		{"赵六", "4", 36.8},     // 8 ok
	})
	var seen []int
	rep, err := Read(bytes.NewReader(data), personFields, func(r Row) error {
		seen = append(seen, r.Num)
		switch r.Get("name") {
		case "坏人":
			return r.Problem("name", "test.bad_name")
		case "王五":
			return RowError{
				{Key: "temp", Msg: i18n.Msg{Key: "test.bad_temp"}},
				{Msg: i18n.Msg{Key: "test.duplicate", Args: []any{2}}},
			}
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(seen, []int{2, 5, 7, 8}) {
		t.Errorf("fn saw rows %v", seen)
	}
	want := []RowProblem{
		{Row: 5, Column: "姓名", Msg: i18n.Msg{Key: "test.bad_name"}},
		{Row: 6, Column: "身份证号", Msg: i18n.Msg{Key: "excel.err.required"}},
		{Row: 7, Column: "体温", Msg: i18n.Msg{Key: "test.bad_temp"}},
		{Row: 7, Column: "", Msg: i18n.Msg{Key: "test.duplicate", Args: []any{2}}},
	}
	if !reflect.DeepEqual(rep.Errors, want) {
		t.Errorf("problems\n got %+v\nwant %+v", rep.Errors, want)
	}
	if rep.Total != 5 || rep.OK != 2 || rep.Bad != 3 || !rep.Done {
		t.Errorf("report %+v", rep)
	}
}

func TestDecide(t *testing.T) {
	clean := Report{Total: 3, OK: 3, Done: true}
	mixed := Report{Total: 3, OK: 2, Bad: 1, Done: true, Errors: []RowProblem{{Row: 3}}}
	allBad := Report{Total: 1, Bad: 1, Done: true, Errors: []RowProblem{{Row: 2}}}
	stopped := Report{Total: 2, OK: 2} // Read returned an error half-way
	cases := []struct {
		mode Mode
		rep  Report
		want bool
	}{
		{ValidRows, clean, true}, {AllOrNothing, clean, true},
		{ValidRows, mixed, true}, {AllOrNothing, mixed, false},
		{ValidRows, allBad, false}, {AllOrNothing, allBad, false},
		{ValidRows, stopped, false}, {AllOrNothing, stopped, false},
		{ValidRows, Report{Done: true}, false},
	}
	for i, c := range cases {
		if got := Decide(c.mode, c.rep); got != c.want {
			t.Errorf("case %d: Decide(%v, %+v) = %v", i, c.mode, c.rep, got)
		}
	}
	if ParseMode("all") != AllOrNothing || ParseMode("") != ValidRows || ParseMode("valid") != ValidRows {
		t.Error("ParseMode")
	}
}

// TestModes runs the documented import pattern end to end on one file.
func TestModes(t *testing.T) {
	data := sheetFile(t, [][]any{{"姓名", "身份证号"}, {"张三", "1"}, {"李四", ""}, {"王五", "3"}})
	for _, c := range []struct {
		mode Mode
		want []string
	}{{ValidRows, []string{"张三", "王五"}}, {AllOrNothing, nil}} {
		var valid, committed []string
		rep, err := Read(bytes.NewReader(data), personFields, func(r Row) error {
			valid = append(valid, r.Get("name"))
			return nil
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if Decide(c.mode, rep) {
			committed = valid
		}
		if !reflect.DeepEqual(committed, c.want) {
			t.Errorf("mode %v committed %v, want %v", c.mode, committed, c.want)
		}
	}
}

func TestFatalErrorStops(t *testing.T) {
	data := sheetFile(t, [][]any{{"姓名", "身份证号"}, {"张三", "1"}, {"李四", "2"}, {"王五", "3"}})
	boom := errors.New("database is down")
	n := 0
	rep, err := Read(bytes.NewReader(data), personFields, func(r Row) error {
		if n++; n == 2 {
			return fmt.Errorf("saving: %w", boom)
		}
		return nil
	}, nil)
	if !errors.Is(err, boom) || n != 2 || rep.Done || Decide(ValidRows, rep) {
		t.Errorf("err %v, n %d, report %+v", err, n, rep)
	}
}

func TestProgress(t *testing.T) {
	rows := [][]any{{"姓名", "身份证号"}}
	for i := 0; i < 2500; i++ {
		rows = append(rows, []any{"张三", i})
	}
	var calls []int
	rep, err := Read(bytes.NewReader(sheetFile(t, rows)), personFields, func(Row) error { return nil }, func(done int) { calls = append(calls, done) })
	if err != nil || rep.OK != 2500 {
		t.Fatal(err, rep)
	}
	if !reflect.DeepEqual(calls, []int{1000, 2000, 2500}) {
		t.Errorf("progress %v", calls)
	}
}

func TestProblemCap(t *testing.T) {
	n := MaxProblems + 50
	var b bytes.Buffer
	err := Export(&b, i18n.ZH, "x", []Column{{Header: i18n.Msg{Key: "姓名"}}, {Header: i18n.Msg{Key: "身份证号"}}}, func(yield func([]any) error) error {
		for i := 0; i < n; i++ {
			if err := yield([]any{"张三", nil}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Read(&b, personFields, func(Row) error { return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Bad != n || len(rep.Errors) != MaxProblems || !rep.Truncated || rep.Errors[MaxProblems-1].Row != MaxProblems+1 {
		t.Errorf("Bad %d, %d problems, truncated %v", rep.Bad, len(rep.Errors), rep.Truncated)
	}
}

func TestUnknownKeyPanics(t *testing.T) {
	data := sheetFile(t, [][]any{{"姓名", "身份证号"}, {"张三", "1"}})
	defer func() {
		if recover() == nil {
			t.Error("no panic for a key that is not a field")
		}
	}()
	Read(bytes.NewReader(data), personFields, func(r Row) error { r.Get("nmae"); return nil }, nil)
}

func TestPresent(t *testing.T) {
	data := sheetFile(t, [][]any{{"姓名", "身份证号"}, {"张三", "1"}})
	Read(bytes.NewReader(data), personFields, func(r Row) error {
		if !r.Present("id") || r.Present("temp") {
			t.Error("Present")
		}
		return nil
	}, nil)
}

func TestNotASpreadsheet(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty": nil,
		"text":  []byte("姓名,身份证号\n张三,1\n"),
		"xls":   append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...),
		"zip":   zipFile(t, map[string]string{"a.txt": "hello"}),
	} {
		rep, err := Read(bytes.NewReader(data), personFields, func(Row) error { return nil }, nil)
		var fe *FileError
		if !errors.As(err, &fe) || !reflect.DeepEqual(keys(rep.Errors), []string{"excel.err.not_xlsx"}) {
			t.Errorf("%s: %v %+v", name, err, rep.Errors)
		}
	}
}

func TestTooLarge(t *testing.T) {
	rep, err := Read(strings.NewReader(strings.Repeat("x", MaxFileSize+1)), personFields, func(Row) error { return nil }, nil)
	if err == nil || !reflect.DeepEqual(keys(rep.Errors), []string{"excel.err.too_large"}) {
		t.Errorf("%v %+v", err, rep.Errors)
	}
}

// TestExcelDates: date cells read as ISO text whatever format the user's
// Excel shows them in, including the Chinese built-in and custom formats.
func TestExcelDates(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "身份证号", "日期"})
	serial := 43883.4375 // 2020-02-22 10:30
	custom := func(code string) *excelize.Style { return &excelize.Style{CustomNumFmt: &code} }
	cases := []struct {
		style *excelize.Style
		want  string
	}{
		{&excelize.Style{NumFmt: 14}, "2020-02-22"},       // m/d/yyyy, or the system short date
		{&excelize.Style{NumFmt: 22}, "2020-02-22 10:30"}, // m/d/yyyy h:mm
		{&excelize.Style{NumFmt: 31}, "2020-02-22"},       // zh-CN: yyyy"年"m"月"d"日"
		{&excelize.Style{NumFmt: 57}, "2020-02-22"},       // zh-CN: yyyy"年"m"月"
		{&excelize.Style{NumFmt: 20}, "10:30"},            // h:mm
		{custom(`yyyy"年"m"月"d"日"`), "2020-02-22"},
		{custom(`[$-804]yyyy/m/d h:mm;@`), "2020-02-22 10:30"},
		{custom(`上午/下午h"时"mm"分"`), "10:30"},
		{custom(`m/d`), "2020-02-22"},
		{custom(`0.0"°C"`), "43883.4375"},          // not a date: the number
		{&excelize.Style{NumFmt: 2}, "43883.4375"}, // 0.00: the number, not its display
	}
	for i, c := range cases {
		st, err := f.NewStyle(c.style)
		if err != nil {
			t.Fatal(err)
		}
		cell, _ := excelize.CoordinatesToCellName(3, i+2)
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+2), &[]any{"张三", "1", serial})
		f.SetCellStyle("Sheet1", cell, cell, st)
	}
	var b bytes.Buffer
	f.Write(&b)
	got, _, err := readAll(t, b.Bytes(), personFields)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		if got[i]["day"] != c.want {
			t.Errorf("case %d: %q, want %q", i, got[i]["day"], c.want)
		}
	}
}

// TestXMLShapes covers what other writers produce: prefixed elements,
// cells and rows without r, rich text and phonetic guides in shared
// strings, entities, _xHHHH_ escapes, inline and formula strings, booleans,
// error values, the 1904 date system, numbers as Excel stores them.
func TestXMLShapes(t *testing.T) {
	sst := `<si><t>姓名</t></si><si><t>身份证号</t></si><si><t>备注</t></si>` +
		`<si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r><rPh sb="0" eb="1"><t>zhang</t></rPh></si>` +
		`<si><t>A&amp;B &lt;x&gt; &#x4E2D;&#22269; line_x000D_break _x005F_x</t></si>`
	styles := `<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>` +
		`<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="176"/></cellXfs>`
	sheet := `<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c r="D1" t="s"><x:v>2</x:v></x:c></x:row>` +
		`<!-- a comment --><x:row r="3"><x:c t="s"><x:v>3</x:v></x:c><x:c t="inlineStr"><x:is><x:t>130528199001011234</x:t></x:is></x:c><x:c/><x:c t="s"><x:v>4</x:v></x:c></x:row>` +
		`<x:row r="4" spans="1:4"><x:c r="A4" t="str"><x:f>CONCAT("李","四")</x:f><x:v>李四</x:v></x:c><x:c r="B4"><x:v>1.30528199001011E+17</x:v></x:c><x:c r="D4" t="b"><x:v>1</x:v></x:c></x:row>` +
		`<x:row r="5"><x:c r="A5" t="inlineStr"><x:is><x:r><x:t>王</x:t></x:r><x:r><x:t><![CDATA[五<]]></x:t></x:r></x:is></x:c><x:c r="B5" t="e"><x:v>#N/A</x:v></x:c><x:c r="D5" s="1"><x:v>43883</x:v></x:c></x:row>` +
		`<x:row r="6"/>` +
		`<x:row r="7"><x:c r="A7" t="inlineStr"><x:is><x:t>赵六</x:t></x:is></x:c><x:c r="B7"><x:v>0.30000000000000004</x:v></x:c><x:c r="D7" t="d"><x:v>2020-02-22T00:00:00Z</x:v></x:c></x:row>`
	parts := minimalParts(sheet, sst, styles)
	fields := []Field{personFields[0], personFields[1], {Key: "note", Headers: []string{"备注"}}}
	got, rep, err := readAll(t, zipFile(t, parts), fields)
	if err != nil {
		t.Fatalf("%v %+v", err, rep.Errors)
	}
	want := []map[string]string{
		{"#": "3", "name": "张三", "id": "130528199001011234", "note": "A&B <x> 中国 line\rbreak _x"},
		{"#": "4", "name": "李四", "id": "1.30528199001011E+17", "note": "TRUE"},
		{"#": "5", "name": "王五<", "id": "#N/A", "note": "2020-02-22"},
		{"#": "7", "name": "赵六", "id": "0.3", "note": "2020-02-22"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("\n got %v\nwant %v", got, want)
	}

	// The 1904 date system moves every serial by 1,462 days.
	parts["xl/workbook.xml"] = strings.Replace(parts["xl/workbook.xml"], "<sheets>", `<workbookPr date1904="1"/><sheets>`, 1)
	got, _, _ = readAll(t, zipFile(t, parts), fields)
	if got[2]["note"] != "2024-02-23" {
		t.Errorf("1904 system: %q", got[2]["note"])
	}
}

func TestDamagedSheet(t *testing.T) {
	for name, sheet := range map[string]string{
		"bad shared index":  `<x:row r="1"><x:c t="s"><x:v>0</x:v></x:c></x:row>`,
		"bad row number":    `<x:row r="x"></x:row>`,
		"row past limit":    `<x:row r="1048577"></x:row>`,
		"column past XFD":   `<x:row r="1"><x:c r="XFE1"><x:v>1</x:v></x:c></x:row>`,
		"truncated":         `<x:row r="1"><x:c><x:v>1`,
		"doctype":           `<!DOCTYPE x [<!ENTITY a "b">]><x:row/>`,
		"rows out of order": `<x:row r="2"></x:row><x:row r="1"></x:row>`,
	} {
		data := zipFile(t, minimalParts(sheet, "", ""))
		rep, err := Read(bytes.NewReader(data), personFields, func(Row) error { return nil }, nil)
		var fe *FileError
		if !errors.As(err, &fe) || len(rep.Errors) != 1 || rep.Errors[0].Msg.Key != "excel.err.corrupt" {
			t.Errorf("%s: %v %+v", name, err, rep.Errors)
		}
	}
}

func TestTemplate(t *testing.T) {
	for _, lang := range i18n.Langs {
		var b bytes.Buffer
		if err := Template(&b, lang, "导入模板", personFields); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		head, _ := f.GetRows("导入模板")
		want := map[i18n.Lang][]string{
			i18n.ZH: {"*姓名", "*身份证号", "体温", "返乡时间", "日期", "备注"},
			i18n.EN: {"*Name", "*ID number", "Temperature", "Arrived at", "Date", "Note"},
		}[lang]
		if len(head) != 1 || !reflect.DeepEqual(head[0], want) {
			t.Errorf("%s header %v", lang, head)
		}
		// Typing an ID number into the template keeps it text.
		sid, _ := f.GetCellStyle("导入模板", "B2")
		if st, _ := f.GetStyle(sid); st == nil || st.NumFmt != 49 {
			t.Errorf("%s: data cells not text: %+v", lang, st)
		}
		f.Close()
		rep, err := Read(&b, personFields, func(Row) error { return nil }, nil)
		if err != nil || rep.Total != 0 || !rep.Done {
			t.Errorf("%s: the template does not read back: %v %+v", lang, err, rep)
		}
	}
}

func TestReportSheet(t *testing.T) {
	rep := Report{Total: 3, OK: 1, Bad: 2, Done: true, Truncated: true, Errors: []RowProblem{
		{Row: 1, Column: "身份证号", Msg: i18n.Msg{Key: "excel.err.missing_column", Args: []any{"身份证号"}}},
		{Row: 5, Column: "姓名", Msg: i18n.Msg{Key: "excel.err.required"}},
	}}
	var b bytes.Buffer
	if err := ReportSheet(&b, i18n.ZH, rep); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("导入问题")
	want := [][]string{
		{"行号", "列名", "问题说明"},
		{"1", "身份证号", "缺少必填列“身份证号”"},
		{"5", "姓名", "必填项不能为空"},
		{"", "", "仅列出前2条问题，共有2行存在问题，请修正后重新导入"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("\n got %q\nwant %q", rows, want)
	}
}

// TestEveryMessageKeyExists guards against a message shown as its key.
func TestEveryMessageKeyExists(t *testing.T) {
	for _, k := range []string{"excel.err.not_xlsx", "excel.err.corrupt", "excel.err.no_header", "excel.err.missing_column",
		"excel.err.duplicate_column", "excel.err.required", "excel.err.too_large", "excel.report.sheet", "excel.report.row",
		"excel.report.column", "excel.report.reason", "excel.report.truncated"} {
		for _, l := range i18n.Langs {
			if _, ok := i18n.Keys(l)[k]; !ok {
				t.Errorf("%s missing in %s", k, l)
			}
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(sheetFile(f, [][]any{{"姓名", "身份证号"}, {"张三", "1"}}))
	f.Add(zipFile(f, minimalParts(`<x:row><x:c t="s"><x:v>0</x:v></x:c></x:row>`, `<si><t>姓名</t></si>`, `<cellXfs><xf numFmtId="14"/></cellXfs>`)))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data)
	})
}

// FuzzSheetXML fuzzes the sheet and shared-string XML inside a valid
// package, where random bytes reach the hand-written scanner.
func FuzzSheetXML(f *testing.F) {
	f.Add(`<row r="1"><c t="s"><v>0</v></c><c t="inlineStr"><is><t>身份证号</t></is></c></row><row><c><v>1</v></c><c s="1"><v>43883.5</v></c></row>`, `<si><t>姓名</t></si>`)
	f.Add(`<row><c t="d"><v>2020-02-22</v></c><c t="b"><v>1</v></c><!-- x --><c><f>1</f><v>&amp;</v></c></row>`, `<si><r><t>a</t></r><rPh><t>b</t></rPh></si>`)
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		checkRead(t, zipFile(t, minimalParts(sheet, sst, `<cellXfs><xf numFmtId="0"/><xf numFmtId="22"/></cellXfs>`)))
	})
}

func checkRead(t *testing.T, data []byte) {
	fields := []Field{{Key: "a", Headers: []string{"姓名"}}, {Key: "b", Headers: []string{"身份证号"}, Required: true}}
	rep, err := Read(bytes.NewReader(data), fields, func(r Row) error {
		if r.Num < 1 || r.Get("b") == "" {
			t.Fatalf("row %d passed with a blank required cell", r.Num)
		}
		if len(r.Get("a"))%2 == 0 {
			return r.Problem("a", "x")
		}
		return nil
	}, nil)
	if rep.OK+rep.Bad != rep.Total || len(rep.Errors) > MaxProblems || rep.Done == (err != nil) {
		t.Fatalf("inconsistent report %+v, err %v", rep, err)
	}
}
