package tracing_test

import (
	"fmt"
	"strings"
	"testing"

	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// Tracing's pages name each case's and person's division in the reader's
// language — cases to trace, exposures, co-presence suggestions, a
// cluster's cases, the chain's rows, its SVG and its township filter — and
// the API keeps division_name in Chinese beside division_name_en.
func TestPagesNameTheDivisionInTheReadersLanguage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newCoWorld(t, db)
		w.srv.NameInEnglish(t)
		fix, cmd := w.srv.Fix, w.cmd
		other, _ := caseWithPerson(t, cmd, fix.XiaokouVillage.ID, "李乙", 41, "confirmed", "2020-02-20", "")
		e := exposure(t, cmd, w.casePerson, w.a, "2020-02-19", "王家")
		if e.DivisionName != "东汪村" || e.DivisionNameEN != "Dongwang Village" {
			t.Errorf("recorded exposure names %q, %q", e.DivisionName, e.DivisionNameEN)
		}
		var b int64
		db.R.QueryRow(`SELECT id FROM persons WHERE name = '李乙'`).Scan(&b)
		exposure(t, cmd, w.casePerson, b, "2020-02-19", "王家")
		for _, c := range []struct{ lang, dongwang, xiaokou, fenghuang, town string }{
			{"en", "Dongwang Village", "Xiaokou Village", "Fenghuang Village", "Dongwang Town"},
			{"zh", "东汪村", "洨口村", "凤凰村", "东汪镇"},
		} {
			cmd.SwitchLang(c.lang)
			pages := map[string][]string{
				"/tracing": {`</a> <span class="muted">` + c.dongwang + `</span>`, ` ` + c.xiaokou + `</span>`},
				fmt.Sprint("/tracing/cases/", w.caseID): {`<span class="muted">` + c.dongwang + `</span>`,
					` ` + c.fenghuang + `</span>`, fmt.Sprintf("#%d %s</span>", w.a, c.dongwang)},
				fmt.Sprintf("/tracing/clusters/%d?date=2020-02-22", other): {`<span class="muted">` + c.xiaokou + `</span>`},
				fmt.Sprintf("/tracing/graph?root=%d&depth=3", w.casePerson): {`<span class="muted">` + c.dongwang + `</span>`,
					` · ` + c.dongwang + `</text>`, `>` + c.town + `</option>`},
			}
			for path, wants := range pages {
				res := cmd.Get(path)
				for _, want := range wants {
					if res.Code != 200 || !strings.Contains(res.Body, want) {
						t.Errorf("%s %s: %d, lacks %s", c.lang, path, res.Code, want)
					}
				}
			}
		}
	})
}
