package screening

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/validate"
	"fangkong/internal/platform/web"
)

type overviewData struct {
	Overview
	Today   string
	Pending int
	// Keep is the drill-down division the date form keeps.
	Keep int64
}

// Link builds a drill-down address keeping the overview's day.
func (d overviewData) Link(path string, division int64, kv ...string) string {
	q := url.Values{"date": {d.Date.String()}}
	if division != 0 {
		q.Set("division", itoa(division))
	}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return path + "?" + q.Encode()
}

// overview is the screening dashboard for any day: under observation,
// started and released, follow-ups due and missed, open alerts and screening
// progress, per township or village, each figure a link to its records.
func (h *handlers) overview(w http.ResponseWriter, r *http.Request) error {
	d, div, err := h.asOf(r)
	if err != nil {
		f := web.NewForm(r.URL.Query())
		if !f.SetError(err) {
			return err
		}
		data := overviewData{Today: h.env.Today().String()}
		return h.env.Render.PageForm(w, r, web.Status(errs.CodeOf(err)), "screening_overview", web.T(r, "screening.overview.title"), data, f)
	}
	p := auth.From(r.Context())
	ov, err := h.store.Overview(r.Context(), p, d, div)
	if err != nil {
		return err
	}
	data := overviewData{Overview: ov, Today: h.env.Today().String(), Keep: div}
	if pg, err := h.store.Queue(r.Context(), p, QueueFilter{DivisionID: div, Limit: 100}); err == nil {
		data.Pending = len(pg.Items)
	}
	return h.env.Render.PageForm(w, r, http.StatusOK, "screening_overview", web.T(r, "screening.overview.title"), data,
		web.NewForm(r.URL.Query()))
}

type householdsData struct {
	Page      Page[Household]
	Villages  []option
	Divisions []option
	Division  int64
	NextURL   string
}

func (h *handlers) households(w http.ResponseWriter, r *http.Request) error {
	f := web.NewForm(url.Values{"visited_on": {h.env.Today().String()}})
	if div := r.URL.Query().Get("division"); div != "" {
		f.Values.Set("division_id", div)
	}
	return h.householdsPage(w, r, http.StatusOK, f)
}

func (h *handlers) householdsPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	p, lang := auth.From(r.Context()), string(web.RequestLang(r))
	pg, err := h.store.Households(r.Context(), p, HouseholdFilter{DivisionID: div, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		return err
	}
	if _, ok := f.Values["division"]; !ok && div != 0 {
		f.Values.Set("division", itoa(div))
	}
	d := householdsData{Page: pg, Division: div}
	if d.Divisions, err = h.divisionOptions(r.Context(), p, lang); err != nil {
		return err
	}
	if p.Can(PermWrite) {
		if d.Villages, err = h.villageOptions(r.Context(), p, lang); err != nil {
			return err
		}
	}
	if pg.Next != "" {
		q := r.URL.Query()
		q.Set("cursor", pg.Next)
		d.NextURL = "/screening/households?" + q.Encode()
	}
	return h.env.Render.PageForm(w, r, status, "screening_households", web.T(r, "screening.households.title"), d, f)
}

func (h *handlers) householdAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	members, perr := strconv.ParseInt(f.Get("members"), 10, 64)
	in := HouseholdInput{DivisionID: formID(f, "division_id"), Address: f.Get("address"), Members: members,
		VisitedOn: f.Get("visited_on"), Notes: f.Get("notes")}
	_, err = h.store.RecordHousehold(r.Context(), auth.From(r.Context()), in)
	if perr != nil {
		err = errs.Field("members", "errs.bad_type")
	}
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.householdsPage(w, r, web.Status(errs.CodeOf(err)), f)
	}
	web.Redirect(w, r, "/screening/households?division="+itoa(in.DivisionID), "screening.households.saved")
	return nil
}

type rulesData struct {
	Rules    Rules
	CanEdit  bool
	Returnee []option
	Contact  []option
	Ops      []option
}

func (h *handlers) rules(w http.ResponseWriter, r *http.Request) error {
	rl := h.store.Rules(r.Context())
	return h.rulesPage(w, r, http.StatusOK, web.NewForm(rulesValues(rl)))
}

func rulesValues(rl Rules) url.Values {
	op := "ge"
	if !rl.FeverInclusive {
		op = "gt"
	}
	return url.Values{"period_days": {strconv.Itoa(rl.PeriodDays)}, "basis_returnee": {string(rl.ReturneeBasis)},
		"basis_contact": {string(rl.ContactBasis)}, "fever": {strconv.FormatFloat(Degrees(int64(rl.FeverTenths)), 'f', 1, 64)},
		"fever_op": {op}, "selfreg_per_hour": {strconv.Itoa(rl.SelfRegPerHour)}, "am_cutoff": {strconv.Itoa(rl.AMCutoffHour)}}
}

func (h *handlers) rulesPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	d := rulesData{Rules: h.store.Rules(r.Context()), CanEdit: auth.From(r.Context()).Can(auth.PermSettings),
		Returnee: choices([]Basis{FromArrival, FromTest, FromStart}, "screening.basis.", false),
		Contact:  choices([]Basis{FromExposure, FromTest, FromStart}, "screening.basis.", false),
		Ops:      []option{{Value: "ge", Label: "screening.rules.op_ge"}, {Value: "gt", Label: "screening.rules.op_gt"}}}
	return h.env.Render.PageForm(w, r, status, "screening_rules", web.T(r, "screening.rules.title"), d, f)
}

func (h *handlers) rulesSave(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := RulesInput{PeriodDays: f.Get("period_days"), ReturneeBasis: f.Get("basis_returnee"), ContactBasis: f.Get("basis_contact"),
		Fever: f.Get("fever"), FeverOp: f.Get("fever_op"), SelfRegPerHour: f.Get("selfreg_per_hour"), AMCutoff: f.Get("am_cutoff")}
	if err := h.store.SaveRules(r.Context(), in); err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.rulesPage(w, r, web.Status(errs.CodeOf(err)), f)
	}
	web.Redirect(w, r, "/screening/rules", "screening.rules.saved")
	return nil
}

// RulesInput is the rules form (text as typed).
type RulesInput struct {
	PeriodDays     string `json:"period_days"`
	ReturneeBasis  string `json:"basis_returnee"`
	ContactBasis   string `json:"basis_contact"`
	Fever          string `json:"fever_threshold"`
	FeverOp        string `json:"fever_op"` // ge (≥) or gt (>)
	SelfRegPerHour string `json:"selfreg_per_hour"`
	AMCutoff       string `json:"am_cutoff_hour"`
}

// SaveRules checks and stores the county's screening rules; each change is
// audited by the settings store. Observations already open keep their
// period; the new rules apply to the next ones.
func (s *Store) SaveRules(ctx context.Context, in RulesInput) error {
	var fc errs.FieldCollector
	vals := map[string]string{}
	num := func(field, key, v string, lo, hi int) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < lo || n > hi {
			fc.Add(field, "screening.err.range", lo, hi)
			return
		}
		vals[key] = strconv.Itoa(n)
	}
	num("period_days", SettingPeriod, in.PeriodDays, MinPeriod, MaxPeriod)
	num("selfreg_per_hour", SettingSelfRegPerHour, in.SelfRegPerHour, 1, 1000)
	num("am_cutoff", SettingAMCutoff, in.AMCutoff, 1, 23)
	if b := Basis(in.ReturneeBasis); b == FromArrival || b == FromTest || b == FromStart {
		vals[SettingReturneeBasis] = string(b)
	} else {
		fc.Add("basis_returnee", "errs.bad_choice")
	}
	if b := Basis(in.ContactBasis); b == FromExposure || b == FromTest || b == FromStart {
		vals[SettingContactBasis] = string(b)
	} else {
		fc.Add("basis_contact", "errs.bad_choice")
	}
	if t, err := validate.ParseTemperature(in.Fever); err != nil || Tenths(t) < MinFeverTenths || Tenths(t) > MaxFeverTenths {
		fc.Add("fever", "screening.err.fever_range")
	} else {
		vals[SettingFever] = strconv.FormatFloat(t, 'f', 1, 64)
	}
	switch in.FeverOp {
	case "ge":
		vals[SettingFeverInclusive] = "true"
	case "gt":
		vals[SettingFeverInclusive] = "false"
	default:
		fc.Add("fever_op", "errs.bad_choice")
	}
	if err := fc.Err(); err != nil {
		return err
	}
	st := s.Settings
	if st == nil {
		st = &settings.Store{DB: s.DB}
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if cur, _ := st.Get(ctx, k, ""); cur == vals[k] {
			continue
		}
		if err := st.Set(ctx, k, vals[k]); err != nil {
			return errs.Wrap(err, "rules save")
		}
	}
	return nil
}
