package cli

import (
	"fmt"
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
)

// explain turns a user-facing error into a line for the terminal, in English.
func explain(err error) error {
	e := errs.As(err)
	if e.Code == errs.Internal {
		return err
	}
	parts := []string{e.Msg.In(i18n.EN)}
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Msg.In(i18n.EN))
	}
	return fmt.Errorf("%s", strings.Join(parts, "; "))
}
