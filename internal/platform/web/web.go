// Package web is the HTTP platform every module's handlers stand on: a router
// that records its routes (for the OpenAPI check and navigation), handlers that
// return errors mapped to status codes in one place, server-rendered pages in
// two languages, problem+json for the API, and the security middleware.
package web

import (
	"log/slog"
	"net/http"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
)

// Env is what handlers need from the platform; built once at start-up and passed
// explicitly (no globals).
type Env struct {
	DB       *storage.DB
	Auth     *auth.Store
	Render   *Renderer
	Log      *slog.Logger
	Zone     *time.Location
	Now      func() time.Time // the clock; tests and the demo may fix it
	Secure   bool             // cookies marked Secure (served over TLS)
	BaseURL  string
	MaxBody  int64
	Settings *settings.Store
	// DefaultDate, when set, is the day "as of" pages show when none is asked
	// (the demo's 2020-02-22); otherwise they show today.
	DefaultDate *storage.Date
	// panels are the modules' dashboard panels (see Router.Panel).
	panels []PanelSource
}

// Today is the current calendar day in the county's zone.
func (e *Env) Today() storage.Date { return storage.DateOf(e.Now(), e.Zone) }

// AsOf reads the ?date= of an "as of" page: the day asked for, else the
// configured default day, else today. A bad or future date is a field error.
func (e *Env) AsOf(r *http.Request) (storage.Date, error) {
	s := r.URL.Query().Get("date")
	if s == "" {
		if e.DefaultDate != nil {
			return *e.DefaultDate, nil
		}
		return e.Today(), nil
	}
	d, err := storage.ParseDate(s)
	if err != nil {
		return d, errs.Field("date", "errs.bad_date")
	}
	if d.After(e.Today().Time) {
		return d, errs.Field("date", "errs.future_date")
	}
	return d, nil
}

// Handler is an HTTP handler that may fail; the router turns its error into the
// right page or problem document.
type Handler func(w http.ResponseWriter, r *http.Request) error
