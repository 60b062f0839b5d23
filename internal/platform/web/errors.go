package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
)

// Status maps an error code to its HTTP status: the one place that does.
func Status(code errs.Code) int {
	switch code {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Conflict:
		return http.StatusConflict
	case errs.TooMany:
		return http.StatusTooManyRequests
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem document, with the bad fields listed.
type Problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail,omitempty"`
	Code   errs.Code      `json:"code"`
	Errors []ProblemField `json:"errors,omitempty"`
}

// ProblemField is one bad field of a request.
type ProblemField struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
	Key    string `json:"key"`
}

// RequestLang is the language of the request: the user's, else the browser's.
func RequestLang(r *http.Request) i18n.Lang {
	if p := auth.From(r.Context()); p != nil {
		return p.Lang
	}
	if c, err := r.Cookie("lang"); err == nil {
		return i18n.Parse(c.Value)
	}
	return i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// ProblemOf builds the problem document for err in lang.
func ProblemOf(err error, lang i18n.Lang) Problem {
	e := errs.As(err)
	status := Status(e.Code)
	pr := Problem{Type: "https://fangkong.invalid/problems/" + string(e.Code), Title: e.Msg.In(lang), Status: status, Code: e.Code}
	for _, f := range e.Fields {
		pr.Errors = append(pr.Errors, ProblemField{Field: f.Field, Detail: f.Msg.In(lang), Key: f.Msg.Key})
	}
	return pr
}

func (e *Env) logIfInternal(r *http.Request, err error) {
	if errs.CodeOf(err) == errs.Internal {
		e.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

func (e *Env) problem(w http.ResponseWriter, r *http.Request, err error) {
	e.logIfInternal(r, err)
	pr := ProblemOf(err, RequestLang(r))
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(pr.Status)
	json.NewEncoder(w).Encode(pr)
}

// WriteProblem answers an API request with err as problem+json.
func (e *Env) WriteProblem(w http.ResponseWriter, r *http.Request, err error) { e.problem(w, r, err) }

func (e *Env) pageError(w http.ResponseWriter, r *http.Request, err error) {
	e.logIfInternal(r, err)
	pr := ProblemOf(err, RequestLang(r))
	e.Render.Page(w, r, pr.Status, "error", pr.Title, pr)
}

// JSON writes v as a JSON response.
func JSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// NotFound answers a path no route serves: the app's 404 page, or problem+json
// under /api/.
func (e *Env) NotFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			e.problem(w, r, errs.NotFoundf())
			return
		}
		e.pageError(w, r, errs.NotFoundf())
	})
}
