package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
)

type callIn struct {
	Name string `json:"name"`
}

type callOut struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	By   string `json:"by"`
}

// The call shapes pass the path id, the decoded body and the principal to
// the method, answer its result with the status asked, and hand every
// error (bad id, bad body, the method's own) back unanswered.
func TestCallShapes(t *testing.T) {
	update := func(_ context.Context, p *auth.Principal, id int64, in callIn) (callOut, error) {
		if in.Name == "fail" {
			return callOut{}, errs.New(errs.Conflict, "errs.conflict")
		}
		return callOut{ID: id, Name: in.Name, By: p.Username}, nil
	}
	create := func(_ context.Context, p *auth.Principal, in callIn) (callOut, error) {
		return callOut{ID: 9, Name: in.Name, By: p.Username}, nil
	}
	get := func(_ context.Context, p *auth.Principal, id int64) (callOut, error) {
		return callOut{ID: id, By: p.Username}, nil
	}
	serve := func(h Handler, method, path, body string) (*httptest.ResponseRecorder, error) {
		mux := http.NewServeMux()
		var herr error
		mux.HandleFunc(method+" /x/{id}", func(w http.ResponseWriter, r *http.Request) { herr = h(w, r) })
		mux.HandleFunc(method+" /x", func(w http.ResponseWriter, r *http.Request) { herr = h(w, r) })
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req = req.WithContext(auth.WithPrincipal(req.Context(), &auth.Principal{Username: "ann"}))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec, herr
	}
	for _, c := range []struct {
		name, method, path, body string
		h                        Handler
		status                   int
		want                     string
		code                     errs.Code
	}{
		{"update", "PUT", "/x/7", `{"name":"东汪村"}`, WithID(http.StatusOK, update), 200, `{"id":7,"name":"东汪村","by":"ann"}`, ""},
		{"create", "POST", "/x", `{"name":"凤凰镇"}`, WithBody(http.StatusCreated, create), 201, `{"id":9,"name":"凤凰镇","by":"ann"}`, ""},
		{"get", "GET", "/x/3", "", ByID(get), 200, `{"id":3,"name":"","by":"ann"}`, ""},
		{"bad id", "PUT", "/x/abc", `{"name":"x"}`, WithID(http.StatusOK, update), 0, "", errs.NotFound},
		{"unknown field", "PUT", "/x/7", `{"nom":"x"}`, WithID(http.StatusOK, update), 0, "", errs.Invalid},
		{"method's error", "PUT", "/x/7", `{"name":"fail"}`, WithID(http.StatusOK, update), 0, "", errs.Conflict},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec, err := serve(c.h, c.method, c.path, c.body)
			if c.code != "" {
				var e *errs.Error
				if !errors.As(err, &e) || e.Code != c.code {
					t.Fatalf("error %v, want code %s", err, c.code)
				}
				return
			}
			if err != nil || rec.Code != c.status || strings.TrimSpace(rec.Body.String()) != c.want {
				t.Errorf("%d %s (%v), want %d %s", rec.Code, rec.Body, err, c.status, c.want)
			}
		})
	}
}
