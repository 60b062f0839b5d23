package isolation

import (
	"context"
	"fmt"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// panel puts the sites on the command dashboard for day D: occupancy per
// site, free beds, and the follow-ups due and missed at sites.
func panel(store *Store) web.PanelSource {
	return web.PanelSource{Order: 26, Perm: PermRead,
		Load: func(ctx context.Context, p *auth.Principal, d storage.Date) (web.Panel, error) {
			occ, err := store.Occupancies(ctx, p, d)
			if err != nil {
				return web.Panel{}, err
			}
			day := "?date=" + d.String()
			var free, due, done, missed, transfers int
			var tiles []web.Tile
			for _, o := range occ {
				free += o.FreeBeds
				due, done, missed, transfers = due+o.Due, done+o.Done, missed+o.Missed, transfers+o.Transfers
				tiles = append(tiles, web.Tile{Label: i18n.Msg{Key: "isolation.panel.site", Args: []any{o.Site.Name}},
					Value: fmt.Sprintf("%d/%d", o.Occupied, o.Beds), Href: "/isolation/sites/" + itoa(o.Site.ID) + day,
					Fig: "site_occupancy_" + itoa(o.Site.ID)})
			}
			tiles = append(tiles,
				web.Tile{Label: i18n.Msg{Key: "isolation.panel.free_beds"}, Value: strconv.Itoa(free), Href: "/isolation" + day, Fig: "site_free_beds"},
				web.Tile{Label: i18n.Msg{Key: "isolation.panel.followups"}, Value: fmt.Sprintf("%d/%d", done, due), Href: "/isolation" + day, Fig: "site_followups_done"},
				web.Tile{Label: i18n.Msg{Key: "isolation.panel.missed"}, Value: strconv.Itoa(missed), Href: "/isolation" + day, Hot: missed > 0, Fig: "site_followups_missed"},
				web.Tile{Label: i18n.Msg{Key: "isolation.panel.transfers"}, Value: strconv.Itoa(transfers), Href: "/isolation" + day, Hot: transfers > 0, Fig: "site_transfers_open"})
			return web.Panel{Title: i18n.Msg{Key: "isolation.panel.title"}, More: "/isolation" + day, Tiles: tiles}, nil
		}}
}
