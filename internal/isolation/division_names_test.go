package isolation_test

import (
	"strings"
	"testing"

	"fangkong/internal/isolation"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// A site's township is named in the reader's language: English on English
// pages, Chinese on Chinese ones; the API keeps division_name in Chinese and
// adds division_name_en.
func TestSitePagesNameTheTownshipInTheReadersLanguage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db, 2)
		w.srv.NameInEnglish(t)
		for _, c := range []struct{ lang, name string }{{"en", "Fenghuang Town"}, {"zh", "凤凰镇"}} {
			w.cmd.SwitchLang(c.lang)
			for path, want := range map[string]string{
				"/isolation":         `<span class="muted">` + c.name + `</span>`,
				"/isolation/sites/1": `<p class="muted">` + c.name + ` · `,
			} {
				if res := w.cmd.Get(path); res.Code != 200 || !strings.Contains(res.Body, want) {
					t.Errorf("%s %s: %d, lacks %s", c.lang, path, res.Code, want)
				}
			}
		}
		var site isolation.SiteDay
		w.cmd.Get("/api/v1/isolation/sites/1").Decode(t, &site)
		if st := site.Occupancy.Site; st.DivisionName != "凤凰镇" || st.DivisionNameEN != "Fenghuang Town" {
			t.Errorf("API names %q, %q", st.DivisionName, st.DivisionNameEN)
		}
	})
}
