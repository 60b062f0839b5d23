package auditlog

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// filterParams are the query parameters of a search, shared by the page, the
// export and the API so a link, a download and a script ask the same thing.
var filterParams = []string{"actor", "action", "entity", "entity_id", "from", "to"}

// parseFilter reads a search from query parameters. from and to are calendar
// days in the county's zone, both included: to=2020-02-22 ends at midnight
// after the 22nd, Beijing time. Every bad parameter is reported at once.
func parseFilter(v url.Values, zone *time.Location) (audit.Filter, error) {
	f := audit.Filter{Actor: strings.TrimSpace(v.Get("actor")), Action: strings.TrimSpace(v.Get("action")),
		Entity: strings.TrimSpace(v.Get("entity")), EntityID: strings.TrimSpace(v.Get("entity_id"))}
	var fc errs.FieldCollector
	from, okFrom := parseDay(&fc, "from", v.Get("from"), zone)
	to, okTo := parseDay(&fc, "to", v.Get("to"), zone)
	if okFrom && okTo && !from.IsZero() && !to.IsZero() && to.Before(from) {
		fc.Add("to", "auditlog.to_before_from")
	}
	f.From = from
	if !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	if c := v.Get("cursor"); c != "" {
		id, ok := cursor.Decode(c)
		if !ok {
			fc.Add("cursor", "errs.bad_cursor")
		}
		f.BeforeID = id
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > audit.MaxLimit {
			fc.Add("limit", "auditlog.bad_limit", audit.MaxLimit)
		}
		f.Limit = n
	}
	return f, fc.Err()
}

// parseDay reads a YYYY-MM-DD day as the instant it starts in zone.
func parseDay(fc *errs.FieldCollector, field, s string, zone *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	d, err := storage.ParseDate(s)
	if err != nil {
		fc.Add(field, "errs.bad_date")
		return time.Time{}, false
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, zone), true
}

// searchQuery is the search part of v (no cursor), for links and exports.
func searchQuery(v url.Values) url.Values {
	out := url.Values{}
	for _, k := range filterParams {
		if s := strings.TrimSpace(v.Get(k)); s != "" {
			out.Set(k, s)
		}
	}
	return out
}

// searchLog is the search an export ran, as its audit entry records it.
func searchLog(v url.Values) map[string]string {
	out := map[string]string{}
	for k := range searchQuery(v) {
		out[k] = v.Get(k)
	}
	return out
}

// cursor pages this list by id; see storage.IDCursor.
var cursor = storage.IDCursor('a')
