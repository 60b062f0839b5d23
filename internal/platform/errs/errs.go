// Package errs is Fangkong's one error vocabulary. Stores and rules return an
// *Error with a Code; the web layer maps each Code to an HTTP status in one place
// (web/errors.go), so users never see a raw database error and every message is
// translated for them.
package errs

import (
	"errors"
	"fmt"

	"fangkong/internal/platform/i18n"
)

// Code classifies an error for the caller.
type Code string

// The codes, each documented with its HTTP status.
const (
	Invalid      Code = "invalid"      // 422: input failed validation; see Fields
	NotFound     Code = "not_found"    // 404: no such record, or not in the caller's scope
	Forbidden    Code = "forbidden"    // 403: the caller's roles do not allow the action
	Unauthorized Code = "unauthorized" // 401: not logged in, or bad credentials
	Conflict     Code = "conflict"     // 409: the record changed, or a duplicate exists
	TooMany      Code = "too_many"     // 429: throttled
	TooLarge     Code = "too_large"    // 413: request body over the limit
	Internal     Code = "internal"     // 500: a bug or an outage; logged, never shown
)

// FieldError names one bad input field and why.
type FieldError struct {
	Field string   `json:"field"`
	Msg   i18n.Msg `json:"-"`
}

// Error is an error a user may see.
type Error struct {
	Code   Code
	Msg    i18n.Msg
	Fields []FieldError
	Err    error // the cause, for logs only
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Msg.Key
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New makes an error with a code and a message key.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Msg: i18n.Msg{Key: key, Args: args}}
}

// Fields makes an Invalid error from field errors; nil when there are none, so
// callers can write `if err := errs.Fields(fe); err != nil`.
func Fields(fe []FieldError) error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Msg: i18n.Msg{Key: "errs.invalid"}, Fields: fe}
}

// Field is a one-field Invalid error.
func Field(field, key string, args ...any) *Error {
	return &Error{Code: Invalid, Msg: i18n.Msg{Key: "errs.invalid"},
		Fields: []FieldError{{Field: field, Msg: i18n.Msg{Key: key, Args: args}}}}
}

// NotFoundf is the scope-safe "no such record": the same answer whether the
// record is missing or outside the caller's territory.
func NotFoundf() *Error { return New(NotFound, "errs.not_found") }

// Forbid is the "your role may not do this" answer.
func Forbid() *Error { return New(Forbidden, "errs.forbidden") }

// Wrap marks an unexpected error as internal, keeping the cause for the log.
func Wrap(err error, context string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: Internal, Msg: i18n.Msg{Key: "errs.internal"}, Err: fmt.Errorf("%s: %w", context, err)}
}

// CodeOf returns the code of err, Internal for foreign errors.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns err as an *Error, wrapping foreign errors as Internal.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Msg: i18n.Msg{Key: "errs.internal"}, Err: err}
}

// FieldCollector gathers field errors while a form or JSON body is checked, so
// every wrong field is reported at once rather than one per round trip.
type FieldCollector struct{ list []FieldError }

// Add records a problem with field.
func (c *FieldCollector) Add(field, key string, args ...any) {
	c.list = append(c.list, FieldError{Field: field, Msg: i18n.Msg{Key: key, Args: args}})
}

// Check records err against field if err is non-nil. err may be any error
// carrying a translation via a Msg() method (validators do).
func (c *FieldCollector) Check(field string, err error) bool {
	if err == nil {
		return true
	}
	var m interface{ Msg() i18n.Msg }
	if errors.As(err, &m) {
		c.list = append(c.list, FieldError{Field: field, Msg: m.Msg()})
	} else {
		c.Add(field, "errs.field_invalid")
	}
	return false
}

// Has reports whether field already has an error.
func (c *FieldCollector) Has(field string) bool {
	for _, f := range c.list {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err is the collected Invalid error, or nil.
func (c *FieldCollector) Err() error { return Fields(c.list) }
