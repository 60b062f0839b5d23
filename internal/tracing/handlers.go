package tracing

import (
	"embed"
	"net/http"
	"strconv"
	"time"

	"fangkong/internal/checkpoint"
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
var Views = []string{"tracing_home", "tracing_graph", "tracing_clusters", "tracing_cluster", "tracing_case"}

// Register adds the tracing pages, API and dashboard panel.
func Register(rt *web.Router) {
	files := make([]string, len(Views))
	for i, v := range Views {
		files[i] = "templates/" + v + ".html"
	}
	rt.Env.Render.Add(templates, files...)
	h := &handlers{env: rt.Env, store: NewStore(rt.Env)}
	rt.Page("GET /tracing", PermRead, h.home)
	rt.Page("POST /tracing/exposures", PermWrite, h.record)
	rt.Page("GET /tracing/graph", PermRead, h.graph)
	rt.Page("GET /tracing/clusters", PermRead, h.clusters)
	rt.Page("GET /tracing/clusters/{case}", PermRead, h.cluster)
	rt.Page("GET /tracing/cases/{id}", PermRead, h.casePage)
	rt.Page("POST /tracing/cases/{id}/copresence", PermWrite, h.recordCoPresence)
	rt.API("GET /api/v1/tracing/exposures", PermRead, h.apiExposures, web.Doc{Summary: "Exposures whose contact is in the caller's scope, newest first, names masked; person (either side) or case narrows.", Query: []string{"person", "case", "limit"}, Out: exposureList{}})
	rt.API("POST /api/v1/tracing/exposures", PermWrite, web.WithBody(http.StatusCreated, h.store.Record), web.Doc{Summary: "Record an exposure (422 on contact_id for a person exposed to themselves); close_contact opens or extends the contact's observation to end 14 days after their last close exposure, in the same transaction.", In: ExposureInput{}, Out: Exposure{}, Status: 201})
	rt.API("GET /api/v1/tracing/exposures/{id}", PermRead, h.apiExposure, web.Doc{Summary: "One exposure with the contact's current observation end; 404 outside the caller's scope.", Out: Exposure{}})
	rt.API("GET /api/v1/tracing/graph", PermRead, h.apiGraph, web.Doc{Summary: "The transmission chain (case → contacts → their contacts): counts per generation and one page of rows, filtered by exposure dates and township, collapsed below depth; root shows one person's subtree.", Query: []string{"from", "to", "township", "depth", "page", "root"}, Out: GraphView{}})
	rt.API("GET /api/v1/tracing/clusters", PermRead, h.apiClusters, web.Doc{Summary: "Clusters in force on a date among the caller's cases — at least the threshold of confirmed or asymptomatic cases within the window, linked by the case records' settings or by exposures, a case in one cluster only (the risk level counts the same) — with those first detected on the date marked new; new=1 keeps only those.", Query: []string{"date", "new"}, Out: ClusterList{}})
	rt.API("GET /api/v1/tracing/clusters/{case}", PermRead, h.apiCluster, web.Doc{Summary: "The cluster a case belongs to on a date, with its cases and the exposures of the window that link them (names masked); 404 when the case is in none or outside the caller's scope.", Query: []string{"date"}, Out: ClusterDetail{}})
	rt.API("GET /api/v1/tracing/cases/{id}/copresence", PermRead, h.apiCoPresence, web.Doc{Summary: "Checkpoint co-presence suggestions for a case: people who passed the same checkpoint within ±window minutes (default the setting tracing.copresence_window_minutes, 15) of the case's passages in the 14 days before onset up to confirmation, not yet recorded as exposed to the case that day; personal data masked.", Query: []string{"window"}, Out: CoPresence{}})
	rt.API("POST /api/v1/tracing/cases/{id}/copresence", PermWrite, h.apiRecordCoPresence, web.Doc{Summary: "Record picked co-presence suggestions as exposures of kind checkpoint from the case's person, all in one transaction; each opens or extends the contact's observation like any close contact (none when its period is already over). A pick that is not a current suggestion is a 422 on items.N.", In: CoPresenceInput{}, Out: exposureList{}, Status: 201})
	rt.Nav(web.NavItem{Key: "nav.tracing", Href: "/tracing", Perm: PermRead, Order: 27})
	rt.Panel(panel(h.store))
}

// NewStore is the store as the web layer configures it.
func NewStore(env *web.Env) *Store {
	return &Store{DB: env.DB, Today: env.Today, Screening: screening.NewStore(env),
		Cases:    &surveillance.Store{DB: env.DB, Today: env.Today, Settings: env.Settings},
		Passages: &checkpoint.Store{DB: env.DB, Now: func() time.Time { return env.Now() }, Zone: env.Zone, Settings: env.Settings},
		Settings: env.Settings, Zone: env.Zone}
}

type handlers struct {
	env   *web.Env
	store *Store
}

type exposureList struct {
	Items []Exposure `json:"items"`
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
	f.Lang = web.RequestLang(r)
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
