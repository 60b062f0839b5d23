package web_test

import (
	"errors"
	"net/url"
	"testing"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// Refused keeps on the form what the person who typed can fix, and leaves
// not-found, forbidden and internal errors to the error page.
func TestFormRefused(t *testing.T) {
	for _, c := range []struct {
		name    string
		err     error
		refused bool
		field   string
	}{
		{"field error", errs.Field("name", "errs.required"), true, "name"},
		{"conflict", errs.New(errs.Conflict, "errs.conflict"), true, ""},
		{"throttled", errs.New(errs.TooMany, "errs.too_many"), true, ""},
		{"too large", errs.New(errs.TooLarge, "errs.too_large"), true, ""},
		{"not found", errs.NotFoundf(), false, ""},
		{"forbidden", errs.Forbid(), false, ""},
		{"unauthorized", errs.New(errs.Unauthorized, "errs.unauthorized"), false, ""},
		{"internal", errors.New("disk on fire"), false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := web.NewForm(url.Values{"name": {"typed"}})
			if got := f.Refused(c.err); got != c.refused {
				t.Fatalf("Refused = %v, want %v", got, c.refused)
			}
			if shown := f.Error != nil; shown != c.refused {
				t.Errorf("form message set = %v, want %v", shown, c.refused)
			}
			if _, ok := f.Errors[c.field]; c.field != "" && !ok {
				t.Errorf("no error on field %s", c.field)
			}
			if f.Get("name") != "typed" {
				t.Error("the typed value is lost")
			}
		})
	}
}
