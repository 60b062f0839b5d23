package web

import (
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
)

// Form is a submitted form to show again: the values exactly as typed and an
// error per field, so a rejected form loses nothing.
type Form struct {
	Values url.Values
	Errors map[string]i18n.Msg
	Error  *i18n.Msg // a form-level message
}

// NewForm wraps submitted values.
func NewForm(v url.Values) *Form { return &Form{Values: v, Errors: map[string]i18n.Msg{}} }

// Get returns the submitted value of field.
func (f *Form) Get(field string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(field)
}

// Err returns the error message key of field, if any.
func (f *Form) Err(field string) *i18n.Msg {
	if f == nil {
		return nil
	}
	if m, ok := f.Errors[field]; ok {
		return &m
	}
	return nil
}

// SetError records err on the form: field errors go to their fields, others
// become the form-level message. It reports whether err was user-facing
// (anything but an internal error).
func (f *Form) SetError(err error) bool {
	e := errs.As(err)
	if e.Code == errs.Internal {
		return false
	}
	for _, fe := range e.Fields {
		f.Errors[fe.Field] = fe.Msg
	}
	m := e.Msg
	f.Error = &m
	return true
}

// Refused records err on the form, as SetError does, when err refuses what
// was typed — a field error, a conflict (the record changed meanwhile), a
// throttle or an over-size upload — and reports whether it did. Every other
// error (not found, forbidden, internal) is the error page's: the handler
// returns it instead of showing the form again.
func (f *Form) Refused(err error) bool {
	switch errs.CodeOf(err) {
	case errs.Invalid, errs.Conflict, errs.TooMany, errs.TooLarge:
		return f.SetError(err)
	}
	return false
}

// ParseForm reads a posted form (urlencoded or multipart) within the body limit.
func ParseForm(r *http.Request) (*Form, error) {
	if err := r.ParseMultipartForm(8 << 20); err != nil && err != http.ErrNotMultipart {
		if err.Error() == "http: request body too large" {
			return nil, errs.New(errs.TooLarge, "errs.too_large")
		}
		if err := r.ParseForm(); err != nil {
			return nil, errs.New(errs.Invalid, "errs.invalid")
		}
	}
	return NewForm(r.PostForm), nil
}

// Redirect sends a 303 to url with a one-shot flash message key.
func Redirect(w http.ResponseWriter, r *http.Request, url, flashKey string) {
	if flashKey != "" {
		http.SetCookie(w, &http.Cookie{Name: "flash", Value: flashKey, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// PathID reads a numeric path segment such as {id}. A malformed id is simply
// "not found", like an id outside the caller's scope.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundf()
	}
	return id, nil
}
