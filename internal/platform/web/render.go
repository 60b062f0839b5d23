package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"sort"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
)

//go:embed templates/*.html
var baseTemplates embed.FS

// Renderer holds every page template: the shared layout plus each module's
// views, parsed once at start-up. Check proves none is missing before serving.
type Renderer struct {
	zone  *time.Location
	views map[string]*template.Template
	nav   *[]NavItem
}

// NewRenderer parses the shared layout; modules then Add their views.
func NewRenderer(zone *time.Location) *Renderer {
	r := &Renderer{zone: zone, views: map[string]*template.Template{}, nav: new([]NavItem)}
	r.Add(baseTemplates, "templates/error.html")
	return r
}

// Add parses view files from fsys, each under its base name without
// extension ("templates/case_list.html" → "case_list"), on top of the layout.
// A module's views are named after the module to stay unique, e.g.
// "surveillance_case_list.html".
func (rd *Renderer) Add(fsys fs.FS, files ...string) {
	for _, f := range files {
		name := baseName(f)
		t := template.New("layout.html").Funcs(rd.funcs())
		template.Must(t.ParseFS(baseTemplates, "templates/layout.html", "templates/partials.html"))
		template.Must(t.ParseFS(fsys, f))
		if _, dup := rd.views[name]; dup {
			panic("web: view " + name + " defined twice")
		}
		rd.views[name] = t
	}
}

func baseName(f string) string {
	for i := len(f) - 1; i >= 0; i-- {
		if f[i] == '/' {
			f = f[i+1:]
			break
		}
	}
	for i := len(f) - 1; i >= 0; i-- {
		if f[i] == '.' {
			return f[:i]
		}
	}
	return f
}

// Check fails if any of the named views is missing: called at start-up so a
// typo in a view name stops the server instead of a user's page.
func (rd *Renderer) Check(names ...string) error {
	for _, n := range names {
		if _, ok := rd.views[n]; !ok {
			return fmt.Errorf("web: view %q is not defined", n)
		}
	}
	return nil
}

// Views lists the defined views.
func (rd *Renderer) Views() []string {
	var out []string
	for n := range rd.views {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Page is what every template receives.
type Page struct {
	Lang   i18n.Lang
	User   *auth.Principal
	Title  string
	Path   string
	Query  string
	Nav    []NavItem
	Data   any
	Form   *Form
	Flash  string
	Status int
}

// T translates key into the page's language.
func (p *Page) T(key string, args ...any) string { return i18n.T(p.Lang, key, args...) }

// Msg translates a message into the page's language.
func (p *Page) Msg(m i18n.Msg) string { return m.In(p.Lang) }

// Can reports whether the viewer holds perm (to show or hide actions).
func (p *Page) Can(perm string) bool { return p.User.Can(auth.Perm(perm)) }

// Page renders view inside the layout with data, buffering so a template error
// becomes a clean 500 instead of half a page.
func (rd *Renderer) Page(w http.ResponseWriter, r *http.Request, status int, view, title string, data any) error {
	return rd.PageForm(w, r, status, view, title, data, nil)
}

// PageForm is Page with a form (values and field errors) to redisplay.
func (rd *Renderer) PageForm(w http.ResponseWriter, r *http.Request, status int, view, title string, data any, form *Form) error {
	t, ok := rd.views[view]
	if !ok {
		return fmt.Errorf("web: no view %q", view)
	}
	p := &Page{Lang: RequestLang(r), User: auth.From(r.Context()), Title: title, Path: r.URL.Path,
		Query: r.URL.RawQuery, Data: data, Form: form, Status: status}
	p.Nav = rd.navFor(p.User, r.URL.Path)
	if c, err := r.Cookie("flash"); err == nil {
		p.Flash = c.Value
		http.SetCookie(w, &http.Cookie{Name: "flash", Path: "/", MaxAge: -1})
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return fmt.Errorf("web: render %s: %w", view, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// T translates key in the request's language (for page titles).
func T(r *http.Request, key string, args ...any) string {
	return i18n.T(RequestLang(r), key, args...)
}
