package web

import (
	"strings"

	"fangkong/internal/platform/auth"
)

// NavItem is one entry of the main navigation, shown to users whose roles carry
// Perm. Modules add theirs when they register routes.
type NavItem struct {
	Key    string // i18n key of the label
	Href   string
	Perm   auth.Perm
	Order  int
	Active bool
}

// Nav adds a navigation entry.
func (rt *Router) Nav(item NavItem) {
	*rt.Env.Render.nav = append(*rt.Env.Render.nav, item)
}

func (rd *Renderer) navFor(p *auth.Principal, path string) []NavItem {
	if p == nil {
		return nil
	}
	var out []NavItem
	for _, it := range *rd.nav {
		if it.Perm == LoggedIn || p.Can(it.Perm) {
			it.Active = path == it.Href || (it.Href != "/" && strings.HasPrefix(path, it.Href))
			out = append(out, it)
		}
	}
	sortNav(out)
	return out
}

func sortNav(items []NavItem) {
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && items[j].Order < items[j-1].Order; j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
}

// Home is where a user lands who has no dashboard: the first entry of their
// navigation (a checkpoint volunteer's capture page, an enterprise officer's
// enterprise), or their account page.
func (rd *Renderer) Home(p *auth.Principal) string {
	if items := rd.navFor(p, ""); len(items) > 0 {
		return items[0].Href
	}
	return "/account"
}
