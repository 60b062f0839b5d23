package auditlog

import (
	"encoding/json"
	"net/http"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/web"
)

// apiEntry is an entry as the API returns it: before and after as the JSON
// values they are (null for none), not as strings holding JSON.
type apiEntry struct {
	ID             int64           `json:"id"`
	At             time.Time       `json:"at"`
	ActorID        int64           `json:"actor_id,omitempty"`
	Actor          string          `json:"actor"`
	Action         string          `json:"action"`
	Entity         string          `json:"entity"`
	EntityID       string          `json:"entity_id"`
	DivisionID     int64           `json:"division_id,omitempty"`
	DivisionName   string          `json:"division_name,omitempty"`
	DivisionNameEN string          `json:"division_name_en,omitempty"`
	Before         json.RawMessage `json:"before"`
	After          json.RawMessage `json:"after"`
	RemoteAddr     string          `json:"remote_addr,omitempty"`
}

// apiPage is one page of the API list.
type apiPage struct {
	Items []apiEntry `json:"items"`
	Next  string     `json:"next_cursor,omitempty"`
}

func toAPI(e audit.Entry) apiEntry {
	return apiEntry{ID: e.ID, At: e.At, ActorID: e.ActorID, Actor: e.Actor, Action: e.Action, Entity: e.Entity,
		EntityID: e.EntityID, DivisionID: e.DivisionID, DivisionName: e.DivisionName,
		DivisionNameEN: e.DivisionNameEN, Before: rawJSON(e.Before), After: rawJSON(e.After), RemoteAddr: e.RemoteAddr}
}

// rawJSON passes stored JSON through; anything else becomes a JSON string.
func rawJSON(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s)
	return b
}

// apiList is GET /api/v1/audit: the page's search, newest first, with a
// cursor for the next page. Bad dates, cursors or limits answer 422 naming
// the field.
func (h *handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	f, err := parseFilter(r.URL.Query(), h.env.Zone)
	if err != nil {
		return err
	}
	pg, err := h.store.Page(r.Context(), auth.From(r.Context()), f)
	if err != nil {
		return err
	}
	out := apiPage{Items: make([]apiEntry, 0, len(pg.Items)), Next: cursor.Encode(pg.NextBeforeID)}
	for _, e := range pg.Items {
		out.Items = append(out.Items, toAPI(e))
	}
	return web.JSON(w, http.StatusOK, out)
}

// apiGet is GET /api/v1/audit/{id}; 404 outside the caller's territory.
func (h *handlers) apiGet(w http.ResponseWriter, r *http.Request) error {
	e, err := h.get(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, toAPI(e))
}
