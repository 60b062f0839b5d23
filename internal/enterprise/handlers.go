package enterprise

import (
	"context"
	"embed"
	"net/http"
	"strconv"

	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Views are the templates this package renders.
var Views = []string{"enterprise_list", "enterprise_form", "enterprise_detail", "enterprise_filing_form",
	"enterprise_filing", "enterprise_queue", "enterprise_report", "enterprise_stats", "enterprise_policies",
	"enterprise_import", "enterprise_import_report"}

func init() {
	read := []auth.Role{auth.Commander, auth.Leader, auth.TownshipAdmin, auth.VillageCadre, auth.Inspector,
		auth.Auditor, auth.EnterpriseOfficer}
	for _, r := range read {
		auth.AddPerms(r, auth.PermEnterpriseRead)
	}
	auth.AddPerms(auth.Commander, auth.PermEnterpriseWrite, auth.PermEnterpriseFile, auth.PermEnterpriseDecide,
		auth.PermEnterprisePolicy)
	auth.AddPerms(auth.TownshipAdmin, auth.PermEnterpriseWrite, auth.PermEnterpriseFile, auth.PermEnterpriseReview)
	auth.AddPerms(auth.EnterpriseOfficer, auth.PermEnterpriseFile)
}

// Register adds the enterprise pages and API.
func Register(rt *web.Router) {
	files := make([]string, len(Views))
	for i, v := range Views {
		files[i] = "templates/" + v + ".html"
	}
	rt.Env.Render.Add(templates, files...)
	h := &handlers{env: rt.Env, store: NewStore(rt.Env), org: &org.Store{DB: rt.Env.DB}}
	rt.Panel(panel(h.store))
	registerPages(rt, h)
	registerAPI(rt, h)
	rt.Nav(web.NavItem{Key: "enterprise.nav", Href: "/enterprises", Perm: auth.PermEnterpriseRead, Order: 40})
}

func registerPages(rt *web.Router, h *handlers) {
	read, write, file := auth.PermEnterpriseRead, auth.PermEnterpriseWrite, auth.PermEnterpriseFile
	rt.Page("GET /enterprises", read, h.list)
	rt.Page("GET /enterprises/export.xlsx", read, h.export)
	rt.Page("GET /enterprises/import", write, h.importPage)
	rt.Page("GET /enterprises/import/template.xlsx", write, h.importTemplate)
	rt.Page("POST /enterprises/import", write, h.importSubmit)
	rt.Page("GET /enterprises/new", write, h.newForm)
	rt.Page("POST /enterprises", write, h.create)
	rt.Page("GET /enterprises/queue", read, h.queue)
	rt.Page("POST /enterprises/settings", auth.PermSettings, h.saveSettings)
	rt.Page("GET /enterprises/stats", read, h.stats)
	rt.Page("GET /enterprises/policies", read, h.policies)
	rt.Page("POST /enterprises/policies", auth.PermEnterprisePolicy, h.createPolicy)
	rt.Page("GET /enterprise-policies/{id}/edit", auth.PermEnterprisePolicy, h.editPolicy)
	rt.Page("POST /enterprise-policies/{id}", auth.PermEnterprisePolicy, h.updatePolicy)
	rt.Page("GET /enterprises/{id}", read, h.detail)
	rt.Page("POST /enterprises/{id}", write, h.update)
	rt.Page("POST /enterprises/{id}/reveal", auth.PermPIIReveal, h.reveal)
	rt.Page("GET /enterprises/{id}/edit", write, h.editForm)
	rt.Page("POST /enterprises/{id}/suspend", write, h.suspend)
	rt.Page("POST /enterprises/{id}/lift", write, h.lift)
	rt.Page("GET /enterprises/{id}/filings/new", file, h.filingForm)
	rt.Page("POST /enterprises/{id}/filings", file, h.submitFiling)
	rt.Page("GET /enterprises/{id}/filings/{fid}", read, h.filing)
	rt.Page("GET /enterprises/{id}/filings/{fid}/edit", file, h.refileForm)
	rt.Page("POST /enterprises/{id}/filings/{fid}", file, h.refile)
	rt.Page("POST /enterprises/{id}/filings/{fid}/review", auth.PermEnterpriseReview, h.review)
	rt.Page("POST /enterprises/{id}/filings/{fid}/decision", auth.PermEnterpriseDecide, h.decision)
	rt.Page("GET /enterprises/{id}/reports/new", file, h.reportForm)
	rt.Page("POST /enterprises/{id}/reports", file, h.saveReport)
	rt.Page("POST /enterprises/{id}/policies", read, h.apply)
	rt.Page("POST /enterprises/{id}/policies/{aid}", auth.PermEnterprisePolicy, h.grant)
}

func registerAPI(rt *web.Router, h *handlers) {
	read, write, file := auth.PermEnterpriseRead, auth.PermEnterpriseWrite, auth.PermEnterpriseFile
	listQuery := []string{"division", "industry", "above_size", "key_project", "status", "q", "cursor", "limit"}
	rt.API("GET /api/v1/enterprises", read, h.apiList, web.Doc{Summary: "Enterprises in the caller's scope (an enterprise officer: their own), in registration order, personal data masked; cursor paging. status is the status today: not_filed, filed, township_passed, returned, refused, scheduled, resumed, suspended.", Query: listQuery, Out: Page{}})
	rt.API("POST /api/v1/enterprises", write, h.apiCreate, web.Doc{Summary: "Register an enterprise in a township or village of the caller's scope; the credit code is checked (GB 32100) and unique.", In: Input{}, Out: Enterprise{}, Status: 201})
	rt.API("GET /api/v1/enterprises/stats", read, h.apiStats, web.Doc{Summary: "Work-resumption figures for ?date= over the caller's scope, computed from the records: above-size resumption rate (resumed ÷ all above-size registered by the day), all enterprises, key projects, workers back, capacity use, reports missing, fevers, pending filings by working-day age; by township and by industry.", Query: []string{"date"}, Out: Stats{}})
	rt.API("GET /api/v1/enterprises/trend", read, h.apiTrend, web.Doc{Summary: "The above-size resumption rate of each day from ?from= to ?to= (default: the 21 days up to ?date=).", Query: []string{"from", "to", "date"}, Out: TrendList{}})
	rt.API("GET /api/v1/enterprises/alerts", read, h.apiAlerts, web.Doc{Summary: "Resumed enterprises without a daily report on ?date=, and enterprises that reported fever cases.", Query: []string{"date"}, Out: Alerts{}})
	rt.API("GET /api/v1/enterprises/queue", read, h.apiQueue, web.Doc{Summary: "Filings pending now (?stage=township or county, default both), oldest first, each aged in working days up to ?date= and flagged overdue past the answer limit.", Query: []string{"stage", "date"}, Out: QueueList{}})
	rt.API("GET /api/v1/enterprises/reports", read, h.apiDayReports, web.Doc{Summary: "The daily reports of ?date= over the caller's scope.", Query: []string{"date"}, Out: ReportList{}})
	rt.API("GET /api/v1/enterprises/settings", read, h.apiSettings, web.Doc{Summary: "The county's filing mode (approval, or commitment: 告知承诺, effective on submission) and answer limit in working days.", Out: SettingsInput{}})
	rt.API("PUT /api/v1/enterprises/settings", auth.PermSettings, h.apiSaveSettings, web.Doc{Summary: "Set the filing mode and the answer limit (audited).", In: SettingsInput{}, Out: SettingsInput{}})
	rt.API("GET /api/v1/enterprises/{id}", read, web.ByID(h.store.Get), web.Doc{Summary: "One enterprise, personal data masked; 404 outside the caller's scope.", Out: Enterprise{}})
	rt.API("PUT /api/v1/enterprises/{id}", write, web.WithID(http.StatusOK, h.store.Update), web.Doc{Summary: "Change an enterprise's register entry; version must match (409 otherwise).", In: Input{}, Out: Enterprise{}})
	rt.API("POST /api/v1/enterprises/{id}/reveal", auth.PermPIIReveal, h.apiReveal, web.Doc{Summary: "The enterprise with principal, officer and phone in full; written to the audit log.", Out: Enterprise{}})
	rt.API("GET /api/v1/enterprises/{id}/suspensions", read, h.apiSuspensions, web.Doc{Summary: "The enterprise's suspensions of production, newest first.", Out: SuspensionList{}})
	rt.API("POST /api/v1/enterprises/{id}/suspend", write, h.apiSuspend, web.Doc{Summary: "Suspend an approved enterprise's production from day (reason required): it no longer counts as resumed.", In: SuspendInput{}, Out: Enterprise{}})
	rt.API("POST /api/v1/enterprises/{id}/lift", write, h.apiLift, web.Doc{Summary: "End the enterprise's suspension: it produces again from day.", In: SuspendInput{}, Out: Enterprise{}})
	rt.API("GET /api/v1/enterprises/{id}/filings", read, h.apiFilings, web.Doc{Summary: "The enterprise's resumption filings, newest first.", Out: FilingList{}})
	rt.API("POST /api/v1/enterprises/{id}/filings", file, h.apiSubmit, web.Doc{Summary: "File for resumption: planned date, the seven measures (each done, with evidence; errors name measure_<key>), employees expected, supplies, isolation area. Goes to the township, or is effective at once in commitment mode (commitment required). 409 while another filing is open.", In: FilingInput{}, Out: Filing{}, Status: 201})
	rt.API("GET /api/v1/enterprises/{id}/filings/{fid}", read, h.apiFiling, web.Doc{Summary: "One filing with its measures and timed steps (who, when, working days taken, reasons).", Out: Filing{}})
	rt.API("PUT /api/v1/enterprises/{id}/filings/{fid}", file, h.apiResubmit, web.Doc{Summary: "Change a returned filing and file it again; version must match.", In: FilingInput{}, Out: Filing{}})
	rt.API("POST /api/v1/enterprises/{id}/filings/{fid}/review", auth.PermEnterpriseReview, h.apiReview, web.Doc{Summary: "The township's step: action pass or return (reasons required). 403 for whoever filed it; 409 when the filing is not awaiting the township.", In: DecisionInput{}, Out: Filing{}})
	rt.API("POST /api/v1/enterprises/{id}/filings/{fid}/decision", auth.PermEnterpriseDecide, h.apiDecision, web.Doc{Summary: "The county's step: action approve, return or refuse (reasons required for the last two). 403 for whoever filed it; 409 unless the township passed it.", In: DecisionInput{}, Out: Filing{}})
	rt.API("GET /api/v1/enterprises/{id}/reports", read, h.apiReports, web.Doc{Summary: "The enterprise's daily reports on or before ?date=, newest first.", Query: []string{"date", "limit"}, Out: ReportList{}})
	rt.API("POST /api/v1/enterprises/{id}/reports", file, h.apiSaveReport, web.Doc{Summary: "Report a day (201; 200 when it corrects that day's report): counts non-negative, on-site ≤ employees + returned today, not in the future nor before the filing.", In: ReportInput{}, Out: Report{}, Status: 201})
	rt.API("GET /api/v1/enterprises/{id}/policies", read, h.apiApplications, web.Doc{Summary: "The policies the enterprise applied for, and what it received.", Out: ApplicationList{}})
	rt.API("POST /api/v1/enterprises/{id}/policies", read, web.WithID(http.StatusCreated, h.store.Apply), web.Doc{Summary: "Apply for a policy (amounts in yuan as text, e.g. \"12500.00\"); with enterprise.policy it may be recorded as granted or rejected at once.", In: ApplicationInput{}, Out: Application{}, Status: 201})
	rt.API("PUT /api/v1/enterprises/{id}/policies/{aid}", auth.PermEnterprisePolicy, h.apiGrant, web.Doc{Summary: "Decide an application: granted (with the amount) or rejected.", In: GrantInput{}, Out: Application{}})
	// The policy catalogue has its own prefix: /api/v1/enterprises/policies/{id}
	// would clash with /api/v1/enterprises/{id}/filings in the mux.
	rt.API("GET /api/v1/enterprise-policies", read, h.apiPolicies, web.Doc{Summary: "Relief and support policies, with applications, grants and the amount granted over the caller's scope.", Out: PolicyList{}})
	rt.API("POST /api/v1/enterprise-policies", auth.PermEnterprisePolicy, h.apiCreatePolicy, web.Doc{Summary: "Add a policy (kind: tax_fee, rent, subsidy, loan, other).", In: PolicyInput{}, Out: Policy{}, Status: 201})
	rt.API("GET /api/v1/enterprise-policies/{id}", read, h.apiPolicy, web.Doc{Summary: "One policy and the applications for it in the caller's scope.", Out: PolicyDetail{}})
	rt.API("PUT /api/v1/enterprise-policies/{id}", auth.PermEnterprisePolicy, web.WithID(http.StatusOK, h.store.SavePolicy), web.Doc{Summary: "Change a policy; version must match.", In: PolicyInput{}, Out: Policy{}})
}

type handlers struct {
	env   *web.Env
	store *Store
	org   *org.Store
}

// ids reads {id} and {fid} (or {aid}).
func ids(r *http.Request, second string) (int64, int64, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return 0, 0, err
	}
	sub, err := web.PathID(r, second)
	return id, sub, err
}

// filterOf reads list filters from the query string.
func filterOf(r *http.Request) (Filter, error) {
	q := r.URL.Query()
	f := Filter{Industry: q.Get("industry"), AboveSize: q.Get("above_size"), Status: Status(q.Get("status")),
		Q: q.Get("q"), Cursor: q.Get("cursor"), KeyProject: q.Get("key_project") == "1"}
	var fc errs.FieldCollector
	if f.Industry != "" && !validIndustry(f.Industry) {
		fc.Add("industry", "errs.bad_choice")
	}
	if f.AboveSize != "" && f.AboveSize != "1" && f.AboveSize != "0" {
		fc.Add("above_size", "errs.bad_choice")
	}
	if f.Status != "" && !f.Status.Valid() {
		fc.Add("status", "errs.bad_choice")
	}
	if s := q.Get("division"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			fc.Add("division", "errs.bad_type")
		}
		f.DivisionID = id
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			fc.Add("limit", "errs.bad_type")
		}
		f.Limit = n
	}
	return f, fc.Err()
}

// option is one choice of a select field.
type option struct {
	Value string
	Label string // i18n key
	Raw   string // untranslated text (names)
}

// divisionOptions lists townships (and, indented, villages) the user reaches
// with perm; townshipsOnly leaves villages out (the list filter).
func (h *handlers) divisionOptions(ctx context.Context, p *auth.Principal, lang string, perm auth.Perm, townshipsOnly bool) ([]option, error) {
	nodes, err := h.org.List(ctx, p)
	if err != nil {
		return nil, err
	}
	scope := p.Scope(perm)
	var out []option
	for _, n := range nodes {
		if n.Level == org.County || !scope.Contains(n.Path) || (townshipsOnly && n.Level != org.Township) {
			continue
		}
		label := n.Name(lang)
		if n.Level == org.Village {
			label = "　" + label
		}
		out = append(out, option{Value: strconv.FormatInt(n.ID, 10), Raw: label})
	}
	return out, nil
}

func industryOptions(withEmpty bool) []option {
	var out []option
	if withEmpty {
		out = append(out, option{Value: "", Label: "common.all"})
	}
	for _, i := range Industries {
		out = append(out, option{Value: i, Label: "enterprise.industry." + i})
	}
	return out
}

func statusOptions() []option {
	out := []option{{Value: "", Label: "common.all"}}
	for _, s := range Statuses {
		out = append(out, option{Value: string(s), Label: "enterprise.status." + string(s)})
	}
	return out
}

// soleEnterprise is the one enterprise an enterprise officer works for, or 0
// for everyone else: their pages start at it.
func soleEnterprise(p *auth.Principal) int64 {
	if p == nil || len(p.Grants) == 0 || !p.Scope(auth.PermEnterpriseRead).Empty() {
		return 0
	}
	ids := p.ScopeIDs(auth.ScopeEnterprise, auth.PermEnterpriseRead)
	if len(ids) != 1 {
		return 0
	}
	return ids[0]
}
