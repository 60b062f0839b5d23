package auditlog_test

import (
	"strconv"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// The log's division column names the division in the reader's language,
// on the list, an entry's page and the export; the API keeps division_name
// in Chinese beside division_name_en, and the recorded before/after JSON is
// left as it was written.
func TestLogNamesTheDivisionInTheReadersLanguage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		srv.NameInEnglish(t)
		res := srv.As(t, apptest.Commander).JSON("POST", "/api/v1/cases", map[string]any{"division_id": srv.Fix.DongwangVillage.ID,
			"name": "张三", "phone": "13812345678", "address": "东汪村一街5号", "origin": "local", "status": "confirmed", "status_date": "2020-02-10"})
		if res.Code != 201 {
			t.Fatalf("case: %d %s", res.Code, res.Body)
		}
		aud := srv.As(t, apptest.Auditor)
		var pg struct {
			Items []struct {
				ID             int64  `json:"id"`
				DivisionName   string `json:"division_name"`
				DivisionNameEN string `json:"division_name_en"`
			} `json:"items"`
		}
		aud.Get("/api/v1/audit?entity=case").Decode(t, &pg)
		if len(pg.Items) != 1 || pg.Items[0].DivisionName != "东汪村" || pg.Items[0].DivisionNameEN != "Dongwang Village" {
			t.Fatalf("API %+v", pg.Items)
		}
		id := strconv.FormatInt(pg.Items[0].ID, 10)
		for _, c := range []struct{ lang, name string }{{"en", "Dongwang Village"}, {"zh", "东汪村"}} {
			aud.SwitchLang(c.lang)
			for path, want := range map[string]string{"/audit?entity=case": "<td>" + c.name + "</td>", "/audit/" + id: "<dd>" + c.name + "</dd>"} {
				if res := aud.Get(path); res.Code != 200 || !strings.Contains(res.Body, want) {
					t.Errorf("%s %s: %d, lacks %s", c.lang, path, res.Code, want)
				}
			}
			if rows := sheetRows(t, aud.Get("/audit/export.xlsx?entity=case").Body); len(rows) != 2 || rows[1][6] != c.name {
				t.Errorf("%s export: %v", c.lang, rows)
			}
		}
	})
}
