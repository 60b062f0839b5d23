package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
)

// Route is one registered pattern.
type Route struct {
	Method, Path string
	API          bool
	Perm         auth.Perm
	Doc          *Doc // the API route's documentation, for openapi.json
}

// Public marks a route that needs no sign-in.
const Public auth.Perm = ""

// LoggedIn marks a route that needs a sign-in but no particular permission.
const LoggedIn auth.Perm = "*"

// Router wraps http.ServeMux and remembers every route it serves.
type Router struct {
	Env     *Env
	Metrics *Metrics
	mux     *http.ServeMux
	routes  []Route
	nav     []NavItem
}

// NewRouter makes an empty router.
func NewRouter(env *Env, m *Metrics) *Router {
	return &Router{Env: env, Metrics: m, mux: http.NewServeMux()}
}

// handle registers h under pattern, instrumented.
func (rt *Router) handle(pattern string, h http.Handler) {
	rt.mux.Handle(pattern, rt.Metrics.instrument(pattern, h))
}

// ServeHTTP dispatches to the matching route.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) { rt.mux.ServeHTTP(w, r) }

// Routes lists what has been registered, sorted.
func (rt *Router) Routes() []Route {
	out := append([]Route(nil), rt.routes...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

func (rt *Router) record(pattern string, api bool, perm auth.Perm, doc *Doc) {
	method, path, _ := strings.Cut(pattern, " ")
	rt.routes = append(rt.routes, Route{Method: method, Path: path, API: api, Perm: perm, Doc: doc})
}

// Raw registers a plain handler with no sign-in (health, static files).
func (rt *Router) Raw(pattern string, h http.Handler) {
	rt.record(pattern, false, Public, nil)
	rt.handle(pattern, h)
}

// Page registers an HTML page. A signed-out visitor is sent to the login page;
// a user lacking perm gets 403; errors become an error page.
func (rt *Router) Page(pattern string, perm auth.Perm, h Handler) {
	rt.record(pattern, false, perm, nil)
	rt.handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.From(r.Context())
		if perm != Public && p == nil {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if p != nil && p.MustChangePassword && perm != Public && !strings.HasPrefix(r.URL.Path, "/account/") {
			http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			return
		}
		if err := permitted(p, perm); err != nil {
			rt.Env.pageError(w, r, err)
			return
		}
		if err := h(w, r); err != nil {
			rt.Env.pageError(w, r, err)
		}
	}))
}

// API registers a JSON endpoint under /api/v1; errors become problem+json.
// doc describes it for /api/v1/openapi.json; a test requires one per route.
func (rt *Router) API(pattern string, perm auth.Perm, h Handler, doc ...Doc) {
	var d *Doc
	if len(doc) > 0 {
		d = &doc[0]
	}
	rt.record(pattern, true, perm, d)
	rt.handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.From(r.Context())
		if perm != Public && p == nil {
			rt.Env.problem(w, r, errs.New(errs.Unauthorized, "errs.unauthorized"))
			return
		}
		if err := permitted(p, perm); err != nil {
			rt.Env.problem(w, r, err)
			return
		}
		if err := h(w, r); err != nil {
			rt.Env.problem(w, r, err)
		}
	}))
}

func permitted(p *auth.Principal, perm auth.Perm) error {
	if perm == Public || perm == LoggedIn || p.Can(perm) {
		return nil
	}
	return errs.Forbid()
}
