package checkpoint

import (
	"context"
	"embed"
	"net/http"
	"strconv"
	"time"

	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"checkpoint_list", "checkpoint_form", "checkpoint_detail", "checkpoint_capture",
	"checkpoint_overview", "checkpoint_passes", "checkpoint_sheet",
	"checkpoint_roster", "checkpoint_roster_print", "checkpoint_roster_duty", "checkpoint_roster_pool"}

// Register adds the checkpoint pages and API.
func Register(rt *web.Router) {
	files := make([]string, len(Views))
	for i, v := range Views {
		files[i] = "templates/" + v + ".html"
	}
	rt.Env.Render.Add(templates, files...)
	env := rt.Env
	st := NewStore(env.DB, func() time.Time { return env.Now() }, env.Zone, env.Settings)
	if rt.Metrics != nil {
		st.ingest.registerIngestMetrics(rt.Metrics.Registry())
	}
	h := &handlers{env: env, store: st, org: &org.Store{DB: env.DB}}
	registerPages(rt, h)
	registerAPI(rt, h)
	registerRosters(rt, h)
	rt.Nav(web.NavItem{Key: "nav.checkpoints", Href: "/checkpoints", Perm: auth.PermCheckpointRead, Order: 30})
	rt.Panel(panel(st))
}

func registerPages(rt *web.Router, h *handlers) {
	rt.Page("GET /checkpoints", auth.PermCheckpointRead, h.list)
	rt.Page("GET /checkpoints/overview", auth.PermCheckpointRead, h.overview)
	rt.Page("GET /checkpoints/new", auth.PermCheckpointWrite, h.newForm)
	rt.Page("POST /checkpoints", auth.PermCheckpointWrite, h.create)
	rt.Page("GET /checkpoints/{id}", auth.PermCheckpointRead, h.detail)
	rt.Page("GET /checkpoints/{id}/edit", auth.PermCheckpointWrite, h.editForm)
	rt.Page("POST /checkpoints/{id}", auth.PermCheckpointWrite, h.update)
	rt.Page("GET /checkpoints/{id}/capture", auth.PermPassageWrite, h.capture)
	rt.Page("POST /checkpoints/{id}/passages", auth.PermPassageWrite, h.capturePost)
	rt.Raw("GET /checkpoints/capture-sw.js", http.HandlerFunc(serviceWorker))
	rt.Page("GET /passes", auth.PermPassIssue, h.passes)
	rt.Page("POST /passes", auth.PermPassIssue, h.issuePass)
	rt.Page("GET /passes/sheet", auth.PermPassIssue, h.sheet)
	rt.Page("POST /passes/{id}/revoke", auth.PermPassIssue, h.revokePass)
	rt.Page("GET /passes/{id}/qr.png", auth.PermPassIssue, h.passQR)
}

func registerAPI(rt *web.Router, h *handlers) {
	rt.API("GET /api/v1/checkpoints", auth.PermCheckpointRead, h.apiList, web.Doc{Summary: "Checkpoints in the caller's scope; ?division= narrows to a subtree.",
		Query: []string{"division"}, Out: CheckpointList{}})
	rt.API("POST /api/v1/checkpoints", auth.PermCheckpointWrite, h.apiCreate, web.Doc{Summary: "Create a checkpoint in a division of the caller's territory.",
		In: Input{}, Out: Checkpoint{}, Status: http.StatusCreated})
	rt.API("GET /api/v1/checkpoints/overview", auth.PermCheckpointRead, h.apiOverview, web.Doc{Summary: "One day's passage figures per township and checkpoint (in/out, external vehicles, persuaded returns, fevers, checkpoints without records).",
		Query: []string{"date", "division"}, Out: Overview{}})
	rt.API("GET /api/v1/checkpoints/{id}", auth.PermCheckpointRead, web.ByID(h.store.Get), web.Doc{Summary: "One checkpoint.", Out: Checkpoint{}})
	rt.API("PUT /api/v1/checkpoints/{id}", auth.PermCheckpointWrite, web.WithID(http.StatusOK, h.store.Update), web.Doc{Summary: "Change a checkpoint; version must match (409 otherwise).",
		In: Input{}, Out: Checkpoint{}})
	rt.API("POST /api/v1/passages", auth.PermPassageWrite, h.apiRecord, web.Doc{Summary: "Record one passage, answered once durably committed: 201 stored now, 200 already stored under this client_id (a retry), 409 client_id used with other content, 403 not the caller's checkpoint.",
		In: PassageInput{}, Out: Passage{}, Status: http.StatusCreated})
	rt.API("POST /api/v1/passages/batch", auth.PermPassageWrite, h.apiBatch, web.Doc{Summary: "Record up to 500 passages (offline uploads); answers per item (created, duplicate, rejected with a problem), 413 over the limit.",
		In: BatchRequest{}, Out: BatchResponse{}})
	rt.API("GET /api/v1/passages", auth.PermPassageRead, h.apiPassages, web.Doc{Summary: "The passage log, newest first, personal data masked.",
		Query: []string{"checkpoint", "date", "cursor", "limit"}, Out: PassagePage{}})
	rt.API("GET /api/v1/passes", auth.PermPassIssue, h.apiPasses, web.Doc{Summary: "Resident passes of the caller's territory, masked, with their signed tokens.",
		Query: []string{"division"}, Out: PassList{}})
	rt.API("POST /api/v1/passes", auth.PermPassIssue, h.apiIssuePass, web.Doc{Summary: "Issue a resident pass; the answer carries its signed token.",
		In: PassInput{}, Out: Pass{}, Status: http.StatusCreated})
	rt.API("POST /api/v1/passes/{id}/revoke", auth.PermPassIssue, h.apiRevokePass, web.Doc{Summary: "Revoke a pass from now on.",
		In: revokeRequest{}, Out: Pass{}})
	rt.API("GET /api/v1/passes/key", auth.PermPassageWrite, h.apiPassKey, web.Doc{Summary: "The Ed25519 public key that verifies passes offline.", Out: keyResponse{}})
	rt.API("GET /api/v1/passes/revoked", auth.PermPassageWrite, h.apiRevoked, web.Doc{Summary: "The revocation list (serials), for devices to sync.", Out: RevocationList{}})
	rt.API("POST /api/v1/passes/verify", auth.PermPassageWrite, h.apiVerify, web.Doc{Summary: "Verify a scanned pass now (for devices that cannot verify Ed25519 themselves); a refused pass answers valid=false with the reason.",
		In: verifyRequest{}, Out: verifyResponse{}})
}

type handlers struct {
	env   *web.Env
	store *Store
	org   *org.Store
}

// queryID reads an optional numeric query parameter.
func queryID(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field(name, "errs.bad_type")
	}
	return id, nil
}

// option is one choice of a select field.
type option struct {
	Value string
	Label string // i18n key
	Raw   string // untranslated text (names)
}

// divisionOptions lists the divisions where the user holds perm.
func (h *handlers) divisionOptions(ctx context.Context, p *auth.Principal, perm auth.Perm, lang string) ([]option, error) {
	nodes, err := h.org.List(ctx, p)
	if err != nil {
		return nil, err
	}
	scope := p.Scope(perm)
	var out []option
	for _, n := range nodes {
		if n.Level != org.County && scope.Contains(n.Path) {
			label := n.Name(lang)
			if n.Level == org.Village {
				label = "　" + label
			}
			out = append(out, option{Value: strconv.FormatInt(n.ID, 10), Raw: label})
		}
	}
	return out, nil
}

func kindOptions(withAll bool) []option {
	var out []option
	if withAll {
		out = append(out, option{Value: "", Label: "common.all"})
	}
	for _, k := range Kinds {
		out = append(out, option{Value: string(k), Label: "checkpoint.kind." + string(k)})
	}
	return out
}

func statusOptions() []option {
	return []option{{Value: string(Open), Label: "checkpoint.status.open"}, {Value: string(Closed), Label: "checkpoint.status.closed"}}
}

// authored is the request's context marked with its author, for the audit.
func authored(r *http.Request) context.Context {
	p := auth.From(r.Context())
	name := ""
	if p != nil {
		name = p.Username
	}
	return WithAuthor(r.Context(), name, web.ClientAddr(r))
}
