package excel

import (
	"archive/zip"
	"bytes"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// personFields is a small register used across the tests.
var personFields = []Field{
	{Key: "name", Headers: []string{"姓名", "Name"}, Required: true},
	{Key: "id", Headers: []string{"身份证号", "ID number"}, Required: true},
	{Key: "temp", Headers: []string{"体温", "Temperature"}},
	{Key: "arrived", Headers: []string{"返乡时间", "Arrived at"}},
	{Key: "day", Headers: []string{"日期", "Date"}},
	{Key: "note", Headers: []string{"备注", "Note"}},
}

// sheetFile writes rows with excelize's ordinary (non-streaming) API, which
// uses the shared-string table as Excel and WPS do; a nil row is left out,
// making a blank row.
func sheetFile(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readAll reads a file collecting every accepted row's values by key.
func readAll(t testing.TB, data []byte, fields []Field) ([]map[string]string, Report, error) {
	t.Helper()
	var got []map[string]string
	rep, err := Read(bytes.NewReader(data), fields, func(r Row) error {
		m := map[string]string{"#": strconv.Itoa(r.Num)}
		for _, f := range fields {
			m[f.Key] = r.Get(f.Key)
		}
		got = append(got, m)
		return nil
	}, nil)
	return got, rep, err
}

// zipFile builds an .xlsx by hand from its parts, for XML shapes excelize
// never writes (prefixes, rich text, phonetic guides, missing r attributes).
func zipFile(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// minimalParts is the smallest package Read accepts, around a sheet body.
func minimalParts(sheetData, sst, styles string) map[string]string {
	p := map[string]string{
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="人员" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/></Relationships>`,
		"xl/worksheets/data.xml":     `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` + sheetData + `</x:sheetData></x:worksheet>`,
	}
	if sst != "" {
		p["xl/sharedStrings.xml"] = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + sst + `</sst>`
	}
	if styles != "" {
		p["xl/styles.xml"] = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + styles + `</styleSheet>`
	}
	return p
}

func keys(ps []RowProblem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Msg.Key
	}
	return out
}
