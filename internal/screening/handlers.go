package screening

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
	"fangkong/internal/surveillance"
)

//go:embed templates/*.html templates/*.tmpl
var templates embed.FS

// views are the module's pages; each is parsed together with the shared
// snippets of templates/screening_partials.tmpl.
var views = []string{"screening_overview", "screening_persons", "screening_person_form", "screening_person",
	"screening_observe", "screening_observations", "screening_observation", "screening_due", "screening_alerts",
	"screening_alert", "screening_import", "screening_import_job", "screening_links", "screening_self",
	"screening_self_done", "screening_queue", "screening_households", "screening_rules", "screening_notices"}

// Views are the templates this package renders.
var Views = views

// Register adds the screening pages, the resident self-registration link
// and the API. steps are other modules' parts in merges and in the ends of
// observations (the app wiring passes isolation's and tracing's).
func Register(rt *web.Router, steps ...Steps) {
	files := make([]string, len(views))
	for i, v := range views {
		files[i] = "templates/" + v + ".html"
	}
	rt.Env.Render.Add(withPartials(templates), files...)
	h := &handlers{env: rt.Env, store: NewStore(rt.Env)}
	h.store.Steps = Steps{}.With(steps...)
	rt.Panel(panel(h.store))
	registerPages(rt, h)
	registerAPI(rt, h)
	rt.Nav(web.NavItem{Key: "nav.screening", Href: "/screening", Perm: PermRead, Order: 25})
}

func registerPages(rt *web.Router, h *handlers) {
	rt.Page("GET /screening", PermRead, h.home)
	rt.Page("GET /screening/overview", PermRead, h.overview)
	rt.Page("GET /screening/persons", PermRead, h.persons)
	rt.Page("GET /screening/persons/new", PermWrite, h.personNew)
	rt.Page("POST /screening/persons", PermWrite, h.personCreate)
	rt.Page("GET /screening/persons/{id}", PermRead, h.person)
	rt.Page("POST /screening/persons/{id}/reveal", auth.PermPIIReveal, h.personReveal)
	rt.Page("GET /screening/persons/{id}/edit", PermWrite, h.personEdit)
	rt.Page("POST /screening/persons/{id}", PermWrite, h.personUpdate)
	rt.Page("POST /screening/persons/{id}/travels", PermWrite, h.travelAdd)
	rt.Page("POST /screening/persons/{id}/merge", PermWrite, h.personMerge)
	rt.Page("GET /screening/persons/{id}/observe", PermWrite, h.observeForm)
	rt.Page("POST /screening/observations", PermWrite, h.observeCreate)
	rt.Page("GET /screening/observations", PermRead, h.observations)
	rt.Page("GET /screening/observations/{id}", PermRead, h.observation)
	rt.Page("POST /screening/observations/{id}/followups", PermWrite, h.followUpAdd)
	rt.Page("POST /screening/observations/{id}/adjust", PermWrite, h.adjust)
	rt.Page("POST /screening/observations/{id}/release", PermWrite, h.release)
	rt.Page("GET /screening/observations/{id}/notice", auth.PermPIIReveal, h.noticeOne)
	rt.Page("GET /screening/notices", auth.PermPIIReveal, h.noticesBulk)
	rt.Page("GET /screening/followups", PermRead, h.due)
	rt.Page("POST /screening/followups", PermWrite, h.dueRecord)
	rt.Page("POST /screening/followups/release", PermWrite, h.dueRelease)
	rt.Page("GET /screening/alerts", PermRead, h.alerts)
	rt.Page("GET /screening/alerts/{id}", PermRead, h.alert)
	rt.Page("POST /screening/alerts/{id}/events", PermWrite, h.alertEvent)
	rt.Page("GET /screening/import", PermWrite, h.importPage)
	rt.Page("GET /screening/import/template.xlsx", PermWrite, h.importTemplate)
	rt.Page("POST /screening/import", PermWrite, h.importSubmit)
	rt.Page("GET /screening/import/{id}", PermWrite, h.importJob)
	rt.Page("GET /screening/import/{id}/report.xlsx", PermWrite, h.importReport)
	rt.Page("GET /screening/links", PermWrite, h.links)
	rt.Page("POST /screening/links/{id}/rotate", PermWrite, h.linkRotate)
	rt.Page("GET /screening/queue", PermRead, h.queue)
	rt.Page("POST /screening/queue/{id}/accept", PermWrite, h.queueAccept)
	rt.Page("POST /screening/queue/{id}/reject", PermWrite, h.queueReject)
	rt.Page("GET /screening/households", PermRead, h.households)
	rt.Page("POST /screening/households", PermWrite, h.householdAdd)
	rt.Page("GET /screening/rules", PermRead, h.rules)
	rt.Page("POST /screening/rules", auth.PermSettings, h.rulesSave)
	rt.Page("GET /r/{token}", web.Public, h.selfForm)
	rt.Page("POST /r/{token}", web.Public, h.selfSubmit)
}

// NewStore is the store as the web layer configures it. Its clock reads
// env.Now when asked, so a clock set on the Env later (tests) reaches it.
func NewStore(env *web.Env) *Store {
	return &Store{DB: env.DB, Today: env.Today, Now: func() time.Time { return env.Now() }, Zone: env.Zone, Settings: env.Settings,
		Cases: &surveillance.Store{DB: env.DB, Today: env.Today, Settings: env.Settings}}
}

type handlers struct {
	env   *web.Env
	store *Store
}

// withPartials serves each view file with the shared snippets appended, so
// every view can call them (the renderer parses one file per view).
func withPartials(fsys fs.FS) fs.FS { return partialFS{fsys} }

type partialFS struct{ fs.FS }

// ReadFile appends the partials to every .html view.
func (p partialFS) ReadFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(p.FS, name)
	if err != nil || path.Ext(name) != ".html" {
		return b, err
	}
	extra, err := fs.ReadFile(p.FS, "templates/screening_partials.tmpl")
	if err != nil {
		return nil, err
	}
	return append(append(b, '\n'), extra...), nil
}

// queryID reads an optional id from the query string.
func queryID(r *http.Request, key string) (int64, error) {
	s := r.URL.Query().Get(key)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field(key, "errs.bad_type")
	}
	return id, nil
}

// formID reads an id from a form field (0 when blank or bad; the store then
// reports the field).
func formID(f *web.Form, key string) int64 {
	id, _ := strconv.ParseInt(strings.TrimSpace(f.Get(key)), 10, 64)
	return id
}

// queryLimit reads ?limit=.
func queryLimit(r *http.Request) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 500 {
		return 0, errs.Field("limit", "errs.bad_type")
	}
	return n, nil
}

// option is one choice of a select or a checkbox group.
type option struct {
	Value   string
	Label   string // i18n key
	Raw     string // untranslated text (names)
	Checked bool
}

// villageOptions lists the villages where the caller may write, grouped
// under their townships (township names as disabled-looking labels).
func (h *handlers) villageOptions(ctx context.Context, p *auth.Principal, lang string) ([]option, error) {
	nodes, err := h.store.nodes(ctx, p.Scope(PermWrite))
	if err != nil {
		return nil, err
	}
	towns := map[int64]string{}
	for _, n := range nodes {
		if n.Level == "township" {
			towns[n.ID] = n.Name(lang)
		}
	}
	var out []option
	for _, n := range nodes {
		if n.Level != "village" {
			continue
		}
		label := n.Name(lang)
		if t := towns[n.parent]; t != "" {
			label = t + " · " + label
		}
		out = append(out, option{Value: itoa(n.ID), Raw: label})
	}
	return out, nil
}

// divisionOptions lists every division of the caller's read scope, for
// filters: townships, and villages indented.
func (h *handlers) divisionOptions(ctx context.Context, p *auth.Principal, lang string) ([]option, error) {
	nodes, err := h.store.nodes(ctx, p.Scope(PermRead))
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: "screening.all_divisions"}}
	for _, n := range nodes {
		label := n.Name(lang)
		switch n.Level {
		case "county":
			continue
		case "village":
			label = "　" + label
		}
		out = append(out, option{Value: itoa(n.ID), Raw: label})
	}
	return out, nil
}

// choices turns a list of codes into options labelled by prefix+code.
func choices[T ~string](list []T, prefix string, withEmpty bool) []option {
	var out []option
	if withEmpty {
		out = append(out, option{Value: "", Label: "common.all"})
	}
	for _, v := range list {
		out = append(out, option{Value: string(v), Label: prefix + string(v)})
	}
	return out
}

// checked marks the options whose value is in vals.
func checked(opts []option, vals []string) []option {
	has := map[string]bool{}
	for _, v := range vals {
		has[v] = true
	}
	for i := range opts {
		opts[i].Checked = has[opts[i].Value]
	}
	return opts
}

// asOf reads ?date= (default: the configured day or today) and
// ?division=, reporting both when both are wrong.
func (h *handlers) asOf(r *http.Request) (storage.Date, int64, error) {
	var fe []errs.FieldError
	d, err := h.env.AsOf(r)
	if err != nil {
		fe = append(fe, errs.As(err).Fields...)
	}
	div, err := queryID(r, "division")
	if err != nil {
		fe = append(fe, errs.As(err).Fields...)
	}
	return d, div, errs.Fields(fe)
}

// countyTime formats a time in the county's zone for datetime-local inputs.
func (h *handlers) countyTime(t time.Time) string { return t.In(h.env.Zone).Format("2006-01-02T15:04") }
