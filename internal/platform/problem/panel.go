package problem

import (
	"context"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// panel puts open, overdue and awaiting-confirmation problems of every module
// on the command dashboard.
func panel(store *Store) web.PanelSource {
	return web.PanelSource{Order: 45, Perm: PermRead,
		Load: func(ctx context.Context, p *auth.Principal, d storage.Date) (web.Panel, error) {
			st, err := store.Stats(ctx, p, d, "")
			if err != nil {
				return web.Panel{}, err
			}
			t := st.Total
			day := "date=" + d.String()
			return web.Panel{Title: i18n.Msg{Key: "problem.panel.title"}, More: "/problems?" + day, Tiles: []web.Tile{
				{Label: i18n.Msg{Key: "problem.panel.unresolved"}, Value: strconv.Itoa(t.Unresolved), Href: "/problems?unresolved=1&" + day, Fig: "problems_unresolved"},
				{Label: i18n.Msg{Key: "problem.panel.overdue"}, Value: strconv.Itoa(t.Overdue), Href: "/problems?overdue=1&" + day, Hot: t.Overdue > 0, Fig: "problems_overdue"},
				{Label: i18n.Msg{Key: "problem.panel.resolved"}, Value: strconv.Itoa(t.Resolved), Href: "/problems?" + day, Fig: "problems_awaiting_confirmation"},
				{Label: i18n.Msg{Key: "problem.panel.confirmed"}, Value: strconv.Itoa(t.Confirmed), Href: "/problems?" + day, Fig: "problems_confirmed"},
			}}, nil
		}}
}
