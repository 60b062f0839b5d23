package enterprise

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

// queueData is the review queue: filings awaiting the township and the county.
type queueData struct {
	Date        storage.Date
	Township    []QueueItem
	County      []QueueItem
	Limit       int
	Mode        Mode
	CanSettings bool
	Modes       []option
	Lang        string
}

func (h *handlers) queue(w http.ResponseWriter, r *http.Request) error {
	return h.queuePage(w, r, http.StatusOK, nil)
}

func (h *handlers) queuePage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	ctx, p := r.Context(), auth.From(r.Context())
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	items, err := h.store.Queue(ctx, p, "", d)
	if err != nil {
		return err
	}
	q := queueData{Date: d, Limit: h.store.AnswerDays(ctx), Mode: h.store.Mode(ctx), CanSettings: p.Can(auth.PermSettings),
		Township: []QueueItem{}, County: []QueueItem{}, Lang: string(web.RequestLang(r)),
		Modes: []option{{Value: string(ModeApproval), Label: "enterprise.mode.approval"}, {Value: string(ModeCommitment), Label: "enterprise.mode.commitment"}}}
	for _, it := range items {
		if it.Status == FStatusFiled {
			q.Township = append(q.Township, it)
		} else {
			q.County = append(q.County, it)
		}
	}
	if f == nil {
		cal := h.store.Calendar(ctx)
		f = web.NewForm(url.Values{"mode": {string(q.Mode)}, "answer_days": {strconv.Itoa(q.Limit)},
			"holidays": {joinDays(cal.Holidays, ", ")}, "workdays": {joinDays(cal.Workdays, ", ")}})
	}
	return h.env.Render.PageForm(w, r, status, "enterprise_queue", web.T(r, "enterprise.queue_title"), q, f)
}

func (h *handlers) saveSettings(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	days, cerr := strconv.Atoi(f.Get("answer_days"))
	if cerr != nil {
		days = -1
	}
	in := SettingsInput{Mode: f.Get("mode"), AnswerDays: days}
	err = formDays(f, "holidays", &in.Holidays)
	if werr := formDays(f, "workdays", &in.Workdays); err == nil {
		err = werr
	}
	if err == nil {
		err = h.store.SaveSettings(r.Context(), auth.From(r.Context()), in)
	}
	if err != nil {
		e := errs.As(err)
		for i := range e.Fields {
			if e.Fields[i].Field == "filing_mode" {
				e.Fields[i].Field = "mode"
			} else if e.Fields[i].Field == "answer_working_days" {
				e.Fields[i].Field = "answer_days"
			}
		}
		if !f.SetError(e) {
			return err
		}
		return h.queuePage(w, r, web.Status(e.Code), f)
	}
	web.Redirect(w, r, "/enterprises/queue", "enterprise.settings_saved")
	return nil
}

// formDays reads a calendar list typed in the settings form; a bad date is
// an error on that field naming it.
func formDays(f *web.Form, field string, dst *[]storage.Date) error {
	days, err := ParseDays(f.Get(field))
	if err != nil {
		e := errs.As(err)
		e.Fields[0].Field = field
		return e
	}
	*dst = days
	return nil
}

// reportData is the daily report form with the latest reports.
type reportData struct {
	Enterprise Enterprise
	Reports    []Report
	Max        int64 // employees: on-site may not exceed it plus those returned
}

func (h *handlers) reportPage(w http.ResponseWriter, r *http.Request, status int, e Enterprise, f *web.Form) error {
	reports, err := h.store.Reports(r.Context(), auth.From(r.Context()), e.ID, h.env.Today(), 14)
	if err != nil {
		return err
	}
	d := reportData{Enterprise: e, Reports: reports, Max: e.Employees}
	return h.env.Render.PageForm(w, r, status, "enterprise_report", web.T(r, "enterprise.report_title", e.Name), d, f)
}

func (h *handlers) reportForm(w http.ResponseWriter, r *http.Request) error {
	e, err := h.fileable(r)
	if err != nil {
		return err
	}
	v := url.Values{"day": {h.env.Today().String()}}
	if day := r.URL.Query().Get("day"); day != "" {
		v.Set("day", day)
	}
	return h.reportPage(w, r, http.StatusOK, e, web.NewForm(v))
}

func (h *handlers) saveReport(w http.ResponseWriter, r *http.Request) error {
	e, err := h.fileable(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, _, err := h.store.SaveReport(r.Context(), auth.From(r.Context()), e.ID, reportInputOf(f)); err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.reportPage(w, r, web.Status(errs.CodeOf(err)), e, f)
	}
	web.Redirect(w, r, "/enterprises/"+itoa(e.ID)+"/reports/new", "enterprise.report_saved")
	return nil
}

func reportInputOf(f *web.Form) ReportInput {
	in := ReportInput{Day: f.Get("day"), Note: f.Get("note")}
	for _, c := range []struct {
		field string
		dst   *int64
	}{{"on_site", &in.OnSite}, {"returned_today", &in.ReturnedToday}, {"from_outside", &in.FromOutside},
		{"under_observation", &in.UnderObservation}, {"fever_cases", &in.FeverCases}, {"capacity_pct", &in.CapacityPct}} {
		formInt(&in.bad, c.field, f.Get(c.field), c.dst)
	}
	return in
}

// statsData is the statistics page.
type statsData struct {
	Stats
	Trend  []TrendPoint
	Chart  chart
	Alerts Alerts
	Lede   string
	Today  storage.Date
	Lang   string
}

// trendDays is how many days the stats page's chart shows.
const trendDays = 21

func (h *handlers) stats(w http.ResponseWriter, r *http.Request) error {
	ctx, p, lang := r.Context(), auth.From(r.Context()), web.RequestLang(r)
	d, err := h.env.AsOf(r)
	if err != nil {
		f := web.NewForm(r.URL.Query())
		if !f.SetError(err) {
			return err
		}
		return h.env.Render.PageForm(w, r, web.Status(errs.CodeOf(err)), "enterprise_stats", web.T(r, "enterprise.stats_title"),
			statsData{Today: h.env.Today(), Lang: string(lang)}, f)
	}
	st, err := h.store.Stats(ctx, p, d)
	if err != nil {
		return err
	}
	trend, err := h.store.Trend(ctx, p, d.AddDays(-(trendDays - 1)), d)
	if err != nil {
		return err
	}
	alerts, err := h.store.Alerts(ctx, p, d)
	if err != nil {
		return err
	}
	v := statsData{Stats: st, Trend: trend, Chart: layoutChart(trend), Alerts: alerts, Today: h.env.Today(),
		Lang: string(lang)}
	v.Lede = i18n.T(lang, "enterprise.stats.lede", monthDay(lang, d), st.AboveSize.Resumed, st.AboveSize.Pct)
	return h.env.Render.PageForm(w, r, http.StatusOK, "enterprise_stats", web.T(r, "enterprise.stats_title"), v,
		web.NewForm(url.Values{"date": {d.String()}}))
}

// monthDay writes a day as the bulletin does: 2月22日, or 22 February.
func monthDay(lang i18n.Lang, d storage.Date) string {
	if lang == i18n.EN {
		return d.Format("2 January 2006")
	}
	return fmt.Sprintf("%d月%d日", int(d.Month()), d.Day())
}

// chart is the trend as SVG bars, laid out on the server (no script, no inline style).
type chart struct {
	W, H  int
	Bars  []bar
	First string
	Last  string
}

type bar struct {
	X, Y, W, H int
	Label      string
}

func layoutChart(points []TrendPoint) chart {
	c := chart{W: 420, H: 120}
	if len(points) == 0 {
		return c
	}
	step := c.W / len(points)
	for i, pt := range points {
		h := pt.Pct * (c.H - 16) / 100
		c.Bars = append(c.Bars, bar{X: i*step + 1, Y: c.H - h, W: step - 2, H: h,
			Label: fmt.Sprintf("%s %d/%d %d%%", pt.Date.String(), pt.Resumed, pt.Total, pt.Pct)})
	}
	c.First, c.Last = points[0].Date.String(), points[len(points)-1].Date.String()
	return c
}
