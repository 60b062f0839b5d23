package web

import (
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "fk_session"

// contentSecurityPolicy forbids inline script and style: pages work from the
// server's own files only, so injected markup cannot run.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// Wrap puts the platform middleware around h, outermost first: panic recovery,
// security headers, body limit, cross-origin protection (CSRF), session.
func (e *Env) Wrap(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return e.recoverPanics(e.headers(e.limitBody(cop.Handler(e.session(h)))))
}

func (e *Env) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				e.Log.Error("panic", "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

func (e *Env) headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		if e.Secure {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

func (e *Env) limitBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := e.MaxBody
		if strings.Contains(r.URL.Path, "/import") || strings.HasSuffix(r.URL.Path, "/photos") {
			limit = 64 << 20 // spreadsheets and photos are larger than forms; handlers check their own limits
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		h.ServeHTTP(w, r)
	})
}

// session resolves the session cookie into a Principal. A stale cookie is
// dropped silently: the page handler then asks for a login.
func (e *Env) session(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := audit.WithRemoteAddr(r.Context(), ClientAddr(r))
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			p, err := e.Auth.Principal(ctx, c.Value)
			switch {
			case err == nil:
				ctx = auth.WithPrincipal(ctx, p)
			case errs.CodeOf(err) == errs.Unauthorized:
				e.ClearSession(w)
			default:
				e.Log.Error("session lookup", "err", err)
			}
		}
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// SetSession sets the session cookie: HttpOnly, SameSite=Lax, Secure under TLS.
func (e *Env) SetSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: e.Secure, SameSite: http.SameSiteLaxMode, MaxAge: int((12 * time.Hour).Seconds())})
}

// ClearSession removes the session cookie.
func (e *Env) ClearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: e.Secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// ClientAddr is the client's IP address (without port). Behind a reverse proxy
// the proxy's address is what we see; deployments that trust X-Forwarded-For
// set it up in the proxy, not here.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// AccessLog logs each request at debug level (info for slow or failed ones),
// as structured JSON.
func (e *Env) AccessLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		h.ServeHTTP(sw, r)
		d := time.Since(start)
		level := slog.LevelDebug
		if sw.status >= 500 || d > time.Second {
			level = slog.LevelInfo
		}
		if e.Log.Enabled(r.Context(), level) { // spares building the attributes of a line not written
			e.Log.Log(r.Context(), level, "http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", d.Milliseconds())
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
