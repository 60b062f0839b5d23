// Package auditlog is the auditor's view of the append-only audit log (SPEC
// §0 "Audit"): a searchable page, an Excel export that is itself audited,
// one entry in full, and the same search as an API. Reading and scope live in
// platform/audit; this package is the pages and API around them. Nothing here
// writes to the log except the record of an export.
package auditlog

import (
	"embed"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"auditlog_list", "auditlog_entry"}

// Register adds the audit log's pages, export and API.
func Register(rt *web.Router) {
	rt.Env.Render.Add(templates, "templates/auditlog_list.html", "templates/auditlog_entry.html")
	h := &handlers{env: rt.Env, store: audit.Store{DB: rt.Env.DB}}
	rt.Page("GET /audit", auth.PermAuditRead, h.list)
	rt.Page("GET /audit/export.xlsx", auth.PermAuditRead, h.export)
	rt.Page("GET /audit/{id}", auth.PermAuditRead, h.entry)
	rt.API("GET /api/v1/audit", auth.PermAuditRead, h.apiList, web.Doc{Summary: "Audit entries in the caller's scope, newest first; cursor paging.", Query: []string{"actor", "action", "entity", "entity_id", "from", "to", "cursor", "limit"}, Out: apiPage{}})
	rt.API("GET /api/v1/audit/{id}", auth.PermAuditRead, h.apiGet, web.Doc{Summary: "One audit entry; 404 outside the caller's scope.", Out: apiEntry{}})
	rt.Nav(web.NavItem{Key: "nav.audit", Href: "/audit", Perm: auth.PermAuditRead, Order: 80})
}

type handlers struct {
	env   *web.Env
	store audit.Store
}
