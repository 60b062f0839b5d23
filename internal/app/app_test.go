package app_test

import (
	"net/url"
	"os"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

// TestPlatformBehaviour walks the cross-cutting promises through the real
// router and middleware, on both databases.
func TestPlatformBehaviour(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		anon := srv.Anon(t)
		t.Run("signed-out pages go to login, API answers 401 problem+json", func(t *testing.T) {
			if res := anon.Get("/cases"); res.Code != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
				t.Errorf("page: %d %s", res.Code, res.Header.Get("Location"))
			}
			res := anon.Get("/api/v1/cases")
			if res.Code != 401 || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("api: %d %s", res.Code, res.Header.Get("Content-Type"))
			}
		})
		t.Run("login answers 401 problem+json or 200 with a safe cookie", func(t *testing.T) {
			res := anon.JSON("POST", "/api/v1/login", map[string]string{"username": apptest.Commander, "password": "nope"})
			if res.Code != 401 || !strings.Contains(res.Body, `"status":401`) {
				t.Errorf("bad login: %d %s", res.Code, res.Body)
			}
			res = anon.JSON("POST", "/api/v1/login", map[string]string{"username": apptest.Commander, "password": apptest.Password})
			cookie := res.Header.Get("Set-Cookie")
			if res.Code != 200 || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
				t.Errorf("login: %d %q", res.Code, cookie)
			}
			if res := anon.JSON("POST", "/api/v1/login", `{"username": 3}`); res.Code != 422 {
				t.Errorf("typed login: %d", res.Code)
			}
		})
		t.Run("security headers forbid inline script", func(t *testing.T) {
			res := anon.Get("/login")
			csp := res.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP %q", csp)
			}
			if strings.Contains(res.Body, "<script>") || strings.Contains(res.Body, "style=") {
				t.Error("login page has inline script or style")
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("nosniff")
			}
		})
		t.Run("cross-origin form posts are refused (CSRF)", func(t *testing.T) {
			c := srv.As(t, apptest.Commander)
			res := c.DoWith("POST", "/cases", strings.NewReader("name=x"), "application/x-www-form-urlencoded",
				map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
			if res.Code != 403 {
				t.Errorf("cross-site post: %d", res.Code)
			}
		})
		t.Run("language follows the browser, then the account", func(t *testing.T) {
			en := srv.Anon(t)
			en.Lang = "en-US,en;q=0.9"
			if body := en.Get("/login").Body; !strings.Contains(body, "Sign in") {
				t.Error("English login page")
			}
			c := srv.As(t, apptest.Leader)
			c.Form("/account/lang", url.Values{"lang": {"en"}, "next": {"/account"}})
			if body := c.Get("/account").Body; !strings.Contains(body, "My account") {
				t.Error("account language not applied")
			}
			if body := c.Get("/api/v1/cases/999999").Body; !strings.Contains(body, "Record not found") {
				t.Errorf("problem not in the user's language: %s", body)
			}
		})
		t.Run("unknown paths get the app's 404", func(t *testing.T) {
			if res := anon.Get("/no/such/page"); res.Code != 404 || !strings.Contains(res.Body, "<main") {
				t.Errorf("page: %d", res.Code)
			}
			if res := anon.Get("/api/v1/nothing"); res.Code != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("api: %d %s", res.Code, res.Header.Get("Content-Type"))
			}
		})
		t.Run("health, readiness and metrics", func(t *testing.T) {
			for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/metrics": "fangkong_http_requests_total"} {
				if res := anon.Get(path); res.Code != 200 || !strings.Contains(res.Body, want) {
					t.Errorf("%s: %d", path, res.Code)
				}
			}
		})
		t.Run("navigation follows the roles", func(t *testing.T) {
			body := srv.As(t, apptest.CadreDongwang).Get("/account").Body
			if !strings.Contains(body, `href="/cases"`) || strings.Contains(body, `href="/audit"`) || strings.Contains(body, `href="/admin/users"`) {
				t.Error("cadre navigation")
			}
			body = srv.As(t, apptest.Auditor).Get("/account").Body
			if !strings.Contains(body, `href="/audit"`) {
				t.Error("auditor navigation lacks the audit log")
			}
		})
		t.Run("open redirects are refused", func(t *testing.T) {
			res := srv.Anon(t).Form("/login", url.Values{"username": {apptest.Leader}, "password": {apptest.Password}, "next": {"//evil.example/x"}})
			if res.Code != 303 || res.Header.Get("Location") != "/" {
				t.Errorf("next: %d %s", res.Code, res.Header.Get("Location"))
			}
		})
	})
}

// TestFirstLoginPasswordChange: an account made with a generated password
// must change it before anything else.
func TestFirstLoginPasswordChange(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		if err := srv.App.Env.Auth.SetPassword(t.Context(), apptest.Leader, "generated-pw-1", true); err != nil {
			t.Fatal(err)
		}
		c := srv.Anon(t)
		res := c.Form("/login", url.Values{"username": {apptest.Leader}, "password": {"generated-pw-1"}})
		if res.Header.Get("Location") != "/account/password" {
			t.Fatalf("after login: %s", res.Header.Get("Location"))
		}
		if res := c.Get("/cases"); res.Header.Get("Location") != "/account/password" {
			t.Errorf("other pages must wait: %d %s", res.Code, res.Header.Get("Location"))
		}
		res = c.Form("/account/password", url.Values{"old_password": {"generated-pw-1"}, "new_password": {"short"}, "new_password2": {"short"}})
		if res.Code != 422 || !strings.Contains(res.Body, "e-new_password") {
			t.Errorf("short new password: %d", res.Code)
		}
		res = c.Form("/account/password", url.Values{"old_password": {"generated-pw-1"}, "new_password": {"my-own-password-2"}, "new_password2": {"my-own-password-2"}})
		if res.Code != 303 {
			t.Fatalf("change: %d %s", res.Code, res.Body)
		}
		if res := c.Get("/cases"); res.Code != 200 {
			t.Errorf("after change: %d", res.Code)
		}
	})
}
