package liaison

import (
	"context"
	"embed"
	"net/http"
	"strconv"

	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"liaison_leader", "liaison_overview", "liaison_assignment_form", "liaison_assignment_edit",
	"liaison_visit_form", "liaison_visit", "liaison_problem_form"}

// Register adds the liaison pages and API.
func Register(rt *web.Router) {
	files := make([]string, len(Views))
	for i, v := range Views {
		files[i] = "templates/" + v + ".html"
	}
	rt.Env.Render.Add(templates, files...)
	h := &handlers{env: rt.Env, store: NewStore(rt.Env.DB, problem.NewStore(rt.Env)), org: &org.Store{DB: rt.Env.DB}}
	rt.Page("GET /liaison", PermRead, h.home)
	rt.Page("GET /liaison/overview", PermRead, h.overview)
	rt.Page("GET /liaison/leaders/{id}", PermRead, h.leaderPage)
	rt.Page("GET /liaison/assignments/new", PermWrite, h.assignmentForm)
	rt.Page("POST /liaison/assignments", PermWrite, h.assignmentCreate)
	rt.Page("GET /liaison/assignments/{id}/edit", PermWrite, h.assignmentEdit)
	rt.Page("POST /liaison/assignments/{id}", PermWrite, h.assignmentUpdate)
	rt.Page("GET /liaison/visits/new", PermWrite, h.visitForm)
	rt.Page("POST /liaison/visits", PermWrite, h.visitCreate)
	rt.Page("GET /liaison/visits/{id}", PermRead, h.visitPage)
	rt.Page("POST /liaison/visits/{id}/photos", PermWrite, h.visitPhotos)
	rt.Page("GET /liaison/photos/{id}", PermRead, h.photo)
	rt.Page("GET /liaison/problems/new", problem.PermRaise, h.problemForm)
	rt.Page("POST /liaison/problems", problem.PermRaise, h.problemCreate)
	registerAPI(rt, h)
	rt.Nav(web.NavItem{Key: "liaison.nav", Href: "/liaison", Perm: PermRead, Order: 45})
	rt.Nav(web.NavItem{Key: "liaison.raise_nav", Href: "/liaison/problems/new", Perm: problem.PermRaise, Order: 47})
}

func registerAPI(rt *web.Router, h *handlers) {
	rt.API("GET /api/v1/liaison/leaders", PermRead, h.apiLeaders, web.Doc{Summary: "The county leaders (users holding the leader role).", Out: leadersResponse{}})
	rt.API("GET /api/v1/liaison/leaders/{id}", PermRead, h.apiLeader, web.Doc{Summary: "A leader's liaison page as of ?date=: assignments, recent visits, and the problems they answer for with overdue ones first, and their tally.",
		Query: []string{"date"}, Out: LeaderView{}})
	rt.API("GET /api/v1/liaison/overview", PermRead, h.apiOverview, web.Doc{Summary: "Liaison problems as they stood at the end of ?date=: in total, by department and by leader, with each leader's assignments and visits.",
		Query: []string{"date"}, Out: Overview{}})
	rt.API("GET /api/v1/liaison/assignments", PermRead, h.apiAssignments, web.Doc{Summary: "Assignments the caller may see (of ?leader= when given), latest period first; current marks those running on ?date=.",
		Query: []string{"leader", "date"}, Out: assignmentsResponse{}})
	rt.API("POST /api/v1/liaison/assignments", PermWrite, h.apiAssignmentCreate, web.Doc{Summary: "Assign a leader (oneself, or any leader for the command) to a township, village or enterprise for a period.",
		In: AssignmentInput{}, Out: Assignment{}, Status: http.StatusCreated})
	rt.API("GET /api/v1/liaison/assignments/{id}", PermRead, h.apiAssignment, web.Doc{Summary: "One assignment; 404 outside the caller's scope.", Out: Assignment{}})
	rt.API("PUT /api/v1/liaison/assignments/{id}", PermWrite, web.WithID(http.StatusOK, h.store.UpdateAssignment), web.Doc{Summary: "Change an assignment's period and note (its leader and target stay).", In: AssignmentInput{}, Out: Assignment{}})
	rt.API("GET /api/v1/liaison/visits", PermRead, h.apiVisits, web.Doc{Summary: "Visits the caller may see (of ?leader= when given), latest first; cursor paging.",
		Query: []string{"leader", "cursor"}, Out: VisitPage{}})
	rt.API("POST /api/v1/liaison/visits", PermWrite, h.apiVisitCreate, web.Doc{Summary: "Record a visit (inspect or visit) to a township, village or enterprise; photos follow through /photos.",
		In: VisitInput{}, Out: Visit{}, Status: http.StatusCreated})
	rt.API("GET /api/v1/liaison/visits/{id}", PermRead, web.ByID(h.store.Visit), web.Doc{Summary: "One visit with its photos' metadata.", Out: Visit{}})
	rt.API("POST /api/v1/liaison/visits/{id}/photos", PermWrite, h.apiPhotos, web.Doc{Summary: "Attach photos: multipart/form-data with \"photo\" parts, or the image itself as the body (?name=). JPEG, PNG or WebP by content, 5 MB each (and within the request body limit), 9 per visit; else 422 on field photo.",
		Query: []string{"name"}, Out: photosResponse{}, Status: http.StatusCreated})
	rt.API("GET /api/v1/liaison/photos/{id}", PermRead, h.photo, web.Doc{Summary: "A photo's bytes, served as the type sniffed when it was stored (image/jpeg, image/png or image/webp)."})
	rt.API("GET /api/v1/liaison/problems", problem.PermRead, h.apiProblems, web.Doc{Summary: "The liaison problems a leader (?leader=, default the caller) answers for — raised by them or for their assigned places and enterprises during the assignment — overdue on ?date= first; cursor paging.",
		Query: []string{"leader", "date", "cursor"}, Out: problem.Page{}})
	rt.API("POST /api/v1/liaison/problems", problem.PermRaise, h.apiProblemCreate, web.Doc{Summary: "Raise a work-resumption problem for a township, village or enterprise (or from a visit: visit_id), assigned to a department with a deadline not before the day raised.",
		In: ProblemInput{}, Out: problem.Problem{}, Status: http.StatusCreated})
}

type handlers struct {
	env   *web.Env
	store *Store
	org   *org.Store
}

// asOf is the day an "as of" page or list is judged on, as a field error
// when the ?date= is bad.
func (h *handlers) asOf(r *http.Request) (storage.Date, error) { return h.env.AsOf(r) }

// leaderParam reads ?leader= (a user id); 0 when absent.
func leaderParam(r *http.Request) (int64, error) {
	s := r.URL.Query().Get("leader")
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field("leader", "errs.bad_type")
	}
	return id, nil
}

// option is one choice of a select field.
type option = problem.Option

// divisionOptions lists the townships and villages in p's scope for perm,
// villages indented under their township, after a first empty choice.
func (h *handlers) divisionOptions(ctx context.Context, p *auth.Principal, perm auth.Perm, lang i18n.Lang) ([]option, error) {
	out := []option{{Value: "", Label: "liaison.choose"}}
	nodes, err := h.org.List(ctx, p)
	if err != nil {
		return nil, err
	}
	scope := p.Scope(perm)
	for _, n := range nodes {
		if n.Level == org.County || !scope.Contains(n.Path) {
			continue
		}
		label := n.Name(string(lang))
		if n.Level == org.Village {
			label = "　" + label
		}
		out = append(out, option{Value: strconv.FormatInt(n.ID, 10), Raw: label})
	}
	return out, nil
}

// enterpriseOptions lists the enterprises p may act for with perm: those in
// their node scope, and their own enterprise.
func (h *handlers) enterpriseOptions(ctx context.Context, p *auth.Principal, perm auth.Perm) ([]option, error) {
	ents, err := h.store.Enterprises(ctx, p, perm)
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: "liaison.choose"}}
	for _, e := range ents {
		out = append(out, option{Value: strconv.FormatInt(e.ID, 10), Raw: e.Name})
	}
	return out, nil
}

// leaderOptions lists the leaders a caller may record for: everyone for the
// command, else nobody (the form then records for the caller).
func (h *handlers) leaderOptions(ctx context.Context, p *auth.Principal) ([]option, error) {
	if !p.Can(PermManage) {
		return nil, nil
	}
	leaders, err := h.store.Leaders(ctx)
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: "liaison.choose"}}
	for _, l := range leaders {
		out = append(out, option{Value: strconv.FormatInt(l.ID, 10), Raw: l.Name})
	}
	return out, nil
}

func optionsOf(keys []string, prefix string) []option {
	out := []option{{Value: "", Label: "liaison.choose"}}
	for _, k := range keys {
		out = append(out, option{Value: k, Label: prefix + k})
	}
	return out
}

func kindOptions() []option {
	var out []option
	for _, k := range VisitKinds {
		out = append(out, option{Value: string(k), Label: "liaison.kind." + string(k)})
	}
	return out
}

// formID reads an optional id field of a form: 0 when empty, -1 when not a
// number (the store reports it).
func formID(f *web.Form, field string) int64 {
	s := f.Get(field)
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return -1
	}
	return id
}
