package tracing

import (
	"embed"
	"net/http"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
	"fangkong/internal/screening"
	"fangkong/internal/surveillance"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"tracing_home", "tracing_graph", "tracing_clusters"}

// Register adds the tracing pages and API.
func Register(rt *web.Router) {
	rt.Env.Render.Add(templates, "templates/tracing_home.html", "templates/tracing_graph.html", "templates/tracing_clusters.html")
	h := &handlers{env: rt.Env, store: NewStore(rt.Env)}
	rt.Page("GET /tracing", PermRead, h.home)
	rt.Page("POST /tracing/exposures", PermWrite, h.record)
	rt.Page("GET /tracing/graph", PermRead, h.graph)
	rt.Page("GET /tracing/clusters", PermRead, h.clusters)
	rt.API("GET /api/v1/tracing/exposures", PermRead, h.apiExposures, web.Doc{Summary: "Exposures whose contact is in the caller's scope, newest first, names masked; person (either side) or case narrows.", Query: []string{"person", "case", "limit"}, Out: exposureList{}})
	rt.API("POST /api/v1/tracing/exposures", PermWrite, h.apiRecord, web.Doc{Summary: "Record an exposure (422 on contact_id for a person exposed to themselves); close_contact opens or extends the contact's observation to end 14 days after their last close exposure.", In: ExposureInput{}, Out: Exposure{}, Status: 201})
	rt.API("GET /api/v1/tracing/exposures/{id}", PermRead, h.apiExposure, web.Doc{Summary: "One exposure with the contact's current observation end; 404 outside the caller's scope.", Out: Exposure{}})
	rt.API("GET /api/v1/tracing/graph", PermRead, h.apiGraph, web.Doc{Summary: "The transmission chain (case → contacts → their contacts): counts per generation and one page of rows, filtered by exposure dates and township, collapsed below depth; root shows one person's subtree.", Query: []string{"from", "to", "township", "depth", "page", "root"}, Out: GraphView{}})
	rt.API("GET /api/v1/tracing/clusters", PermRead, h.apiClusters, web.Doc{Summary: "Clusters as of a date: at least the threshold of confirmed or asymptomatic cases within the window linked by transmission or a common setting.", Query: []string{"date"}, Out: clusterList{}})
	rt.Nav(web.NavItem{Key: "nav.tracing", Href: "/tracing", Perm: PermRead, Order: 27})
}

// NewStore is the store as the web layer configures it.
func NewStore(env *web.Env) *Store {
	return &Store{DB: env.DB, Today: env.Today, Screening: screening.NewStore(env),
		Cases: &surveillance.Store{DB: env.DB, Today: env.Today, Settings: env.Settings}}
}

type handlers struct {
	env   *web.Env
	store *Store
}

type exposureList struct {
	Items []Exposure `json:"items"`
}

type clusterList struct {
	Items []Cluster `json:"items"`
}

func principal(r *http.Request) *auth.Principal { return auth.From(r.Context()) }

// queryInt reads an optional non-negative integer from the query string.
func queryInt(r *http.Request, key string) (int64, error) {
	s := r.URL.Query().Get(key)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, errs.Field(key, "errs.bad_type")
	}
	return n, nil
}

func queryDate(r *http.Request, key string) (storage.Date, error) {
	s := r.URL.Query().Get(key)
	if s == "" {
		return storage.Date{}, nil
	}
	d, err := storage.ParseDate(s)
	if err != nil {
		return d, errs.Field(key, "errs.bad_date")
	}
	return d, nil
}

// graphFilter reads the chain view's filter from the query string.
func graphFilter(r *http.Request) (GraphFilter, error) {
	var f GraphFilter
	var fc errs.FieldCollector
	var err error
	if f.From, err = queryDate(r, "from"); err != nil {
		fc.Add("from", "errs.bad_date")
	}
	if f.To, err = queryDate(r, "to"); err != nil {
		fc.Add("to", "errs.bad_date")
	}
	ints := map[string]*int64{}
	var depth, page int64
	ints["township"], ints["depth"], ints["page"], ints["root"] = &f.Township, &depth, &page, &f.Root
	for k, dst := range ints {
		if *dst, err = queryInt(r, k); err != nil {
			fc.Add(k, "errs.bad_type")
		}
	}
	f.Depth, f.Page = int(min(depth, 50)), int(min(page, 1_000_000))
	return f, fc.Err()
}

func (h *handlers) apiExposures(w http.ResponseWriter, r *http.Request) error {
	person, err := queryInt(r, "person")
	if err != nil {
		return err
	}
	cs, err := queryInt(r, "case")
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	es, err := h.store.Exposures(r.Context(), principal(r), ExposureFilter{Person: person, Case: cs, Limit: int(min(limit, 500))})
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, exposureList{Items: es})
}

func (h *handlers) apiRecord(w http.ResponseWriter, r *http.Request) error {
	var in ExposureInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	e, err := h.store.Record(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, e)
}

func (h *handlers) apiExposure(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errs.NotFoundf()
	}
	e, err := h.store.Exposure(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, e)
}

func (h *handlers) apiGraph(w http.ResponseWriter, r *http.Request) error {
	f, err := graphFilter(r)
	if err != nil {
		return err
	}
	v, err := h.store.Graph(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, v)
}

func (h *handlers) apiClusters(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	cs, err := h.store.Clusters(r.Context(), principal(r), d)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, clusterList{Items: cs})
}
