// Package i18n holds Fangkong's two languages: Simplified Chinese (the default)
// and English. Messages live in flat JSON files, one per module and language,
// under locales/<lang>/; a test proves every key exists in both.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a supported language code.
type Lang string

// The supported languages; Chinese first.
const (
	ZH Lang = "zh"
	EN Lang = "en"
)

// Langs lists the supported languages in order of preference.
var Langs = []Lang{ZH, EN}

//go:embed locales
var localeFiles embed.FS

var catalogs = mustLoad()

func mustLoad() map[Lang]map[string]string {
	out := map[Lang]map[string]string{}
	for _, l := range Langs {
		out[l] = map[string]string{}
		files, err := fs.Glob(localeFiles, path.Join("locales", string(l), "*.json"))
		if err != nil {
			panic(err)
		}
		for _, f := range files {
			b, _ := localeFiles.ReadFile(f)
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				panic(fmt.Sprintf("i18n: %s: %v", f, err))
			}
			for k, v := range m {
				if _, dup := out[l][k]; dup {
					panic(fmt.Sprintf("i18n: key %q defined twice in %s", k, l))
				}
				out[l][k] = v
			}
		}
	}
	return out
}

// Parse returns the supported language named by s, or ZH.
func Parse(s string) Lang {
	if strings.HasPrefix(strings.ToLower(s), "en") {
		return EN
	}
	return ZH
}

var matcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

// FromAcceptLanguage picks a language from an Accept-Language header.
func FromAcceptLanguage(h string) Lang {
	tags, _, _ := language.ParseAcceptLanguage(h)
	if len(tags) == 0 {
		return ZH
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return ZH
	}
	return Langs[i]
}

// T translates key into lang, formatting args with fmt verbs in the message.
// A missing key shows itself, so a gap is visible rather than blank.
func T(lang Lang, key string, args ...any) string {
	msg, ok := catalogs[lang][key]
	if !ok {
		msg, ok = catalogs[ZH][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Pick is a name kept in both languages (an org node's name_zh and name_en)
// in lang: the English one on English pages when there is one, else the
// Chinese one, which every name has.
func Pick(lang Lang, zh, en string) string {
	if lang == EN && en != "" {
		return en
	}
	return zh
}

// DivisionNames is a record's division (county, township or village) in both
// languages, as org nodes keep it. Records embed it: the JSON keeps
// division_name and division_name_en, and templates write
// {{.Division $.Lang}}.
type DivisionNames struct {
	DivisionName   string `json:"division_name"`
	DivisionNameEN string `json:"division_name_en"`
}

// Division is the division's name in lang (see Pick).
func (d DivisionNames) Division(lang Lang) string {
	return Pick(lang, d.DivisionName, d.DivisionNameEN)
}

// Has reports whether key exists (in Chinese, the reference language).
func Has(key string) bool {
	_, ok := catalogs[ZH][key]
	return ok
}

// Keys returns every key of lang, for tests.
func Keys(lang Lang) map[string]string { return catalogs[lang] }

// Msg is a message not yet translated: errors carry one so each user reads it in
// their own language.
type Msg struct {
	Key  string
	Args []any
}

// In translates m into lang.
func (m Msg) In(lang Lang) string { return T(lang, m.Key, m.Args...) }
