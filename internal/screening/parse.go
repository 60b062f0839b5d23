package screening

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"fangkong/internal/platform/i18n"
)

// tagWords maps every way a register writes a tag, folded by foldWord, to
// the tag: its code, its label in both languages and the usual short forms.
var tagWords = func() map[string]Tag {
	m := map[string]Tag{}
	for _, t := range Tags {
		m[foldWord(string(t))] = t
		for _, l := range i18n.Langs {
			m[foldWord(i18n.T(l, "screening.tag."+string(t)))] = t
		}
	}
	aliases := map[string]Tag{
		"返乡": TagReturnee, "返乡人员": TagReturnee, "返宁": TagReturnee, "返宁人员": TagReturnee, "外地返乡": TagReturnee,
		"重点地区": TagKeyRegion, "湖北": TagKeyRegion, "武汉": TagKeyRegion, "来自重点地区": TagKeyRegion,
		"密接": TagCloseContact, "密切接触": TagCloseContact, "密切接触者": TagCloseContact, "contact": TagCloseContact,
		"发热": TagFever, "发烧": TagFever, "境外": TagOverseas, "境外来返": TagOverseas, "入境": TagOverseas,
	}
	for w, t := range aliases {
		m[foldWord(w)] = t
	}
	return m
}()

// foldWord folds full-width forms, case and spaces, so "Key Region" and
// "ｋｅｙ region" are the same word.
func foldWord(s string) string {
	s = width.Fold.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '_' || r == '-' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// isTagSep reports whether r separates tags in one cell: commas, the
// enumeration comma, semicolons, slashes and line breaks, in either width.
// Spaces separate too, unless the words around them name one tag
// ("key region").
func isTagSep(r rune) bool {
	switch r {
	case ',', '，', '、', ';', '；', '/', '|', '\n', '\r', '\t':
		return true
	}
	return false
}

func isSpaceSep(r rune) bool { return r == ' ' || r == '\u3000' }

// ParseTags reads a cell or field listing tags in either language ("返乡、密接",
// "returnee, key region"). It returns the tags found in display order and the
// words it did not recognise, so the caller can name them in an error.
func ParseTags(s string) ([]Tag, []string) {
	var found []Tag
	var bad []string
	for _, part := range strings.FieldsFunc(s, isTagSep) {
		if strings.TrimSpace(part) == "" {
			continue
		}
		if t, ok := tagWords[foldWord(part)]; ok {
			found = append(found, t)
			continue
		}
		for _, w := range strings.FieldsFunc(part, isSpaceSep) {
			if t, ok := tagWords[foldWord(w)]; ok {
				found = append(found, t)
			} else {
				bad = append(bad, w)
			}
		}
	}
	return unionTags(found, nil), bad
}

// A village's self-registration link carries a token "<division>.<generation>.<mac>":
// the village, the link's generation (rotating the link makes old QR codes
// stop working) and an HMAC-SHA256 of both under the county's key, cut to 12
// bytes. The token needs no table lookup to be trusted, only to be current.
const macBytes = 12

// makeToken signs a village's link.
func makeToken(key []byte, division, generation int64) string {
	return strconv.FormatInt(division, 10) + "." + strconv.FormatInt(generation, 10) + "." +
		base64.RawURLEncoding.EncodeToString(tokenMAC(key, division, generation))
}

func tokenMAC(key []byte, division, generation int64) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("fangkong/screening/selfreg:" + strconv.FormatInt(division, 10) + ":" + strconv.FormatInt(generation, 10)))
	return h.Sum(nil)[:macBytes]
}

// ParseToken splits a link token into its parts without checking the MAC;
// ok is false for anything that is not a well-formed token.
func ParseToken(s string) (division, generation int64, mac []byte, ok bool) {
	if len(s) > 64 {
		return 0, 0, nil, false
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return 0, 0, nil, false
	}
	division, err1 := strconv.ParseInt(parts[0], 10, 64)
	generation, err2 := strconv.ParseInt(parts[1], 10, 64)
	mac, err3 := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || division <= 0 || generation <= 0 || len(mac) != macBytes ||
		parts[0][0] == '+' || parts[1][0] == '+' {
		return 0, 0, nil, false
	}
	return division, generation, mac, true
}

// checkToken reports whether s is a token signed with key, and for which
// village and generation.
func checkToken(key []byte, s string) (division, generation int64, ok bool) {
	division, generation, mac, ok := ParseToken(s)
	if !ok || !hmac.Equal(mac, tokenMAC(key, division, generation)) {
		return 0, 0, false
	}
	return division, generation, true
}
