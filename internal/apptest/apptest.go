// Package apptest runs the real Fangkong application for HTTP tests: the real
// router and middleware on a real database (SQLite or PostgreSQL from
// storagetest), with a small county fixture and one account per role.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"fangkong/internal/app"
	"fangkong/internal/platform/config"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// Server is a running test instance.
type Server struct {
	*httptest.Server
	App *app.App
	DB  *storage.DB
	Fix Fixture
}

// Today is the fixed "today" of test servers: the demo's reporting day, so
// dates in February 2020 are valid and later ones are in the future.
var Today = time.Date(2020, 2, 22, 10, 0, 0, 0, time.UTC)

// New starts the application on db (already migrated) with the fixture loaded.
func New(t testing.TB, db *storage.DB) *Server {
	t.Helper()
	fix := Seed(t, db)
	cfg := &config.Config{Zone: "Asia/Shanghai", Lang: "zh", MaxBodyKB: 1024, Database: db.Source}
	a, err := app.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a.Env.Now = func() time.Time { return Today }
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return &Server{Server: srv, App: a, DB: db, Fix: fix}
}

// Client is a signed-in (or anonymous) HTTP client with its own cookies.
type Client struct {
	t    testing.TB
	http *http.Client
	base string
	Lang string
}

// Anon returns a client with no session.
func (s *Server) Anon(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: s.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// As returns a client signed in as username (a fixture account).
func (s *Server) As(t testing.TB, username string) *Client {
	t.Helper()
	c := s.Anon(t)
	res := c.JSON("POST", "/api/v1/login", map[string]string{"username": username, "password": Password})
	if res.Code != 200 {
		t.Fatalf("login %s: %d %s", username, res.Code, res.Body)
	}
	return c
}

// SwitchLang sets the signed-in user's language ("zh" or "en"), as the
// language button in the page header does.
func (c *Client) SwitchLang(lang string) {
	c.t.Helper()
	if res := c.Form("/account/lang", url.Values{"lang": {lang}, "next": {"/"}}); res.Code != http.StatusSeeOther {
		c.t.Fatalf("switch to %s: %d %s", lang, res.Code, res.Body)
	}
}

// Response is a finished request.
type Response struct {
	Code   int
	Header http.Header
	Body   string
}

// Decode unmarshals the JSON body into v, failing the test on error.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// Do sends a request.
func (c *Client) Do(method, path string, body io.Reader, contentType string) Response {
	c.t.Helper()
	return c.DoWith(method, path, body, contentType, nil)
}

// DoWith sends a request with extra headers.
func (c *Client) DoWith(method, path string, body io.Reader, contentType string, headers map[string]string) Response {
	c.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.Lang != "" {
		req.Header.Set("Accept-Language", c.Lang)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return Response{Code: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Get fetches path.
func (c *Client) Get(path string) Response { return c.Do("GET", path, nil, "") }

// JSON sends v as a JSON body (v may be a string of raw JSON).
func (c *Client) JSON(method, path string, v any) Response {
	var b []byte
	if s, ok := v.(string); ok {
		b = []byte(s)
	} else {
		b, _ = json.Marshal(v)
	}
	return c.Do(method, path, bytes.NewReader(b), "application/json")
}

// Form posts url-encoded values, as a browser form does.
func (c *Client) Form(path string, v url.Values) Response {
	return c.Do("POST", path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
}

// AssertFields checks that res is a 422 problem+json naming each of fields,
// each with a translated message.
func AssertFields(t testing.TB, res Response, fields ...string) {
	t.Helper()
	if res.Code != 422 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("want 422 problem+json, got %d %s %s", res.Code, res.Header.Get("Content-Type"), res.Body)
	}
	var pr web.Problem
	res.Decode(t, &pr)
	got := map[string]bool{}
	for _, f := range pr.Errors {
		got[f.Field] = true
		if f.Detail == "" || f.Detail == f.Key {
			t.Errorf("field %s has no translated message", f.Field)
		}
	}
	for _, f := range fields {
		if !got[f] {
			t.Errorf("field %q not reported in %s", f, res.Body)
		}
	}
}
