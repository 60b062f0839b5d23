package command

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

// home is "/": the dashboard for those who may read it; everyone else goes to
// the page they work on most.
func (h *handlers) home(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	if p.Can(auth.PermDashboard) {
		return h.dashboard(w, r)
	}
	http.Redirect(w, r, h.env.Render.Home(p), http.StatusSeeOther)
	return nil
}

// params reads ?date= and ?division= (a node id), reporting both when both
// are wrong.
func (h *handlers) params(r *http.Request) (storage.Date, int64, error) {
	var fe []errs.FieldError
	d, err := h.env.AsOf(r)
	if err != nil {
		fe = append(fe, errs.As(err).Fields...)
	}
	var div int64
	if s := r.URL.Query().Get("division"); s != "" {
		if div, err = strconv.ParseInt(s, 10, 64); err != nil || div <= 0 {
			fe = append(fe, errs.Field("division", "errs.bad_type").Fields...)
		}
	}
	return d, div, errs.Fields(fe)
}

// view is what the dashboard template receives.
type view struct {
	*Dashboard
	Wide, Narrow Chart
	Today        storage.Date
	Lede         string
	DateLong     string
	Prev, Next   string      // the day before and after ("" for a day after today)
	CanCases     bool        // figures link to the case list
	CanTrace     bool        // the clusters figure links to tracing's cluster list
	Keep         int64       // the drill-down division the date form keeps (0 on the user's own dashboard)
	Panels       []web.Panel // the other modules' figures for the day (own dashboard only)
}

func (h *handlers) dashboard(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	lang := web.RequestLang(r)
	title := web.T(r, "nav.dashboard")
	d, div, err := h.params(r)
	if err != nil {
		f := web.NewForm(r.URL.Query())
		if !f.SetError(err) {
			return err
		}
		v := view{Today: h.env.Today()}
		return h.env.Render.PageForm(w, r, web.Status(errs.CodeOf(err)), "command_dashboard", title, v, f)
	}
	db, err := h.load.load(r.Context(), p, string(lang), d, div)
	if err != nil {
		return err
	}
	v := view{Dashboard: db, Wide: layout(db.Trend, wideChart), Narrow: layout(db.Trend, narrowChart),
		Today: h.env.Today(), Lede: lede(lang, db), DateLong: longDate(lang, d), CanCases: p.Can(auth.PermCaseRead),
		CanTrace: p.Can(auth.PermTracingRead)}
	if db.Division.ID != db.Home.ID {
		v.Keep = db.Division.ID
	}
	if v.Keep == 0 {
		if v.Panels, err = h.env.Panels(r.Context(), p, d); err != nil {
			return err
		}
	}
	v.Prev = v.url(d.AddDays(-1), v.Keep)
	if d.Before(v.Today.Time) {
		v.Next = v.url(d.AddDays(1), v.Keep)
	}
	return h.env.Render.Page(w, r, http.StatusOK, "command_dashboard", title, v)
}

// url is the dashboard of day d for a division (0: the user's own).
func (v view) url(d storage.Date, division int64) string {
	q := url.Values{"date": {d.String()}}
	if division != 0 && division != v.Home.ID {
		q.Set("division", strconv.FormatInt(division, 10))
	}
	return "/dashboard?" + q.Encode()
}

// DrillURL is the same day's dashboard for a division below.
func (v view) DrillURL(division int64) string { return v.url(v.Date, division) }

// CasesURL is the case list of a division, filtered to a status ("" for all).
// The list shows cases as they stand now; the dashboard's date is in the figure.
func (v view) CasesURL(division int64, status string) string {
	q := url.Values{"division": {strconv.FormatInt(division, 10)}}
	if status != "" {
		q.Set("status", status)
	}
	return "/cases?" + q.Encode()
}

// longDate is the day as a sentence names it.
func longDate(lang i18n.Lang, d storage.Date) string {
	if lang == i18n.EN {
		return d.Format("2 January 2006")
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
}

// lede is the day's situation in one sentence, in the words of the county's
// bulletins: "截至2月22日，全县累计报告确诊病例2例，治愈1例，连续17日无新增确诊病例".
func lede(lang i18n.Lang, db *Dashboard) string {
	s, day, name := db.Summary, longDate(lang, db.Date), db.Division.Name
	switch {
	case s.CumulativeConfirmed == 0:
		return i18n.T(lang, "command.lede_none", day, name)
	case s.NewConfirmed > 0:
		return i18n.T(lang, "command.lede_new", day, name, s.CumulativeConfirmed, s.Cured, s.NewConfirmed)
	case s.DaysWithoutNewConfirmed != nil:
		return i18n.T(lang, "command.lede_quiet", day, name, s.CumulativeConfirmed, s.Cured, *s.DaysWithoutNewConfirmed)
	}
	return ""
}

// Link is the case list of a division and status when the viewer may read
// cases, "" otherwise (the figure is then plain text).
func (v view) Link(division int64, status string) string {
	if !v.CanCases {
		return ""
	}
	return v.CasesURL(division, status)
}

// ClustersLink drills the clusters figure down to the day's cluster list
// (cases, settings, exposures) for a viewer who may read it, else to the
// case list. The list is of cases: it needs case.read as well.
func (v view) ClustersLink(division int64) string {
	if v.CanTrace && v.CanCases {
		return "/tracing/clusters?date=" + v.Date.String()
	}
	return v.Link(division, "")
}

// Days shows a count of days, or a dash when there never was a case.
func (v view) Days(n *int) string {
	if n == nil {
		return "—"
	}
	return strconv.Itoa(*n)
}
