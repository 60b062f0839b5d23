package isolation

import (
	"embed"
	"net/http"
	"time"

	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
	"fangkong/internal/screening"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"isolation_sites", "isolation_site", "isolation_site_form", "isolation_room_form",
	"isolation_checkout", "isolation_round"}

// Register adds the isolation pages, API and dashboard panel.
func Register(rt *web.Router) {
	files := make([]string, len(Views))
	for i, v := range Views {
		files[i] = "templates/" + v + ".html"
	}
	rt.Env.Render.Add(templates, files...)
	h := &handlers{env: rt.Env, store: NewStore(rt.Env)}
	registerPages(rt, h)
	registerAPI(rt, h)
	rt.Panel(panel(h.store))
	rt.Nav(web.NavItem{Key: "nav.isolation", Href: "/isolation", Perm: PermRead, Order: 26})
}

func registerPages(rt *web.Router, h *handlers) {
	rt.Page("GET /isolation", PermRead, h.sites)
	rt.Page("GET /isolation/sites/new", PermManage, h.siteNew)
	rt.Page("POST /isolation/sites", PermManage, h.siteCreate)
	rt.Page("GET /isolation/sites/{id}", PermRead, h.site)
	rt.Page("GET /isolation/sites/{id}/edit", PermManage, h.siteEdit)
	rt.Page("POST /isolation/sites/{id}", PermManage, h.siteUpdate)
	rt.Page("GET /isolation/sites/{id}/rooms/new", PermManage, h.roomNew)
	rt.Page("POST /isolation/sites/{id}/rooms", PermManage, h.roomCreate)
	rt.Page("GET /isolation/rooms/{id}/edit", PermManage, h.roomEdit)
	rt.Page("POST /isolation/rooms/{id}", PermManage, h.roomUpdate)
	rt.Page("POST /isolation/sites/{id}/stays", PermWrite, h.admit)
	rt.Page("GET /isolation/stays/{id}/checkout", PermWrite, h.checkoutForm)
	rt.Page("POST /isolation/stays/{id}/checkout", PermWrite, h.checkout)
	rt.Page("GET /isolation/sites/{id}/followups", PermRead, h.round)
	rt.Page("POST /isolation/sites/{id}/followups", PermWrite, h.roundRecord)
}

func registerAPI(rt *web.Router, h *handlers) {
	rt.API("GET /api/v1/isolation/sites", PermRead, h.apiSites, web.Doc{Summary: "Sites in the caller's scope with their occupancy, free beds and rooms, and the day's follow-ups due and missed (site staff: their site only).", Query: []string{"date"}, Out: occupancyList{}})
	rt.API("POST /api/v1/isolation/sites", PermManage, web.WithBody(http.StatusCreated, h.store.CreateSite), web.Doc{Summary: "Register an isolation site in a township of the caller's scope, with its staff accounts (site-staff accounts only); capacity is computed from the rooms.", In: SiteInput{}, Out: Site{}, Status: 201})
	rt.API("GET /api/v1/isolation/sites/{id}", PermRead, h.apiSite, web.Doc{Summary: "One site's day: figures, rooms, staff, people staying with the day's follow-ups, transfers; 404 outside the caller's scope.", Query: []string{"date"}, Out: SiteDay{}})
	rt.API("PUT /api/v1/isolation/sites/{id}", PermManage, web.WithID(http.StatusOK, h.store.UpdateSite), web.Doc{Summary: "Change a site's details (version, if given, must match: 409 otherwise) and, when staff is given, its staff; site staff cannot (403).", In: SiteInput{}, Out: Site{}})
	rt.API("POST /api/v1/isolation/sites/{id}/rooms", PermManage, web.WithID(http.StatusCreated, h.store.AddRoom), web.Doc{Summary: "Add a room (status open, cleaning or closed); the site's capacity follows.", In: RoomInput{}, Out: Room{}, Status: 201})
	rt.API("PUT /api/v1/isolation/rooms/{id}", PermManage, web.WithID(http.StatusOK, h.store.UpdateRoom), web.Doc{Summary: "Change a room's number, beds, status and notes; a room with people staying keeps their beds and stays open (422).", In: RoomInput{}, Out: Room{}})
	rt.API("GET /api/v1/isolation/sites/{id}/stays", PermRead, h.apiStays, web.Doc{Summary: "Stays occupying a bed at the site on the day, names masked.", Query: []string{"date"}, Out: stayList{}})
	rt.API("POST /api/v1/isolation/stays", PermWrite, web.WithBody(http.StatusCreated, h.store.Admit), web.Doc{Summary: "Admit a person to an open room: 422 on room_id if the room is full; the person's observation becomes (or opens as) centralized in the same transaction.", In: StayInput{}, Out: Stay{}, Status: 201})
	rt.API("GET /api/v1/isolation/stays/{id}", PermRead, web.ByID(h.store.Stay), web.Doc{Summary: "One stay, the name masked; 404 outside the caller's scope.", Out: Stay{}})
	rt.API("POST /api/v1/isolation/stays/{id}/checkout", PermWrite, web.WithID(http.StatusOK, h.store.Checkout), web.Doc{Summary: "End a stay on a day (default today), freeing the bed. reason released (default) releases the observation in the same transaction (422 before its planned end, 409 with an open alert); transfer and other leave it as it is; home makes it home observation.", In: CheckoutInput{}, Out: Stay{}})
	rt.API("POST /api/v1/isolation/stays/{id}/followups", PermWrite, web.WithID(http.StatusCreated, h.store.RecordFollowUp), web.Doc{Summary: "Record a follow-up (temperature 34–43 °C, symptoms) of the person of a stay at the caller's site, on a day of the stay; a fever or symptom opens an alert and its transfer task; 404 for a stay elsewhere.", In: SiteFollowUpInput{}, Out: screening.Recorded{}, Status: 201})
}

// clock reads env.Now when asked, not when the store is made, so a clock set
// on the Env later (tests, the demo's fixed day) reaches the store.
func clock(env *web.Env) func() time.Time { return func() time.Time { return env.Now() } }

// NewStore is the store as the web layer configures it.
func NewStore(env *web.Env) *Store {
	st := &Store{DB: env.DB, Today: env.Today, Now: clock(env), Zone: env.Zone, Screening: screening.NewStore(env)}
	if env.Auth != nil {
		st.GrantsChanged = env.Auth.ForgetSessions
	}
	return st
}

type handlers struct {
	env   *web.Env
	store *Store
}

type occupancyList struct {
	Items []Occupancy `json:"items"`
}

type stayList struct {
	Items []Stay `json:"items"`
}

// idDate reads the {id} segment and the ?date= of a site's day.
func (h *handlers) idDate(r *http.Request) (int64, storage.Date, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, storage.Date{}, err
	}
	d, err := h.env.AsOf(r)
	return id, d, err
}
