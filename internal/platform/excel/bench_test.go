package excel

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fangkong/internal/platform/i18n"
)

const benchRows = 100_000

// benchFields are eight columns of a person register.
var benchFields = []Field{
	{Key: "name", Headers: []string{"姓名", "Name"}, Required: true},
	{Key: "id", Headers: []string{"身份证号", "ID number"}, Required: true},
	{Key: "phone", Headers: []string{"手机号", "Phone"}},
	{Key: "village", Headers: []string{"村/社区", "Village"}},
	{Key: "address", Headers: []string{"住址", "Address"}},
	{Key: "arrived", Headers: []string{"返乡日期", "Arrival date"}},
	{Key: "temp", Headers: []string{"体温", "Temperature"}},
	{Key: "note", Headers: []string{"备注", "Note"}},
}

func benchValues(i int) []any {
	return []any{
		"张" + strconv.Itoa(i%977) + "伟",
		fmt.Sprintf("130528%08d%04d", 19500101+i%500000, i%10000),
		"138" + fmt.Sprintf("%08d", i),
		"凤凰镇第" + strconv.Itoa(i%60) + "村",
		"宁晋县凤凰镇" + strconv.Itoa(i%60) + "村" + strconv.Itoa(i%300) + "号",
		time.Date(2020, 1, 20+i%30, 0, 0, 0, 0, time.UTC),
		36.0 + float64(i%15)/10,
		"",
	}
}

func benchCols() []Column {
	cols := make([]Column, len(benchFields))
	for i, f := range benchFields {
		cols[i] = Column{Header: i18n.Msg{Key: f.Headers[0]}}
	}
	return cols
}

func exportBench(w io.Writer, n int) error {
	return Export(w, i18n.ZH, "人员", benchCols(), func(yield func([]any) error) error {
		for i := 0; i < n; i++ {
			if err := yield(benchValues(i)); err != nil {
				return err
			}
		}
		return nil
	})
}

// sharedStringsFile is the same sheet as Excel or WPS save it: strings in
// the shared-string table rather than inline, which is what users upload.
func sharedStringsFile(n int) []byte {
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	row := make([]any, len(benchFields))
	for i, fd := range benchFields {
		row[i] = fd.Headers[0]
	}
	_ = f.SetSheetRow("Sheet1", "A1", &row)
	for i := 0; i < n; i++ {
		v := benchValues(i)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		_ = f.SetSheetRow("Sheet1", cell, &v)
	}
	_ = f.SetColStyle("Sheet1", "F", dateStyle)
	var b bytes.Buffer
	_ = f.Write(&b)
	return b.Bytes()
}

var (
	benchOnce                sync.Once
	benchInline, benchShared []byte
)

func benchFiles(b *testing.B) {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		if err := exportBench(&buf, benchRows); err != nil {
			b.Fatal(err)
		}
		benchInline = buf.Bytes()
		benchShared = sharedStringsFile(benchRows)
	})
}

func BenchmarkRead100k(b *testing.B) {
	benchFiles(b)
	for _, c := range []struct {
		name string
		file *[]byte
	}{{"inline", &benchInline}, {"shared", &benchShared}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(*c.file)))
			measure(b, benchRows, func() {
				n := 0
				rep, err := Read(bytes.NewReader(*c.file), benchFields, func(r Row) error {
					n += len(r.Get("id"))
					return nil
				}, nil)
				if err != nil || rep.OK != benchRows {
					b.Fatalf("%v %+v", err, rep.Errors)
				}
			})
		})
	}
}

func BenchmarkExport100k(b *testing.B) {
	measure(b, benchRows, func() {
		if err := exportBench(io.Discard, benchRows); err != nil {
			b.Fatal(err)
		}
	})
}
