package screening_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/screening"
)

// engineRows is big enough for several of the PostgreSQL saver's batches, so
// that repeats and register duplicates fall in different batches.
const engineRows = 9000

// engineRegister is a register of engineRows people in 东汪村 with bad rows
// of every kind: format errors, repeats within the file (near and across
// batches, by ID number and by name and phone), people already registered
// (by ID number, by name and phone, a merged record, one in another village)
// and villages out of scope.
func engineRegister(t testing.TB, f apptest.Fixture) []byte {
	rows := make([][]any, engineRows)
	for i := range rows {
		id, phone, arrived, village := engineID(i), fmt.Sprintf("139%08d", i), fmt.Sprintf("2020-02-%02d", 1+i%20), ""
		switch {
		case i%500 == 3:
			id = badCheck("19700101", i%1000)
		case i%500 == 103:
			phone = "1391"
		case i%500 == 203:
			arrived = "2020-03-15"
		case i%500 == 303:
			id = engineID(i - 1) // repeats the row above
		case i%500 == 403:
			id, phone = engineID(i+engineRows), fmt.Sprintf("139%08d", i-250) // same name and phone as…
		case i == 50:
			village = "不存在村"
		case i == 51:
			village = f.FenghuangVillage.Code // out of the cadre's scope
		case i == 8800:
			id = engineID(10) // repeats a row two batches back
		case i == 7001:
			id = engineID(4100) // repeats a row that is already registered
		}
		name := fmt.Sprintf("居民%d", i)
		if i%500 == 403 {
			name = fmt.Sprintf("居民%d", i-250)
		}
		row := []any{name, id, phone, village, "东汪村" + fmt.Sprint(i%300) + "号", "", "", "", "", "返乡"}
		if i%3 != 0 || i%500 == 203 { // a third of the rows without a journey
			row[5], row[6], row[7], row[8] = "武汉", "高铁", "G"+fmt.Sprint(500+i%90), arrived
		}
		rows[i] = row
	}
	return registerFile(t, rows)
}

func engineID(i int) string {
	return idNumber(fmt.Sprintf("1970%02d%02d", 1+i/1000%12, 1+i/12000%28), i%1000)
}

// preRegister puts the people the file collides with into the register.
func preRegister(t *testing.T, st *screening.Store, f apptest.Fixture) {
	ctx, cmd := context.Background(), commander(f)
	dw, fh := f.DongwangVillage.ID, f.FenghuangVillage.ID
	must(st.Create(ctx, cmd, returnee(dw, "老住户", engineID(4100), "", "2020-02-01")))(t)                        // by ID number
	must(st.Create(ctx, cmd, returnee(dw, "居民6000", idNumber("19600101", 1), "13900006000", "2020-02-01")))(t) // by name and phone
	must(st.Create(ctx, cmd, returnee(fh, "外村人", engineID(2000), "", "2020-02-01")))(t)                        // in another village
	kept := must(st.Create(ctx, cmd, returnee(dw, "合并甲", idNumber("19600101", 2), "", "2020-02-01")))(t)
	other := must(st.Create(ctx, cmd, returnee(dw, "合并乙", engineID(7000), "", "2020-02-01")))(t)
	must(st.Merge(ctx, cmd, kept.Person.ID, other.Person.ID, "同一人"))(t) // the file's row names the merged record
}

// TestImportSameOnBothEngines imports one file with bad rows into SQLite
// (multi-row INSERTs after reading) and PostgreSQL (COPY while reading) and
// requires the same report, row for row, and the same register afterwards.
func TestImportSameOnBothEngines(t *testing.T) {
	type outcome struct {
		res      screening.ImportResult
		register []string
	}
	run := func(t *testing.T, db *storage.DB, mode excel.Mode) outcome {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := newStore(db)
		preRegister(t, st, fix)
		cadre := cadreDongwang(fix)
		job := must(st.NewImportJob(ctx, cadre, "东汪村.xlsx"))(t)
		file := engineRegister(t, fix)
		res := must(st.Import(ctx, cadre, job, bytes.NewReader(file), screening.ImportOptions{DivisionID: fix.DongwangVillage.ID, Mode: mode}))(t)
		j := must(st.ImportJob(ctx, cadre, job))(t)
		if j.Status != "done" || j.RowsDone != res.Total || j.RowsBad != res.Bad {
			t.Errorf("job %+v", j)
		}
		return outcome{res: withIDNumbers(t, db, res), register: register(t, db)}
	}
	for _, mode := range []excel.Mode{excel.ValidRows, excel.AllOrNothing} {
		lite := run(t, storagetest.SQLite(t), mode)
		pg := run(t, storagetest.Postgres(t), mode)
		if !reflect.DeepEqual(lite.res, pg.res) {
			t.Errorf("mode %v: results differ\nsqlite   %+v\npostgres %+v", mode, lite.res, pg.res)
		}
		if !reflect.DeepEqual(lite.register, pg.register) {
			t.Errorf("mode %v: registers differ: %d and %d rows", mode, len(lite.register), len(pg.register))
			for i := range min(len(lite.register), len(pg.register)) {
				if lite.register[i] != pg.register[i] {
					t.Fatalf("first difference:\nsqlite   %s\npostgres %s", lite.register[i], pg.register[i])
				}
			}
		}
		checkEngineReport(t, mode, lite.res)
	}
}

// checkEngineReport checks that the shared result is the expected one, so
// that two engines agreeing on a wrong answer fails too.
func checkEngineReport(t *testing.T, mode excel.Mode, res screening.ImportResult) {
	want := map[int]string{ // spreadsheet row (file index + 2) -> problem
		5: "validate.id.checksum", 105: "validate.mobile.length", 205: "validate.date.future",
		305: "screening.err.import_repeat", 405: "screening.err.import_repeat",
		52: "screening.err.import_village", 53: "screening.err.import_village",
		8802: "screening.err.import_repeat", 7003: "screening.err.import_repeat",
		4102: "screening.err.duplicate_id", 6002: "screening.err.duplicate_name_phone",
		2002: "screening.err.duplicate_id_elsewhere", 7002: "screening.err.duplicate_id",
	}
	got := map[int][]string{}
	for _, p := range res.Problems {
		got[p.Row] = append(got[p.Row], p.Key)
	}
	for row, key := range want {
		if !contains(got[row], key) {
			t.Errorf("mode %v: row %d has %v, want %s", mode, row, got[row], key)
		}
	}
	bad := 5*engineRows/500 + 2 + 2 + 4 // five kinds every 500 rows, two villages, two far repeats, four registered
	if res.Total != engineRows || res.Bad != bad || len(got) != res.Bad || res.Truncated {
		t.Errorf("mode %v: total %d, bad %d (want %d), %d rows with problems", mode, res.Total, res.Bad, bad, len(got))
	}
	if created := engineRows - res.Bad; (mode == excel.ValidRows) != res.Committed || (res.Committed && res.Created != created) {
		t.Errorf("mode %v: committed %v, created %d (want %d)", mode, res.Committed, res.Created, created)
	}
}

// withIDNumbers replaces the record ids in duplicate problems by the ID
// numbers of those records, which do not depend on how ids were handed out.
func withIDNumbers(t *testing.T, db *storage.DB, res screening.ImportResult) screening.ImportResult {
	for i, p := range res.Problems {
		if !strings.HasPrefix(p.Key, "screening.err.duplicate_") {
			continue
		}
		var num string
		if err := db.R.QueryRow(`SELECT id_number FROM persons WHERE id = $1`, p.Args[0]).Scan(&num); err != nil {
			t.Fatalf("problem %+v: %v", p, err)
		}
		res.Problems[i].Args = []any{num}
	}
	return res
}

// register lists every person with their journeys, in id order.
func register(t *testing.T, db *storage.DB) []string {
	rows, err := db.R.Query(`SELECT p.division_id, p.name, p.id_number, p.sex, p.birth_date, p.phone, p.address, p.tags,
		p.source, p.screened_on, p.created_by, COALESCE(t.from_place, ''), COALESCE(t.transport, ''), COALESCE(t.transport_no, ''),
		t.arrived_on FROM persons p LEFT JOIN person_travels t ON t.person_id = p.id ORDER BY p.id, t.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var div int64
		var name, num, sex, phone, addr, tags, source, by, from, transport, no string
		var birth, screened, arrived storage.Date
		if err := rows.Scan(&div, &name, &num, &sex, &birth, &phone, &addr, &tags, &source, &screened, &by, &from, &transport, &no, &arrived); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.TrimSpace(fmt.Sprintln(div, name, num, sex, birth, phone, addr, tags, source, screened, by, from, transport, no, arrived)))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
