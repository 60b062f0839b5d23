package tracing

import (
	"context"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// panel puts the clusters on the command dashboard for day D: those first
// detected on D and those in force (the risk level's), each linking to the
// list of that day, from which every cluster opens on its records. Clusters
// are sets of cases, counted in the viewer's case.read scope: a viewer
// without it (the inspector) would see none while the risk level counts
// them, so the panel is not theirs.
func panel(store *Store) web.PanelSource {
	return web.PanelSource{Order: 28, Perm: PermRead, Also: auth.PermCaseRead,
		Load: func(ctx context.Context, p *auth.Principal, d storage.Date) (web.Panel, error) {
			l, err := store.Clusters(ctx, p, d)
			if err != nil {
				return web.Panel{}, err
			}
			day := "/tracing/clusters?date=" + d.String()
			return web.Panel{Title: i18n.Msg{Key: "tracing.panel.title"}, More: day, Tiles: []web.Tile{
				{Label: i18n.Msg{Key: "tracing.panel.new"}, Value: strconv.Itoa(l.New), Href: day + "&new=1", Hot: l.New > 0, Fig: "clusters_new"},
				{Label: i18n.Msg{Key: "tracing.panel.in_force", Args: []any{l.WindowDays}}, Value: strconv.Itoa(l.InForce), Href: day,
					Hot: l.InForce > 0, Fig: "clusters_in_force"},
			}}, nil
		}}
}
