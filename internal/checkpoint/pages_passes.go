package checkpoint

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"net/url"
	"strconv"

	"github.com/skip2/go-qrcode"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

type passesData struct {
	Passes     []Pass
	Divisions  []option
	Filter     []option
	DivisionID int64
	Issued     *Pass
	IssuedQR   template.URL
}

// passes lists the passes of a village (or the whole scope) with the form to
// issue one.
func (h *handlers) passes(w http.ResponseWriter, r *http.Request) error {
	today := h.env.Today()
	f := web.NewForm(url.Values{"valid_from": {today.String()}, "valid_to": {today.AddDays(30).String()},
		"division_id": {r.URL.Query().Get("division")}})
	return h.passesPage(w, r, http.StatusOK, f, nil)
}

func (h *handlers) passesPage(w http.ResponseWriter, r *http.Request, status int, f *web.Form, issued *Pass) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	list, err := h.store.Passes(r.Context(), p, div)
	if err != nil {
		return err
	}
	divs, err := h.divisionOptions(r.Context(), p, auth.PermPassIssue, string(web.RequestLang(r)))
	if err != nil {
		return err
	}
	f.Values.Set("division", r.URL.Query().Get("division"))
	d := passesData{Passes: list, Divisions: divs, DivisionID: div, Issued: issued,
		Filter: append([]option{{Value: "", Label: "common.all"}}, divs...)}
	if issued != nil {
		d.IssuedQR = qrDataURL(issued.Token, 256)
	}
	return h.env.Render.PageForm(w, r, status, "checkpoint_passes", web.T(r, "checkpoint.passes_title"), d, f)
}

func (h *handlers) issuePass(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	div, _ := strconv.ParseInt(f.Get("division_id"), 10, 64)
	ps, err := h.store.IssuePass(r.Context(), auth.From(r.Context()), PassInput{DivisionID: div, Name: f.Get("name"),
		IDNumber: f.Get("id_number"), Phone: f.Get("phone"), ValidFrom: f.Get("valid_from"), ValidTo: f.Get("valid_to")})
	if err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.passesPage(w, r, web.Status(errs.CodeOf(err)), f, nil)
	}
	masked := ps.Masked()
	return h.passesPage(w, r, http.StatusCreated, web.NewForm(url.Values{"valid_from": {f.Get("valid_from")},
		"valid_to": {f.Get("valid_to")}, "division_id": {f.Get("division_id")}}), &masked)
}

func (h *handlers) revokePass(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	ps, err := h.store.RevokePass(r.Context(), auth.From(r.Context()), id, f.Get("reason"))
	if err != nil {
		return err
	}
	web.Redirect(w, r, "/passes?division="+itoa(ps.DivisionID), "checkpoint.pass_revoked")
	return nil
}

// sheetPass is one pass on the print sheet.
type sheetPass struct {
	Pass
	QR template.URL
}

type sheetData struct {
	Division string
	Passes   []sheetPass
}

// sheet is the printable pass sheet of a village: one card per valid pass,
// with its QR code, cut apart and handed out.
func (h *handlers) sheet(w http.ResponseWriter, r *http.Request) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	if div == 0 {
		return errs.Field("division", "errs.required")
	}
	n, err := h.org.ByID(r.Context(), div)
	if err != nil {
		return err
	}
	list, err := h.store.Passes(r.Context(), auth.From(r.Context()), div)
	if err != nil {
		return err
	}
	d := sheetData{Division: n.Name(string(web.RequestLang(r)))}
	today := h.env.Today()
	for _, ps := range list {
		if ps.RevokedAt == nil && !ps.ValidTo.Before(today.Time) {
			d.Passes = append(d.Passes, sheetPass{Pass: ps, QR: qrDataURL(ps.Token, 200)})
		}
	}
	return h.env.Render.Page(w, r, http.StatusOK, "checkpoint_sheet", web.T(r, "checkpoint.sheet_title", d.Division), d)
}

// passQR is one pass's QR code as a PNG.
func (h *handlers) passQR(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	ps, err := h.store.GetPass(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	img, err := qrPNG(ps.Token, 320)
	if err != nil {
		return errs.Wrap(err, "qr")
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	_, err = w.Write(img)
	return err
}

func qrPNG(text string, size int) ([]byte, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, q.Image(size)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// qrDataURL is a QR code as a data: URL (the CSP allows data: images), so a
// sheet of passes prints from one request.
func qrDataURL(text string, size int) template.URL {
	b, err := qrPNG(text, size)
	if err != nil {
		return ""
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
}
