package enterprise

import (
	"context"
	"fmt"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// panel puts the day's resumption figures on the command dashboard: the
// seed report's "规模以上企业累计复工复产223家，占比93%", pending filings by
// age, and the enterprises that need attention.
func panel(store *Store) web.PanelSource {
	return web.PanelSource{Order: 40, Perm: auth.PermEnterpriseRead,
		Load: func(ctx context.Context, p *auth.Principal, d storage.Date) (web.Panel, error) {
			st, err := store.Stats(ctx, p, d)
			if err != nil {
				return web.Panel{}, err
			}
			day := "date=" + d.String()
			return web.Panel{Title: i18n.Msg{Key: "enterprise.panel.title"}, More: "/enterprises/stats?" + day, Tiles: []web.Tile{
				{Label: i18n.Msg{Key: "enterprise.panel.resumed", Args: []any{st.AboveSize.Total}}, Fig: "above_size_resumed",
					Value: fmt.Sprintf("%d · %d%%", st.AboveSize.Resumed, st.AboveSize.Pct), Href: "/enterprises?above_size=1"},
				{Label: i18n.Msg{Key: "enterprise.panel.workers"}, Value: strconv.Itoa(st.WorkerPct) + "%", Fig: "worker_pct"},
				{Label: i18n.Msg{Key: "enterprise.panel.pending"}, Value: strconv.Itoa(st.Pending.Township + st.Pending.County),
					Href: "/enterprises/queue?" + day, Hot: st.Pending.Overdue > 0, Fig: "filings_pending"},
				{Label: i18n.Msg{Key: "enterprise.panel.attention"}, Value: strconv.Itoa(st.FeverEnterprises + st.Missing),
					Href: "/enterprises/stats?" + day, Hot: st.FeverEnterprises > 0, Fig: "enterprises_attention"},
			}}, nil
		}}
}
