package i18n

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEveryKeyInEveryLanguage is the guard against a page half in one language.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	for _, a := range Langs {
		for _, b := range Langs {
			for k := range Keys(a) {
				if _, ok := Keys(b)[k]; !ok {
					t.Errorf("key %q is in %s but not in %s", k, a, b)
				}
			}
		}
	}
}

func TestVerbsMatchAcrossLanguages(t *testing.T) {
	for k, zh := range Keys(ZH) {
		en := Keys(EN)[k]
		if strings.Count(zh, "%") != strings.Count(en, "%") {
			t.Errorf("key %q: zh %q and en %q take different arguments", k, zh, en)
		}
	}
}

func TestLanguageChoice(t *testing.T) {
	cases := map[string]Lang{"": ZH, "en-US,en;q=0.9": EN, "zh-CN,zh;q=0.9": ZH, "fr": ZH, "en": EN}
	for h, want := range cases {
		if got := FromAcceptLanguage(h); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %s, want %s", h, got, want)
		}
	}
	if Parse("EN") != EN || Parse("zh-Hans") != ZH {
		t.Error("Parse")
	}
}

func TestMissingKeyShowsItself(t *testing.T) {
	if got := T(EN, "no.such.key"); got != "no.such.key" {
		t.Errorf("got %q", got)
	}
}

func TestPickFallsBackToChinese(t *testing.T) {
	for _, c := range []struct {
		lang         Lang
		zh, en, want string
	}{
		{ZH, "东汪镇", "Dongwang", "东汪镇"},
		{EN, "东汪镇", "Dongwang", "Dongwang"},
		{EN, "东汪镇", "", "东汪镇"},
		{ZH, "东汪镇", "", "东汪镇"},
	} {
		if got := Pick(c.lang, c.zh, c.en); got != c.want {
			t.Errorf("Pick(%s, %q, %q) = %q, want %q", c.lang, c.zh, c.en, got, c.want)
		}
	}
}

// A record embedding DivisionNames keeps the two names as flat JSON fields
// and names its division in the reader's language.
func TestDivisionNamesEmbedded(t *testing.T) {
	rec := struct {
		ID int `json:"id"`
		DivisionNames
	}{ID: 1, DivisionNames: DivisionNames{DivisionName: "东汪村", DivisionNameEN: "Dongwang Village"}}
	b, err := json.Marshal(rec)
	if err != nil || string(b) != `{"id":1,"division_name":"东汪村","division_name_en":"Dongwang Village"}` {
		t.Fatalf("JSON %s, %v", b, err)
	}
	if rec.Division(EN) != "Dongwang Village" || rec.Division(ZH) != "东汪村" {
		t.Errorf("Division: %q, %q", rec.Division(EN), rec.Division(ZH))
	}
}
