package isolation

import (
	"embed"
	"net/http"

	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
	"fangkong/internal/screening"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"isolation_sites", "isolation_site"}

// Register adds the isolation pages, API and dashboard panel.
func Register(rt *web.Router) {
	rt.Env.Render.Add(templates, "templates/isolation_sites.html", "templates/isolation_site.html")
	h := &handlers{env: rt.Env, store: NewStore(rt.Env)}
	rt.Page("GET /isolation", PermRead, h.sites)
	rt.Page("GET /isolation/sites/{id}", PermRead, h.site)
	rt.Page("POST /isolation/sites/{id}/stays", PermWrite, h.admit)
	rt.Page("POST /isolation/stays/{id}/checkout", PermWrite, h.checkout)
	registerAPI(rt, h)
	rt.Panel(panel(h.store))
	rt.Nav(web.NavItem{Key: "nav.isolation", Href: "/isolation", Perm: PermRead, Order: 26})
}

func registerAPI(rt *web.Router, h *handlers) {
	rt.API("GET /api/v1/isolation/sites", PermRead, h.apiSites, web.Doc{Summary: "Sites in the caller's scope with their occupancy, free beds and rooms, and the day's follow-ups due and missed (site staff: their site only).", Query: []string{"date"}, Out: occupancyList{}})
	rt.API("POST /api/v1/isolation/sites", PermWrite, h.apiCreateSite, web.Doc{Summary: "Register an isolation site in a division of the caller's scope.", In: SiteInput{}, Out: Site{}, Status: 201})
	rt.API("GET /api/v1/isolation/sites/{id}", PermRead, h.apiSite, web.Doc{Summary: "One site's day: figures, rooms, staff, people staying with the day's follow-ups, transfers; 404 outside the caller's scope.", Query: []string{"date"}, Out: SiteDay{}})
	rt.API("POST /api/v1/isolation/sites/{id}/rooms", PermWrite, h.apiAddRoom, web.Doc{Summary: "Add a room; the site's beds may not exceed its capacity.", In: RoomInput{}, Out: Room{}, Status: 201})
	rt.API("GET /api/v1/isolation/sites/{id}/stays", PermRead, h.apiStays, web.Doc{Summary: "Stays occupying a bed at the site on the day, names masked.", Query: []string{"date"}, Out: stayList{}})
	rt.API("POST /api/v1/isolation/stays", PermWrite, h.apiAdmit, web.Doc{Summary: "Admit a person to a room: 422 on room_id if the room is full; the person's observation becomes (or opens as) centralized.", In: StayInput{}, Out: Stay{}, Status: 201})
	rt.API("GET /api/v1/isolation/stays/{id}", PermRead, h.apiStay, web.Doc{Summary: "One stay, the name masked; 404 outside the caller's scope.", Out: Stay{}})
	rt.API("POST /api/v1/isolation/stays/{id}/checkout", PermWrite, h.apiCheckout, web.Doc{Summary: "End a stay on a day (default today), freeing the bed.", In: CheckoutInput{}, Out: Stay{}})
}

// NewStore is the store as the web layer configures it.
func NewStore(env *web.Env) *Store {
	return &Store{DB: env.DB, Today: env.Today, Now: env.Now, Zone: env.Zone, Screening: screening.NewStore(env)}
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

func (h *handlers) apiSites(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	occ, err := h.store.Occupancies(r.Context(), principal(r), d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, occupancyList{Items: occ})
}

func (h *handlers) apiCreateSite(w http.ResponseWriter, r *http.Request) error {
	var in SiteInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	t, err := h.store.CreateSite(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, t)
}

func (h *handlers) apiSite(w http.ResponseWriter, r *http.Request) error {
	id, d, err := h.idDate(r)
	if err != nil {
		return err
	}
	sd, err := h.store.Day(r.Context(), principal(r), id, d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, sd)
}

func (h *handlers) apiAddRoom(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in RoomInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	room, err := h.store.AddRoom(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, room)
}

func (h *handlers) apiStays(w http.ResponseWriter, r *http.Request) error {
	id, d, err := h.idDate(r)
	if err != nil {
		return err
	}
	ys, err := h.store.Stays(r.Context(), principal(r), id, d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, stayList{Items: ys})
}

func (h *handlers) apiAdmit(w http.ResponseWriter, r *http.Request) error {
	var in StayInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	y, err := h.store.Admit(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, y)
}

func (h *handlers) apiStay(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	y, err := h.store.Stay(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, y)
}

func (h *handlers) apiCheckout(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in CheckoutInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	y, err := h.store.Checkout(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, y)
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
