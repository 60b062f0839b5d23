package privacy

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskID(t *testing.T) {
	cases := map[string]string{
		"130528198001011234":   "130528********1234",
		"11010519491231002X":   "110105********002X",
		" 130528198001011234 ": "130528********1234",
		"130528800101123":      "1305********123", // legacy: at most half
		"E12345678":            "E1*****78",       // passport
		"1234":                 "1**4",
		"123":                  "1**",
		"12":                   "1*",
		"1":                    "*",
		"":                     "",
		"一二三四五六":               "一二***六",
	}
	for in, want := range cases {
		if got := MaskID(in); got != want {
			t.Errorf("MaskID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	cases := map[string]string{
		"13812345678":    "138****5678",
		" 13812345678 ":  "138****5678",
		"+8613812345678": "+86*******5678",
		"0319-5812345":   "031*****2345",
		"5812345":        "58****5",
		"110":            "1**",
		"":               "",
	}
	for in, want := range cases {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskName(t *testing.T) {
	cases := map[string]string{
		"张三丰":        "张**",
		"张三":         "张*",
		"张":          "*",
		" 李四 ":       "李*",
		"欧阳娜娜":       "欧***",
		"阿依古丽·买买提":   "阿*******",
		"John Smith": "J*********",
		"":           "",
	}
	for in, want := range cases {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskAddress(t *testing.T) {
	cases := map[string]string{
		"宁晋县凤凰镇东街村3号": "宁晋县凤凰镇****",
		"宁晋县凤凰镇东":     "宁晋县凤凰镇****",
		"宁晋县凤凰镇":      "宁晋县****",
		"凤凰镇":         "凤****",
		"村":           "****",
		"":            "",
	}
	for in, want := range cases {
		if got := MaskAddress(in); got != want {
			t.Errorf("MaskAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzMask: no mask ever contains a whole input of more than 4 characters,
// masks are valid UTF-8, and length-preserving masks keep the length. Inputs
// containing '*' are skipped for the containment check: a star typed by the
// user is indistinguishable from a mask star and reveals nothing.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"130528198001011234", "13812345678", "张三丰", "宁晋县凤凰镇东街村3号", "", "12345", "\xff\xfe\xfd\xfc\xfb", " a b c ", "阿依古丽·买买提"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := strings.TrimSpace(s)
		n := utf8.RuneCountInString(in)
		masks := map[string]string{
			"MaskID": MaskID(s), "MaskPhone": MaskPhone(s), "MaskName": MaskName(s), "MaskAddress": MaskAddress(s),
		}
		for name, m := range masks {
			if !utf8.ValidString(m) {
				t.Fatalf("%s(%q) = %q is not UTF-8", name, s, m)
			}
			if n > 4 && !strings.Contains(in, star) && strings.Contains(m, in) {
				t.Fatalf("%s(%q) = %q reveals it", name, s, m)
			}
			if n > 0 && !strings.Contains(m, star) {
				t.Fatalf("%s(%q) = %q masks nothing", name, s, m)
			}
		}
		for _, name := range []string{"MaskID", "MaskPhone", "MaskName"} {
			if got := utf8.RuneCountInString(masks[name]); got != n {
				t.Fatalf("%s(%q) has %d runes, want %d", name, s, got, n)
			}
		}
	})
}
