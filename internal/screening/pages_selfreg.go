package screening

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// linkView is one village's link as the links page shows it.
type linkView struct {
	Link
	URL string
	QR  template.HTML
}

type linksData struct {
	Links     []linkView
	Divisions []option
}

// links shows each village's self-registration link and QR code, to print
// and post at the village entrance.
func (h *handlers) links(w http.ResponseWriter, r *http.Request) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	ls, err := h.store.Links(r.Context(), auth.From(r.Context()), div)
	if err != nil {
		return err
	}
	base := h.baseURL(r)
	var d linksData
	if d.Divisions, err = h.divisionOptions(r.Context(), auth.From(r.Context()), string(web.RequestLang(r))); err != nil {
		return err
	}
	for _, l := range ls {
		u := base + l.Path()
		qr, err := qrSVG(u)
		if err != nil {
			return errs.Wrap(err, "qr")
		}
		d.Links = append(d.Links, linkView{Link: l, URL: u, QR: qr})
	}
	return h.env.Render.PageForm(w, r, http.StatusOK, "screening_links", web.T(r, "screening.links.title"), d, web.NewForm(r.URL.Query()))
}

// baseURL is the address residents reach the server at: the configured
// base URL, else the one this request came in on.
func (h *handlers) baseURL(r *http.Request) string {
	if h.env.BaseURL != "" {
		return strings.TrimRight(h.env.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// qrSVG draws text as a QR code in SVG, one path of horizontal runs, so it
// prints sharp at any size and needs no image request.
func qrSVG(text string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bm := q.Bitmap()
	n := len(bm)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="sc-qr" role="img" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bm {
		for x := 0; x < n; {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < n && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil // built only from numbers above
}

func (h *handlers) linkRotate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.store.Rotate(r.Context(), auth.From(r.Context()), id); err != nil {
		return err
	}
	web.Redirect(w, r, "/screening/links", "screening.links.rotated")
	return nil
}

type queueData struct {
	Page      Page[Registration]
	Status    string
	Statuses  []option
	Divisions []option
	Kinds     []option
	NextURL   string
}

func (h *handlers) queue(w http.ResponseWriter, r *http.Request) error {
	return h.queuePage(w, r, http.StatusOK, web.NewForm(r.URL.Query()))
}

func (h *handlers) queuePage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	q := r.URL.Query()
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	st := q.Get("status")
	switch st {
	case "", "pending", "accepted", "rejected":
	default:
		return errs.Field("status", "errs.bad_choice")
	}
	p := auth.From(r.Context())
	pg, err := h.store.Queue(r.Context(), p, QueueFilter{DivisionID: div, Status: st, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	divs, err := h.divisionOptions(r.Context(), p, string(web.RequestLang(r)))
	if err != nil {
		return err
	}
	d := queueData{Page: pg, Status: st, Divisions: divs,
		Statuses: []option{{Value: "pending", Label: "screening.queue.pending"}, {Value: "accepted", Label: "screening.queue.accepted"},
			{Value: "rejected", Label: "screening.queue.rejected"}},
		Kinds: append([]option{{Value: "", Label: "screening.observe_none"}}, choices(Kinds, "screening.kind.", false)...)}
	if pg.Next != "" {
		q.Set("cursor", pg.Next)
		d.NextURL = "/screening/queue?" + q.Encode()
	}
	return h.env.Render.PageForm(w, r, status, "screening_queue", web.T(r, "screening.queue.title"), d, f)
}

// queueAccept confirms a self-registration, into a new record or the
// existing one, optionally starting a home or centralized observation
// counted from the arrival.
func (h *handlers) queueAccept(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := AcceptInput{ExistingID: formID(f, "existing_id")}
	if kind := f.Get("observe_kind"); kind != "" && in.ExistingID == 0 {
		in.Observe = &ObservationInput{Kind: kind, Reason: string(ForReturnee), BasisDate: f.Get("arrived_on")}
	}
	c, err := h.store.Accept(r.Context(), auth.From(r.Context()), id, in)
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.queuePage(w, r, web.Status(errs.CodeOf(err)), f)
	}
	web.Redirect(w, r, "/screening/persons/"+itoa(c.Person.ID), "screening.queue.accepted_flash")
	return nil
}

func (h *handlers) queueReject(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if err := h.store.Reject(r.Context(), auth.From(r.Context()), id, f.Get("reason")); err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.queuePage(w, r, web.Status(errs.CodeOf(err)), f)
	}
	web.Redirect(w, r, "/screening/queue", "screening.queue.rejected_flash")
	return nil
}

type selfData struct {
	Village    Division
	Token      string
	Tags       []option
	Transports []option
	Done       bool
}

// selfForm is the resident's registration page behind a village's QR code:
// no account, the village fixed by the signed link.
func (h *handlers) selfForm(w http.ResponseWriter, r *http.Request) error {
	return h.selfPage(w, r, http.StatusOK, web.NewForm(url.Values{}))
}

func (h *handlers) selfPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form) error {
	token := r.PathValue("token")
	v, err := h.store.Resolve(r.Context(), token)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	d := selfData{Village: v, Token: token, Tags: checked(choices(selfTags, "screening.tag.", false), f.Values["tags"]),
		Transports: append([]option{{Value: "", Label: "screening.choose"}}, choices(Transports, "screening.transport.", false)...),
		Done:       r.Method == http.MethodGet && r.URL.Query().Get("done") == "1"}
	title := web.T(r, "screening.self.title", v.Name(string(web.RequestLang(r))))
	view := "screening_self"
	if d.Done {
		view = "screening_self_done"
	}
	return h.env.Render.PageForm(w, r, status, view, title, d, f)
}

func (h *handlers) selfSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := personInputOf(f)
	in.Observe, in.ScreenedOn, in.Notes, in.DivisionID = nil, "", "", 0
	token := r.PathValue("token")
	if _, err := h.store.Submit(r.Context(), token, web.ClientAddr(r), in); err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.selfPage(w, r, web.Status(errs.CodeOf(err)), f)
	}
	http.Redirect(w, r, "/r/"+url.PathEscape(token)+"?done=1", http.StatusSeeOther)
	return nil
}
