// Package account is signing in and out, the user's own profile (language,
// password, first-login change) and, for administrators, the list of accounts
// and their grants. The rules live in platform/auth; this package is the pages
// and API around them.
package account

import (
	"embed"
	"net/http"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"account_login", "account_profile", "account_password", "account_users"}

// Register adds the account routes.
func Register(rt *web.Router) {
	rt.Env.Render.Add(templates, "templates/account_login.html", "templates/account_profile.html",
		"templates/account_password.html", "templates/account_users.html")
	h := &handlers{env: rt.Env}
	rt.Page("GET /login", web.Public, h.loginPage)
	rt.Page("POST /login", web.Public, h.loginSubmit)
	rt.Page("POST /logout", web.Public, h.logout)
	rt.Page("GET /account", web.LoggedIn, h.profile)
	rt.Page("GET /account/password", web.LoggedIn, h.passwordPage)
	rt.Page("POST /account/password", web.LoggedIn, h.passwordSubmit)
	rt.Page("POST /account/lang", web.Public, h.setLang)
	rt.Page("GET /admin/users", auth.PermUserAdmin, h.users)
	rt.API("POST /api/v1/login", web.Public, h.apiLogin, web.Doc{Summary: "Sign in; answers the account and sets the session cookie, or 401 problem+json.", In: loginRequest{}, Out: meResponse{}})
	rt.API("POST /api/v1/logout", web.LoggedIn, h.apiLogout, web.Doc{Summary: "End the session.", Status: 204})
	rt.API("GET /api/v1/me", web.LoggedIn, h.apiMe, web.Doc{Summary: "The signed-in account with its roles and scopes.", Out: meResponse{}})
	rt.API("GET /api/v1/users", auth.PermUserAdmin, h.apiUsers, web.Doc{Summary: "Every account with its grants.", Out: struct {
		Items []auth.User `json:"items"`
	}{}})
	rt.Nav(web.NavItem{Key: "nav.users", Href: "/admin/users", Perm: auth.PermUserAdmin, Order: 90})
}

type handlers struct{ env *web.Env }

func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(web.SessionCookie); err == nil {
		return c.Value
	}
	return ""
}
