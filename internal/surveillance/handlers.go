package surveillance

import (
	"context"
	"embed"
	"net/http"
	"strconv"

	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"surveillance_list", "surveillance_form", "surveillance_detail"}

// Register adds the case pages and API.
func Register(rt *web.Router) {
	rt.Env.Render.Add(templates, "templates/surveillance_list.html", "templates/surveillance_form.html",
		"templates/surveillance_detail.html")
	h := &handlers{env: rt.Env, store: NewStore(rt.Env), org: &org.Store{DB: rt.Env.DB}}
	rt.Page("GET /cases", auth.PermCaseRead, h.list)
	rt.Page("GET /cases/export.xlsx", auth.PermCaseRead, h.export)
	rt.Page("GET /cases/new", auth.PermCaseWrite, h.newForm)
	rt.Page("POST /cases", auth.PermCaseWrite, h.create)
	rt.Page("GET /cases/{id}", auth.PermCaseRead, h.detail)
	rt.Page("POST /cases/{id}/reveal", auth.PermPIIReveal, h.reveal)
	rt.Page("GET /cases/{id}/edit", auth.PermCaseWrite, h.editForm)
	rt.Page("POST /cases/{id}", auth.PermCaseWrite, h.update)
	rt.Page("POST /cases/{id}/events", auth.PermCaseWrite, h.addEvent)
	rt.API("GET /api/v1/cases", auth.PermCaseRead, h.apiList, web.Doc{Summary: "Cases in the caller's scope, newest first, personal data masked; cursor paging.", Query: []string{"status", "division", "id_number", "cursor", "limit"}, Out: Page{}})
	rt.API("POST /api/v1/cases", auth.PermCaseWrite, h.apiCreate, web.Doc{Summary: "Report a case with its first status (suspected, asymptomatic or confirmed) and its date.", In: Input{}, Out: Case{}, Status: 201})
	rt.API("GET /api/v1/cases/{id}", auth.PermCaseRead, web.ByID(h.store.Get), web.Doc{Summary: "One case with its status history, personal data masked; 404 outside the caller's scope.", Out: Case{}})
	rt.API("PUT /api/v1/cases/{id}", auth.PermCaseWrite, h.apiUpdate, web.Doc{Summary: "Change a case's details (not its status); version must match (409 otherwise).", In: Input{}, Out: Case{}})
	rt.API("POST /api/v1/cases/{id}/events", auth.PermCaseWrite, h.apiAddEvent, web.Doc{Summary: "Move a case to a new status on a day (confirmed, cured, died, struck from the count …).", In: eventRequest{}, Out: Case{}, Status: 201})
	rt.API("POST /api/v1/cases/{id}/reveal", auth.PermPIIReveal, h.apiReveal, web.Doc{Summary: "The case with personal data in full; written to the audit log.", Out: Case{}})
	rt.Nav(web.NavItem{Key: "nav.cases", Href: "/cases", Perm: auth.PermCaseRead, Order: 20})
}

// NewStore is the case store as the web layer configures it.
func NewStore(env *web.Env) *Store {
	return &Store{DB: env.DB, Today: env.Today, Settings: env.Settings}
}

type handlers struct {
	env   *web.Env
	store *Store
	org   *org.Store
}

// filterOf reads list filters from the query string.
func filterOf(r *http.Request) (Filter, error) {
	q := r.URL.Query()
	f := Filter{Status: Status(q.Get("status")), IDNumber: q.Get("id_number"), Cursor: q.Get("cursor")}
	if f.Status != "" && !f.Status.Valid() {
		return f, errs.Field("status", "errs.bad_choice")
	}
	if s := q.Get("division"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return f, errs.Field("division", "errs.bad_type")
		}
		f.DivisionID = id
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			return f, errs.Field("limit", "errs.bad_type")
		}
		f.Limit = n
	}
	return f, nil
}

// divisionOptions lists the divisions where the user may record cases.
func (h *handlers) divisionOptions(ctx context.Context, p *auth.Principal, lang string) ([]option, error) {
	nodes, err := h.org.List(ctx, p)
	if err != nil {
		return nil, err
	}
	scope := p.Scope(auth.PermCaseWrite)
	var out []option
	for _, n := range nodes {
		if n.Level != org.County && scope.Contains(n.Path) {
			label := n.Name(lang)
			if n.Level == org.Village {
				label = "　" + label
			}
			out = append(out, option{Value: strconv.FormatInt(n.ID, 10), Raw: label})
		}
	}
	return out, nil
}

// option is one choice of a select field.
type option struct {
	Value string
	Label string // i18n key
	Raw   string // untranslated text (names)
}

func statusOptions(list []Status, withEmpty bool) []option {
	var out []option
	if withEmpty {
		out = append(out, option{Value: "", Label: "common.all"})
	}
	for _, s := range list {
		out = append(out, option{Value: string(s), Label: "case.status." + string(s)})
	}
	return out
}
