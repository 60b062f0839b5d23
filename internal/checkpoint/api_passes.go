package checkpoint

import (
	"encoding/base64"
	"net/http"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// PassList is the pass list answer.
type PassList struct {
	Items []Pass `json:"items"`
}

// RevocationList is the revocation list answer.
type RevocationList struct {
	Items []Revocation `json:"items"`
	AsOf  time.Time    `json:"as_of"`
}

func (h *handlers) apiPasses(w http.ResponseWriter, r *http.Request) error {
	div, err := queryID(r, "division")
	if err != nil {
		return err
	}
	list, err := h.store.Passes(r.Context(), auth.From(r.Context()), div)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, PassList{Items: list})
}

func (h *handlers) apiIssuePass(w http.ResponseWriter, r *http.Request) error {
	var in PassInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	ps, err := h.store.IssuePass(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, ps.Masked())
}

type revokeRequest struct {
	Reason string `json:"reason"`
}

func (h *handlers) apiRevokePass(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var req revokeRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	ps, err := h.store.RevokePass(r.Context(), auth.From(r.Context()), id, req.Reason)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, ps)
}

// keyResponse is the public key devices verify passes with offline.
type keyResponse struct {
	Algorithm string `json:"alg"`
	PublicKey string `json:"public_key"` // raw 32 bytes, base64url
}

func (h *handlers) apiPassKey(w http.ResponseWriter, r *http.Request) error {
	pub, err := h.store.PublicKey(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, max-age=3600")
	return web.JSON(w, http.StatusOK, keyResponse{Algorithm: "Ed25519", PublicKey: base64.RawURLEncoding.EncodeToString(pub)})
}

func (h *handlers) apiRevoked(w http.ResponseWriter, r *http.Request) error {
	list, err := h.store.Revoked(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return web.JSON(w, http.StatusOK, RevocationList{Items: list, AsOf: h.env.Now().UTC()})
}

type verifyRequest struct {
	Token string `json:"token"`
}

// verifyResponse says whether a scanned pass is good, and why not.
type verifyResponse struct {
	Valid   bool   `json:"valid"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	Pass    *Token `json:"pass,omitempty"`
}

// apiVerify checks a pass for a device that cannot verify it itself; a
// refused pass is a normal answer (200, valid false, the reason), not an error.
func (h *handlers) apiVerify(w http.ResponseWriter, r *http.Request) error {
	var req verifyRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	t, err := h.store.VerifyPass(r.Context(), req.Token)
	if pe, ok := err.(*PassError); ok {
		msg := web.T(r, "checkpoint.pass."+pe.Reason)
		return web.JSON(w, http.StatusOK, verifyResponse{Reason: pe.Reason, Message: msg})
	}
	if err != nil {
		return errs.Wrap(err, "verify pass")
	}
	return web.JSON(w, http.StatusOK, verifyResponse{Valid: true, Pass: &t})
}
