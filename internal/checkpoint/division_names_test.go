package checkpoint_test

import (
	"fmt"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// Checkpoints, passes and the duty pool name their division in the reader's
// language: English on English pages and on the printed pass sheet, Chinese
// on Chinese ones. The API keeps division_name in Chinese and adds
// division_name_en.
func TestPagesNameTheDivisionInTheReadersLanguage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		srv.NameInEnglish(t)
		w := newWorld(t, srv)
		village := srv.Fix.DongwangVillage.ID
		res := w.cmd.JSON("POST", "/api/v1/passes", map[string]any{"division_id": village, "name": "王五",
			"id_number": validID, "valid_from": "2020-02-20", "valid_to": "2020-03-20"})
		assertResponse(t, res, 201)
		var ps checkpoint.Pass
		res.Decode(t, &ps)
		if ps.DivisionName != "东汪村" || ps.DivisionNameEN != "Dongwang Village" {
			t.Errorf("issued pass names %q, %q", ps.DivisionName, ps.DivisionNameEN)
		}
		if w.dongwang.DivisionName != "东汪村" || w.dongwang.DivisionNameEN != "Dongwang Village" {
			t.Errorf("created checkpoint names %q, %q", w.dongwang.DivisionName, w.dongwang.DivisionNameEN)
		}
		addPeople(t, w.cmd, srv.Fix.Dongwang.ID, 1, "值守")
		for _, c := range []struct{ lang, village, town string }{{"en", "Dongwang Village", "Dongwang Town"}, {"zh", "东汪村", "东汪镇"}} {
			w.cmd.SwitchLang(c.lang)
			for path, want := range map[string]string{
				"/checkpoints":                                 ` · ` + c.village + ` · `,
				"/checkpoints/1":                               `<dd>` + c.village + `</dd>`,
				"/checkpoints/1/capture":                       `<small class="muted">` + c.village + `</small>`,
				"/checkpoints/overview":                        `<small class="muted">` + c.village + `</small>`,
				"/checkpoints/1/roster":                        `<p class="muted">` + c.village + ` · `,
				"/checkpoints/1/roster/print":                  `<p>` + c.village + ` · `,
				"/duty-people":                                 `<td>` + c.town + `</td>`,
				fmt.Sprint("/passes?division=", village):       `<td>` + c.village + `</td>`,
				fmt.Sprint("/passes/sheet?division=", village): `<span>` + c.village + `</span>`,
			} {
				if res := w.cmd.Get(path); res.Code != 200 || !strings.Contains(res.Body, want) {
					t.Errorf("%s %s: %d, lacks %s", c.lang, path, res.Code, want)
				}
			}
		}
	})
}
