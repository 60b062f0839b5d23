package screening_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/screening"
)

// Screening's lists and records name the village in the reader's language:
// persons, observations, follow-ups due, alerts, households and the
// self-registration queue. The API keeps division_name in Chinese and adds
// division_name_en.
func TestPagesNameTheVillageInTheReadersLanguage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		srv.NameInEnglish(t)
		cadre := srv.As(t, apptest.CadreDongwang)
		village := srv.Fix.DongwangVillage.ID
		pid := created(t, cadre.Form("/screening/persons", returneeForm(village, "赵六", idNumber("19700707", 7), "2020-02-20")), "/screening/persons/")
		var p screening.Person
		cadre.Get(fmt.Sprintf("/api/v1/persons/%d", pid)).Decode(t, &p)
		if p.DivisionName != "东汪村" || p.DivisionNameEN != "Dongwang Village" {
			t.Errorf("API names %q, %q", p.DivisionName, p.DivisionNameEN)
		}
		obs := p.Observations[0].ID
		cadre.Form(fmt.Sprintf("/screening/observations/%d/followups", obs), url.Values{"temperature": {"37.9"}, "slot": {"am"}, "day": {"2020-02-22"}})
		if res := cadre.JSON("POST", "/api/v1/screening/households", screening.HouseholdInput{DivisionID: village,
			Address: "东汪村三街12号", Members: 3}); res.Code != 201 {
			t.Fatalf("household: %d %s", res.Code, res.Body)
		}
		var links struct {
			Items []struct {
				URL    string `json:"url"`
				NameEN string `json:"name_en"`
			} `json:"items"`
		}
		cadre.Get("/api/v1/screening/links").Decode(t, &links)
		if len(links.Items) != 1 || links.Items[0].NameEN != "Dongwang Village" {
			t.Fatalf("links %+v", links)
		}
		u, _ := url.Parse(links.Items[0].URL)
		if res := srv.Anon(t).Form(u.Path, url.Values{"name": {"吴九"}, "id_number": {idNumber("19990909", 90)},
			"phone": {"13512345678"}, "address": {"东汪村9号"}}); res.Code != 303 {
			t.Fatalf("self-registration: %d %s", res.Code, res.Body)
		}
		for _, c := range []struct{ lang, name string }{{"en", "Dongwang Village"}, {"zh", "东汪村"}} {
			cadre.SwitchLang(c.lang)
			for path, want := range map[string]string{
				"/screening/persons":                              "<td>" + c.name + "</td>",
				fmt.Sprintf("/screening/persons/%d", pid):         "<dd>" + c.name + "</dd>",
				fmt.Sprintf("/screening/persons/%d/observe", pid): " · " + c.name + "</p>",
				"/screening/observations?state=active":            "<td>" + c.name + "</td>",
				fmt.Sprintf("/screening/observations/%d", obs):    " · " + c.name + "</dd>",
				"/screening/followups?slot=pm":                    " · " + c.name + " · ",
				"/screening/alerts":                               "<td>" + c.name + "</td>",
				"/screening/alerts/1":                             " · " + c.name + "</dd>",
				"/screening/households":                           "<td>" + c.name + "</td>",
				"/screening/queue":                                `<span class="muted">` + c.name + ` · `,
			} {
				if res := cadre.Get(path); res.Code != 200 || !strings.Contains(res.Body, want) {
					t.Errorf("%s %s: %d, lacks %s", c.lang, path, res.Code, want)
				}
			}
		}
	})
}
