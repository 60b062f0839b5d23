package org

import (
	"embed"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"org_tree", "org_node", "org_new", "org_import", "org_import_report",
	"org_departments", "org_department"}

// Register adds the pages and API of the tree and the departments.
func Register(rt *web.Router) {
	files := make([]string, len(Views))
	for i, v := range Views {
		files[i] = "templates/" + v + ".html"
	}
	rt.Env.Render.Add(templates, files...)
	h := &handlers{env: rt.Env, store: &Store{DB: rt.Env.DB}}
	rt.Page("GET /org", auth.PermOrgRead, h.tree)
	rt.Page("GET /org/{id}", auth.PermOrgRead, h.node)
	rt.Page("POST /org/{id}", auth.PermOrgWrite, h.nodeSubmit)
	rt.Page("GET /org/new", auth.PermOrgWrite, h.newPage)
	rt.Page("POST /org", auth.PermOrgWrite, h.newSubmit)
	rt.Page("GET /org/export.xlsx", auth.PermOrgRead, h.export)
	rt.Page("GET /org/import", auth.PermOrgWrite, h.importPage)
	rt.Page("POST /org/import", auth.PermOrgWrite, h.importSubmit)
	rt.Page("GET /org/import/template.xlsx", auth.PermOrgWrite, h.importTemplate)
	rt.Page("GET /departments", web.LoggedIn, h.departments)
	rt.Page("POST /departments", auth.PermOrgWrite, h.departmentAdd)
	rt.Page("GET /departments/{id}", auth.PermOrgWrite, h.department)
	rt.Page("POST /departments/{id}", auth.PermOrgWrite, h.departmentSubmit)
	registerAPI(rt, h)
	rt.Nav(web.NavItem{Key: "nav.org", Href: "/org", Perm: auth.PermOrgRead, Order: 50})
}

func registerAPI(rt *web.Router, h *handlers) {
	rt.API("GET /api/v1/org/nodes", auth.PermOrgRead, h.apiList, web.Doc{Summary: "Divisions in the caller's scope, in code order; cursor paging.", Query: []string{"parent", "level", "cursor", "limit"}, Out: itemPage{}})
	rt.API("GET /api/v1/org/nodes/{id}", auth.PermOrgRead, h.apiGet, web.Doc{Summary: "One division with its number of children; 404 outside the caller's scope.", Out: Item{}})
	rt.API("POST /api/v1/org/nodes", auth.PermOrgWrite, h.apiCreate, web.Doc{Summary: "Add a division under a parent the caller may edit; its code is the parent's plus three digits.", In: CreateInput{}, Out: Item{}, Status: 201})
	rt.API("PUT /api/v1/org/nodes/{id}", auth.PermOrgWrite, h.apiUpdate, web.Doc{Summary: "Change a division; 409 when updated_at shows someone saved first.", In: UpdateInput{}, Out: Item{}})
	rt.API("GET /api/v1/departments", web.LoggedIn, h.apiDepartments, web.Doc{Summary: "Every county department.", Out: departmentPage{}})
	rt.API("GET /api/v1/departments/{id}", web.LoggedIn, h.apiDepartment, web.Doc{Summary: "One department.", Out: Department{}})
	rt.API("POST /api/v1/departments", auth.PermOrgWrite, h.apiDepartmentCreate, web.Doc{Summary: "Add a department (county-level org.write).", In: DepartmentInput{}, Out: Department{}, Status: 201})
	rt.API("PUT /api/v1/departments/{id}", auth.PermOrgWrite, h.apiDepartmentUpdate, web.Doc{Summary: "Change a department (county-level org.write).", In: DepartmentInput{}, Out: Department{}})
}

type handlers struct {
	env   *web.Env
	store *Store
}

// itemPage and departmentPage document the list answers for openapi.json.
type itemPage struct {
	Items []Item `json:"items"`
	Next  string `json:"next_cursor"`
}

type departmentPage struct {
	Items []Department `json:"items"`
	Next  string       `json:"next_cursor"`
}
