package surveillance_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/surveillance"
)

// A case's division is named in the reader's language on the list, the
// detail page and the Excel export; the API keeps division_name in Chinese
// and adds division_name_en.
func TestCasesNameTheDivisionInTheReadersLanguage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		srv.NameInEnglish(t)
		cmd := srv.As(t, apptest.Commander)
		res := cmd.JSON("POST", "/api/v1/cases", newCase(srv.Fix.DongwangVillage.ID, "confirmed", "2020-02-05"))
		var created surveillance.Case
		res.Decode(t, &created)
		if res.Code != 201 || created.DivisionName != "东汪村" || created.DivisionNameEN != "Dongwang Village" {
			t.Errorf("create answers %d with names %q, %q", res.Code, created.DivisionName, created.DivisionNameEN)
		}
		id := created.ID
		update := newCase(srv.Fix.DongwangVillage.ID, "confirmed", "2020-02-05")
		update["version"] = created.Version
		var updated surveillance.Case
		res = cmd.JSON("PUT", fmt.Sprint("/api/v1/cases/", id), update)
		res.Decode(t, &updated)
		if res.Code != 200 || updated.DivisionName != "东汪村" || updated.DivisionNameEN != "Dongwang Village" {
			t.Errorf("update answers %d with names %q, %q", res.Code, updated.DivisionName, updated.DivisionNameEN)
		}
		for _, c := range []struct{ lang, name string }{{"en", "Dongwang Village"}, {"zh", "东汪村"}} {
			cmd.SwitchLang(c.lang)
			for path, want := range map[string]string{"/cases": "<td>" + c.name + "</td>", fmt.Sprint("/cases/", id): "<dd>" + c.name + "</dd>"} {
				if res := cmd.Get(path); res.Code != 200 || !strings.Contains(res.Body, want) {
					t.Errorf("%s %s: %d, lacks %s", c.lang, path, res.Code, want)
				}
			}
			if rows := sheetRows(t, cmd.Get("/cases/export.xlsx").Body); len(rows) != 2 || rows[1][1] != c.name {
				t.Errorf("%s export: %v", c.lang, rows)
			}
		}
		var got surveillance.Case
		cmd.Get(fmt.Sprint("/api/v1/cases/", id)).Decode(t, &got)
		if got.DivisionName != "东汪村" || got.DivisionNameEN != "Dongwang Village" {
			t.Errorf("API names %q, %q", got.DivisionName, got.DivisionNameEN)
		}
	})
}

// sheetRows reads the first sheet of an exported workbook.
func sheetRows(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("open export: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
