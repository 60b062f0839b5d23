package screening

import (
	"context"
	"fmt"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// panel puts the day's observation, follow-up and fever-alert figures on the
// command dashboard, each linking to its records.
func panel(store *Store) web.PanelSource {
	return web.PanelSource{Order: 20, Perm: auth.PermScreeningRead,
		Load: func(ctx context.Context, p *auth.Principal, d storage.Date) (web.Panel, error) {
			ov, err := store.Overview(ctx, p, d, 0)
			if err != nil {
				return web.Panel{}, err
			}
			f := ov.Total
			day := "date=" + d.String()
			tile := func(key, fig, value, href string, hot bool) web.Tile {
				return web.Tile{Label: i18n.Msg{Key: key}, Value: value, Href: href, Hot: hot, Fig: fig}
			}
			return web.Panel{Title: i18n.Msg{Key: "screening.panel.title"}, More: "/screening/overview?" + day, Tiles: []web.Tile{
				tile("screening.panel.home", "observation_home", strconv.Itoa(f.UnderHome), "/screening/observations?state=active&kind=home&"+day, false),
				tile("screening.panel.centralized", "observation_centralized", strconv.Itoa(f.UnderCentralized), "/screening/observations?state=active&kind=centralized&"+day, false),
				tile("screening.panel.new_released", "observation_new_released", fmt.Sprintf("%d / %d", f.New, f.Released), "/screening/observations?state=new&"+day, false),
				tile("screening.panel.followups", "followups_done_due", fmt.Sprintf("%d / %d", f.Done, f.Due), "/screening/followups?"+day, false),
				tile("screening.panel.missed", "followups_missed", strconv.Itoa(f.Missed), "/screening/followups?"+day, f.Missed > 0),
				tile("screening.panel.alerts", "fever_alerts_open", strconv.Itoa(f.OpenAlerts), "/screening/alerts?state=open&"+day, f.OpenAlerts > 0),
				tile("screening.panel.households", "households_screened", pct(f.HouseholdsVisited, f.Households), "/screening/overview?"+day, false),
				tile("screening.panel.persons", "persons_registered", strconv.Itoa(f.Persons), "/screening/persons", false),
			}}, nil
		}}
}

func pct(n, d int64) string {
	if d == 0 {
		return "—"
	}
	return strconv.FormatInt((100*n+d/2)/d, 10) + "%"
}
