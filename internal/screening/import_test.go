package screening_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/screening"
)

// sheetCols are the register's columns with their Chinese headers.
var sheetCols = []string{"name", "id_number", "phone", "village", "address", "from", "transport", "transport_no", "arrived_on", "tags"}

// registerFile writes a village register the way the export writes sheets.
func registerFile(t testing.TB, rows [][]any) []byte {
	t.Helper()
	cols := make([]excel.Column, len(sheetCols))
	for i, k := range sheetCols {
		cols[i] = excel.Column{Header: i18n.Msg{Key: "screening.col." + k}}
	}
	var b bytes.Buffer
	err := excel.Export(&b, i18n.ZH, "人员登记", cols, func(yield func([]any) error) error {
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

func TestImportReportsEachBadRow(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := newStore(db)
		cadre := cadreDongwang(fix)
		must(st.Create(ctx, cadre, returnee(fix.DongwangVillage.ID, "老住户", idNumber("19600101", 1), "", "")))(t)
		file := registerFile(t, [][]any{
			{"张三", idNumber("19800101", 11), "13812340001", "", "东汪村1号", "武汉", "高铁", "G512", "2020-02-10", "返乡、湖北"}, // row 2: ok
			{"李四", badCheck("19800101", 12), "13812340002", "", "东汪村2号", "", "", "", "", ""},                        // row 3: check digit
			{"王五", idNumber("19800101", 13), "1381234", "", "", "北京", "骑马", "", "2020-03-01", "外星人"},                // row 4: phone, transport, date, tag
			{"张三", idNumber("19800101", 11), "", "", "", "", "", "", "", ""},                                        // row 5: repeats row 2
			{"老住户", idNumber("19600101", 1), "", "", "", "", "", "", "", ""},                                        // row 6: already registered
			{"赵六", idNumber("19800101", 16), "", "不存在村", "", "", "", "", "", ""},                                    // row 7: unknown village
			{"", "", "", "", "", "", "", "", "", ""},                                                                // blank: skipped
			{"孙七", idNumber("19800101", 18), "13812340008", fix.DongwangVillage.Code, "", "", "", "", "", "密接"},     // row 9: ok, village by code
		})
		job := must(st.NewImportJob(ctx, cadre, "东汪村.xlsx"))(t)
		res := must(st.Import(ctx, cadre, job, bytes.NewReader(file), screening.ImportOptions{DivisionID: fix.DongwangVillage.ID, FileName: "东汪村.xlsx"}))(t)
		if res.Total != 7 || res.OK != 2 || res.Bad != 5 || res.Created != 2 || !res.Committed {
			t.Fatalf("result %+v", res)
		}
		want := map[int][]string{
			3: {"validate.id.checksum"},
			4: {"validate.mobile.length", "validate.date.future", "screening.err.bad_transport", "screening.err.bad_tag"},
			5: {"screening.err.import_repeat"},
			6: {"screening.err.duplicate_id"},
			7: {"screening.err.import_village"},
		}
		got := map[int][]string{}
		prev := 0
		for _, p := range res.Problems {
			got[p.Row] = append(got[p.Row], p.Key)
			if p.Row < prev {
				t.Errorf("problems out of row order: %+v", res.Problems)
			}
			prev = p.Row
		}
		for row, keys := range want {
			for _, k := range keys {
				if !contains(got[row], k) {
					t.Errorf("row %d: %v lacks %s", row, got[row], k)
				}
			}
		}
		if len(got) != len(want) {
			t.Errorf("problem rows %v", got)
		}
		pg := must(st.List(ctx, cadre, screening.PersonFilter{Source: screening.SourceImport}))(t)
		if len(pg.Items) != 2 {
			t.Fatalf("imported %d", len(pg.Items))
		}
		p := must(st.Get(ctx, cadre, pg.Items[1].ID))(t)
		if len(p.Travels) != 1 || p.Travels[0].Transport != screening.ByTrain || !p.HasTag(screening.TagKeyRegion) {
			t.Errorf("row 2 stored as %+v", p)
		}
		j := must(st.ImportJob(ctx, cadre, job))(t)
		if j.Status != "done" || j.Result == nil || j.Result.Bad != 5 || j.RowsDone != 7 {
			t.Errorf("job %+v", j)
		}
		if j.Result.Problems[0].Msg().In(i18n.ZH) == j.Result.Problems[0].Key {
			t.Errorf("stored problem does not translate: %+v", j.Result.Problems[0])
		}
		if _, err := st.ImportJob(ctx, cadreFenghuang(fix), job); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("another user's import: %v", err)
		}

		// All or nothing: the same file again writes nothing (and every row is now a problem or a repeat).
		res = must(st.Import(ctx, cadre, 0, bytes.NewReader(file), screening.ImportOptions{DivisionID: fix.DongwangVillage.ID, Mode: excel.AllOrNothing}))(t)
		if res.Committed || res.Created != 0 || res.Why == "" {
			t.Errorf("all or nothing: %+v", res)
		}
		// A file without the ID number column is refused as a whole.
		noID := registerFileCols(t, []string{"name", "phone"}, [][]any{{"张三", "13812340001"}})
		res = must(st.Import(ctx, cadre, 0, bytes.NewReader(noID), screening.ImportOptions{DivisionID: fix.DongwangVillage.ID}))(t)
		if res.Committed || res.Why != "screening.import.why_file" || len(res.Problems) == 0 {
			t.Errorf("missing column: %+v", res)
		}
	})
}

func registerFileCols(t testing.TB, keys []string, rows [][]any) []byte {
	saved := sheetCols
	sheetCols = keys
	defer func() { sheetCols = saved }()
	return registerFile(t, rows)
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}

// benchRows is the size of the import benchmark: a county-scale register.
const benchRows = 100_000

// bigRegister is a 100,000-row register spread over the fixture's three
// villages, one row in a hundred bad in one of four ways.
func bigRegister(t testing.TB, villages []string) ([]byte, int) {
	rows := make([][]any, benchRows)
	bad := 0
	for i := range rows {
		birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/1000).Format("20060102")
		id := idNumber(birth, i%1000)
		phone := fmt.Sprintf("138%08d", i)
		arrived := fmt.Sprintf("2020-02-%02d", 1+i%20)
		switch i % 400 {
		case 7:
			id = badCheck(birth, i%1000)
		case 107:
			phone = "12345"
		case 207:
			arrived = "2020-03-15"
		case 307:
			id = idNumber(time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i-1)/1000).Format("20060102"), (i-1)%1000)
		}
		if i%100 == 7 {
			bad++
		}
		rows[i] = []any{fmt.Sprintf("居民%d", i), id, phone, villages[i%len(villages)], "宁晋县某村" + fmt.Sprint(i%300) + "号",
			"武汉", "高铁", "G" + fmt.Sprint(500+i%90), arrived, "返乡"}
	}
	return registerFile(t, rows), bad
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImport100k measures a 100,000-row import with full validation,
// duplicate detection and progress reporting, on both databases:
//
//	go test -run XXX -bench Import100k -benchtime 1x ./internal/screening/
func BenchmarkImport100k(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			var total, cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := storagetest.SQLite(b)
				if dialect == "postgres" {
					db = storagetest.Postgres(b)
				}
				fix := apptest.Seed(b, db)
				st := newStore(db)
				cmd := commander(fix)
				file, bad := bigRegister(b, []string{fix.DongwangVillage.Code, fix.XiaokouVillage.Code, fix.FenghuangVillage.Code})
				job := must(st.NewImportJob(context.Background(), cmd, "big.xlsx"))(b)
				b.StartTimer()
				start, cpu0 := time.Now(), cpuTime()
				res, err := st.Import(context.Background(), cmd, job, bytes.NewReader(file), screening.ImportOptions{})
				total, cpu = total+time.Since(start), cpu+cpuTime()-cpu0
				b.StopTimer()
				if err != nil || !res.Committed || res.Bad != bad || res.Created != benchRows-bad || len(res.Problems) != bad {
					b.Fatalf("%v: %d bad (want %d), %d created, %d problems", err, res.Bad, bad, res.Created, len(res.Problems))
				}
			}
			b.ReportMetric(float64(benchRows*b.N)/total.Seconds(), "rows/s")
			// On a shared machine the process's CPU time measures the work
			// better than the wall clock (on PostgreSQL it leaves out the
			// server's share).
			b.ReportMetric(float64(benchRows*b.N)/cpu.Seconds(), "rows/cpu-s")
		})
	}
}
