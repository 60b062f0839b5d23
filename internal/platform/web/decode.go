package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"fangkong/internal/platform/errs"
)

// DecodeJSON reads a JSON body into v strictly: unknown fields, wrong types,
// trailing data and bodies over the limit are field-level errors, not silent
// surprises.
func DecodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errs.Field("body", "errs.bad_json")
	}
	return nil
}

func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return errs.New(errs.TooLarge, "errs.too_large")
	case errors.As(err, &typeErr):
		return errs.Field(typeErr.Field, "errs.bad_type")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.Field(name, "errs.unknown_field")
	case errors.Is(err, io.EOF):
		return errs.Field("body", "errs.bad_json")
	}
	bad := errs.Field("body", "errs.bad_json")
	bad.Err = fmt.Errorf("decode: %w", err)
	return bad
}
