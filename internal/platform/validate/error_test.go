package validate

import (
	"errors"
	"strings"
	"testing"

	"fangkong/internal/platform/i18n"
)

// wantErr fails unless err is a *Error with the given key (or nil for "").
func wantErr(t *testing.T, err error, key string) {
	t.Helper()
	if key == "" {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	var ve *Error
	if !errors.As(err, &ve) {
		t.Fatalf("error = %#v, want *validate.Error %q", err, key)
	}
	if ve.Key != key {
		t.Fatalf("error key = %q, want %q", ve.Key, key)
	}
}

// knownErr fails unless err is nil or a *Error with one of this package's
// keys: the fuzz tests use it to prove no other kind of error leaks out.
func knownErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ve *Error
	if !errors.As(err, &ve) {
		t.Fatalf("error %#v is not a *validate.Error", err)
	}
	for _, k := range allKeys {
		if ve.Key == k {
			return
		}
	}
	t.Fatalf("error key %q is not in allKeys", ve.Key)
}

func TestErrorCarriesKeyAndArgs(t *testing.T) {
	err := fail(keyMaxLen, 20)
	if err.Error() != "validate.maxlen" {
		t.Errorf("Error() = %q", err.Error())
	}
	m := err.Msg()
	if m.Key != "validate.maxlen" || len(m.Args) != 1 || m.Args[0] != 20 {
		t.Errorf("Msg() = %#v", m)
	}
	if got := m.In(i18n.ZH); got != "最多填写20个字" {
		t.Errorf("zh = %q", got)
	}
	if got := m.In(i18n.EN); got != "At most 20 characters" {
		t.Errorf("en = %q", got)
	}
}

// TestEveryKeyHasMessages proves each key this package emits reads well in
// both languages, and that the catalog holds no stale validate.* keys.
func TestEveryKeyHasMessages(t *testing.T) {
	used := map[string]bool{}
	for _, k := range allKeys {
		if used[k] {
			t.Errorf("key %q listed twice", k)
		}
		used[k] = true
		for _, l := range i18n.Langs {
			msg, ok := i18n.Keys(l)[k]
			if !ok {
				t.Errorf("key %q has no %s message", k, l)
				continue
			}
			args := []any{}
			if strings.Contains(msg, "%d") {
				args = append(args, 7)
			}
			if got := i18n.T(l, k, args...); strings.Contains(got, "%!") {
				t.Errorf("key %q in %s formats badly: %q", k, l, got)
			}
		}
	}
	for k := range i18n.Keys(i18n.ZH) {
		if strings.HasPrefix(k, "validate.") && !used[k] {
			t.Errorf("catalog key %q is never emitted", k)
		}
	}
}
