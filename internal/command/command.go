// Package command is the commander's page (指挥, SPEC §13): for any day, the
// epidemic figures of the caller's territory, a breakdown by township (and by
// village on drill-down) with links to the case records, and the trend of
// new and cumulative confirmed cases, drawn on the server as SVG so it reads
// on a phone and prints on A4. Every figure is computed from the case records
// as of the day asked; nothing is typed in or stored.
package command

import (
	"embed"

	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/web"
	"fangkong/internal/surveillance"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"command_dashboard"}

// Register adds the dashboard page, the home page redirect and the dashboard
// and summary API. clusters, when not nil, adds the links between cases that
// another module knows (contact tracing's exposures, wired by internal/app)
// to the clusters behind the risk level; nil counts the case records' only.
func Register(rt *web.Router, clusters surveillance.ClusterSource) {
	rt.Env.Render.Add(templates, "templates/command_dashboard.html")
	h := &handlers{env: rt.Env, load: &loader{db: rt.Env.DB, org: &org.Store{DB: rt.Env.DB},
		surv: &surveillance.Store{DB: rt.Env.DB, Today: rt.Env.Today, Settings: rt.Env.Settings, ClusterSource: clusters}}}
	rt.Page("GET /{$}", web.LoggedIn, h.home)
	rt.Page("GET /dashboard", auth.PermDashboard, h.dashboard)
	rt.API("GET /api/v1/dashboard", auth.PermDashboard, h.apiDashboard, web.Doc{Summary: "The dashboard for a day: summary, per-division rows and the trend, within the caller's scope.", Query: []string{"date", "division"}, Out: Dashboard{}})
	rt.API("GET /api/v1/surveillance/summary", auth.PermDashboard, h.apiSummary, web.Doc{Summary: "The day's case figures and county risk level (17 Feb 2020 rules), computed from the records; division is a statistical code.", Query: []string{"date", "division"}, Out: summaryResponse{}})
	rt.Nav(web.NavItem{Key: "nav.dashboard", Href: "/dashboard", Perm: auth.PermDashboard, Order: 10})
}

type handlers struct {
	env  *web.Env
	load *loader
}
