package problem

import (
	"context"
	"embed"
	"net/http"
	"strconv"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"problem_list", "problem_detail"}

// Register adds the pages and API that work problems, whatever module raised
// them. Raising is each module's own route (it knows its categories).
func Register(rt *web.Router) {
	rt.Env.Render.Add(templates, "templates/problem_list.html", "templates/problem_detail.html")
	h := &handlers{env: rt.Env, store: NewStore(rt.Env)}
	rt.Panel(panel(h.store))
	rt.Page("GET /problems", PermRead, h.list)
	rt.Page("GET /problems/{id}", PermRead, h.detail)
	rt.Page("POST /problems/{id}/steps", PermRead, h.step)
	rt.API("GET /api/v1/problems", PermRead, h.apiList, web.Doc{Summary: "Problems the caller may see (node scope, their department, their enterprise, raised by them): overdue on ?date= first, then awaiting confirmation, then open by deadline, then closed; cursor paging.",
		Query: []string{"status", "overdue", "unresolved", "department", "mine", "source", "date", "cursor", "limit"}, Out: Page{}})
	rt.API("GET /api/v1/problems/stats", PermRead, h.apiStats, web.Doc{Summary: "Problems the caller may see as they stood at the end of ?date= (replayed from their history): in total and by the department they were assigned to.",
		Query: []string{"date", "source"}, Out: Stats{}})
	rt.API("GET /api/v1/problems/{id}", PermRead, h.apiGet, web.Doc{Summary: "One problem with its history and the actions the caller may take now; 404 outside the caller's sight.", Query: []string{"date"}, Out: Problem{}})
	docs := map[Action]string{
		Start:   "The assigned department (or the command) takes the problem up: open → in_progress. 403 for anyone else, 409 in another status.",
		Resolve: "The assigned department (or the command) reports it solved, saying what was done (note required): in_progress → resolved.",
		Confirm: "The raiser — only the raiser — confirms the resolution: resolved → confirmed (closed).",
		Reopen:  "The raiser sends it back with a reason (note required): resolved → in_progress.",
	}
	for _, a := range []Action{Start, Resolve, Confirm, Reopen} {
		rt.API("POST /api/v1/problems/{id}/"+string(a), PermRead, h.apiStep(a), web.Doc{Summary: docs[a], In: stepRequest{}, Out: Problem{}})
	}
	rt.API("POST /api/v1/problems/{id}/comments", PermRead, h.apiStep(Comment), web.Doc{Summary: "Add a note to an unclosed problem (raiser, assigned department or command).", In: stepRequest{}, Out: Problem{}})
	rt.API("POST /api/v1/problems/{id}/assign", PermRead, h.apiAssign, web.Doc{Summary: "Give the problem to another department and/or deadline (raiser or command); it goes back to open. The deadline may not precede the day it was raised.", In: AssignInput{}, Out: Problem{}})
	rt.Nav(web.NavItem{Key: "problem.nav", Href: "/problems", Perm: PermRead, Order: 46})
}

// NewStore is the problem store as the web layer configures it: the
// platform's clock (read at each call: tests and the demo set it after the
// routes are registered) and the county's zone.
func NewStore(env *web.Env) *Store {
	return &Store{DB: env.DB, Now: func() time.Time { return env.Now() }, Zone: env.Zone}
}

type handlers struct {
	env   *web.Env
	store *Store
}

// filterOf reads list filters from the query string: status, overdue=1,
// unresolved=1, department, mine=1 (raised by me), source, date (the day
// overdue is judged on), cursor, limit. Every bad one is reported.
func (h *handlers) filterOf(r *http.Request) (Filter, error) {
	q := r.URL.Query()
	var fc errs.FieldCollector
	f := Filter{Status: Status(q.Get("status")), Source: q.Get("source"), Cursor: q.Get("cursor"),
		Overdue: q.Get("overdue") == "1", Unresolved: q.Get("unresolved") == "1"}
	if f.Status != "" && !f.Status.Valid() {
		fc.Add("status", "errs.bad_choice")
	}
	f.DepartmentID = queryID(&fc, q.Get("department"), "department")
	if s := q.Get("limit"); s != "" {
		if n, err := strconv.Atoi(s); err != nil || n < 1 || n > 500 {
			fc.Add("limit", "errs.bad_type")
		} else {
			f.Limit = n
		}
	}
	if q.Get("mine") == "1" {
		f.Involving = &Involvement{UserID: auth.From(r.Context()).UserID}
	}
	d, err := h.env.AsOf(r)
	if err != nil {
		for _, fe := range errs.As(err).Fields {
			fc.Add(fe.Field, fe.Msg.Key, fe.Msg.Args...)
		}
	}
	f.AsOf = d
	return f, fc.Err()
}

// queryID reads an optional positive id from the query string.
func queryID(fc *errs.FieldCollector, s, field string) int64 {
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		fc.Add(field, "errs.bad_type")
		return 0
	}
	return id
}

// Dept is a department as a select shows it.
type Dept struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// Label is the department's name in lang.
func (d Dept) Label(lang i18n.Lang) string { return pick(lang, d.Name, d.NameEN) }

// Departments lists the county's departments in their code order, for the
// selects that assign problems.
func Departments(ctx context.Context, db *storage.DB) ([]Dept, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT id, name_zh, name_en FROM departments ORDER BY code`)
	if err != nil {
		return nil, errs.Wrap(err, "departments")
	}
	defer rows.Close()
	var out []Dept
	for rows.Next() {
		var d Dept
		if err := rows.Scan(&d.ID, &d.Name, &d.NameEN); err != nil {
			return nil, errs.Wrap(err, "departments scan")
		}
		out = append(out, d)
	}
	return out, errs.Wrap(rows.Err(), "departments")
}

// Option is one choice of a select field (the shape the "select" partial takes).
type Option struct {
	Value string
	Label string // i18n key
	Raw   string // untranslated text (names)
}

// DepartmentOptions are the departments as select options in lang, after
// an optional first choice (an i18n key; "" for none).
func DepartmentOptions(list []Dept, lang i18n.Lang, first string) []Option {
	var out []Option
	if first != "" {
		out = append(out, Option{Value: "", Label: first})
	}
	for _, d := range list {
		out = append(out, Option{Value: strconv.FormatInt(d.ID, 10), Raw: d.Label(lang)})
	}
	return out
}

func statusOptions() []Option {
	out := []Option{{Value: "", Label: "common.all"}}
	for _, s := range Statuses {
		out = append(out, Option{Value: string(s), Label: "problem.status." + string(s)})
	}
	return out
}
