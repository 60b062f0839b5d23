package checkpoint

import (
	"context"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// panel puts the checkpoints' day on the command dashboard: passages in and
// out, external vehicles, persuaded returns, fevers found at checkpoints and
// the staffed checkpoints where nobody recorded anything. Each tile links to
// the day's overview, per township and checkpoint.
func panel(store *Store) web.PanelSource {
	return web.PanelSource{Order: 30, Perm: auth.PermCheckpointRead,
		Load: func(ctx context.Context, p *auth.Principal, d storage.Date) (web.Panel, error) {
			ov, err := store.Overview(ctx, p, d, 0)
			if err != nil {
				return web.Panel{}, err
			}
			t, more := ov.Total, "/checkpoints/overview?date="+d.String()
			tile := func(key, fig string, v int, hot bool) web.Tile {
				return web.Tile{Label: i18n.Msg{Key: key}, Value: strconv.Itoa(v), Href: more, Hot: hot, Fig: fig}
			}
			return web.Panel{Title: i18n.Msg{Key: "checkpoint.panel.title"}, More: more, Tiles: []web.Tile{
				{Label: i18n.Msg{Key: "checkpoint.panel.in_out"}, Value: strconv.Itoa(t.In) + " / " + strconv.Itoa(t.Out),
					Href: more, Fig: "checkpoint_in_out"},
				tile("checkpoint.fig.external", "checkpoint_external", t.External, false),
				tile("checkpoint.fig.returned", "checkpoint_returned", t.Returned, false),
				tile("checkpoint.fig.fevers", "checkpoint_fevers", t.Fevers, t.Fevers > 0),
				tile("checkpoint.fig.silent", "checkpoint_silent", t.Unstaffed, t.Unstaffed > 0),
			}}, nil
		}}
}
