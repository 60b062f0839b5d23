package account_test

import (
	"os"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

// A grant's place is named in the reader's language on the profile and the
// account list; the API keeps scope_name in Chinese beside scope_name_en.
func TestGrantsNameTheirPlaceInTheReadersLanguage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		srv.NameInEnglish(t)
		admin, cmd := srv.As(t, apptest.AdminDongwang), srv.As(t, apptest.Commander)
		var me struct {
			Grants []struct {
				ScopeName   string `json:"scope_name"`
				ScopeNameEN string `json:"scope_name_en"`
			} `json:"grants"`
		}
		admin.Get("/api/v1/me").Decode(t, &me)
		if len(me.Grants) != 1 || me.Grants[0].ScopeName != "东汪镇" || me.Grants[0].ScopeNameEN != "Dongwang Town" {
			t.Errorf("me %+v", me)
		}
		for _, c := range []struct{ lang, name string }{{"en", "Dongwang Town"}, {"zh", "东汪镇"}} {
			admin.SwitchLang(c.lang)
			cmd.SwitchLang(c.lang)
			if res := admin.Get("/account"); res.Code != 200 || !strings.Contains(res.Body, "<td>"+c.name+"</td>") {
				t.Errorf("%s profile: %d, lacks %s", c.lang, res.Code, c.name)
			}
			if res := cmd.Get("/admin/users"); res.Code != 200 || !strings.Contains(res.Body, " · "+c.name+"</td>") {
				t.Errorf("%s account list: %d, lacks %s", c.lang, res.Code, c.name)
			}
		}
	})
}
