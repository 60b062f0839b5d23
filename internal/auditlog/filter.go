package auditlog

import (
	"encoding/base64"
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
		id, ok := decodeCursor(c)
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

// Cursors are opaque to clients; inside, "a" and the id to continue below.
func encodeCursor(beforeID int64) string {
	if beforeID <= 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("a" + strconv.FormatInt(beforeID, 10)))
}

func decodeCursor(s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != 'a' {
		return 0, false
	}
	id, err := strconv.ParseInt(string(b[1:]), 10, 64)
	return id, err == nil && id > 0
}
