package checkpoint

import (
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// captureData is what the capture page needs, also offline: the public key
// and rules are data attributes the script reads.
type captureData struct {
	Checkpoint Checkpoint
	ClientID   string // for the plain form, so a double submit stores once
	PublicKey  string
	LocalPlate string
	Fever      string
	MaxBatch   int
	Directions []option
	Decisions  []option
}

// writableCheckpoint loads a checkpoint the caller records at: NotFound when
// they cannot see it, Forbidden when they see it but may not record there.
func (h *handlers) writableCheckpoint(r *http.Request, id int64) (Checkpoint, error) {
	p := auth.From(r.Context())
	c, err := h.store.Get(r.Context(), p, id)
	if err != nil {
		return c, err
	}
	if !may(p, auth.PermPassageWrite, c.ID, c.divisionPath) {
		return c, errs.Forbid()
	}
	return c, nil
}

func (h *handlers) capture(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f := web.NewForm(url.Values{"direction": {string(In)}, "decision": {string(LetThrough)}})
	return h.capturePage(w, r, http.StatusOK, id, f)
}

func (h *handlers) capturePage(w http.ResponseWriter, r *http.Request, status int, id int64, f *web.Form) error {
	c, err := h.writableCheckpoint(r, id)
	if err != nil {
		return err
	}
	pub, err := h.store.PublicKey(r.Context())
	if err != nil {
		return err
	}
	rules := h.store.rulesCached(r.Context())
	if f.Get("client_id") == "" {
		f.Values.Set("client_id", newUUID())
	}
	d := captureData{Checkpoint: c, PublicKey: base64.RawURLEncoding.EncodeToString(pub), LocalPlate: rules.LocalPlate,
		Fever: strconv.FormatFloat(rules.Fever, 'f', 1, 64), MaxBatch: MaxBatch,
		Directions: []option{{Value: string(In), Label: "checkpoint.direction.in"}, {Value: string(Out), Label: "checkpoint.direction.out"}}}
	for _, dec := range Decisions {
		d.Decisions = append(d.Decisions, option{Value: string(dec), Label: "checkpoint.decision." + string(dec)})
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.env.Render.PageForm(w, r, status, "checkpoint_capture", c.Name, d, f)
}

// capturePost records a passage from the plain form (no JavaScript).
func (h *handlers) capturePost(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := PassageInput{ClientID: f.Get("client_id"), CheckpointID: id, Direction: f.Get("direction"), Name: f.Get("name"),
		IDNumber: f.Get("id_number"), Phone: f.Get("phone"), PassToken: f.Get("pass_token"), Plate: f.Get("plate"),
		TemperatureText: f.Get("temperature"), From: f.Get("from"), To: f.Get("to"), Purpose: f.Get("purpose"),
		Decision: f.Get("decision")}
	if _, _, err := h.store.Record(authored(r), auth.From(r.Context()), in); err != nil {
		code := errs.CodeOf(err)
		if !f.SetError(err) || code == errs.NotFound || code == errs.Forbidden {
			return err
		}
		return h.capturePage(w, r, web.Status(code), id, f)
	}
	web.Redirect(w, r, "/checkpoints/"+itoa(id)+"/capture", "checkpoint.recorded")
	return nil
}

// newUUID is a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

//go:embed capture-sw.js
var serviceWorkerJS []byte

// serviceWorker serves the capture page's service worker from /checkpoints/,
// so its scope covers the capture pages: they open from the cache when the
// phone has no connection.
func serviceWorker(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(serviceWorkerJS)
}
