package checkpoint

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"fangkong/internal/platform/storage"
)

// A resident pass token is what its QR code holds:
//
//	FK1.<base64url(payload JSON)>.<base64url(Ed25519 signature)>
//
// The signature covers "FK1." and the encoded payload, as in JWS, so a phone
// can check it with the county's public key alone, offline. The payload names
// the person only masked (the code is shown at every gate), the village, the
// validity and the serial that revocation lists name.
const tokenPrefix = "FK1."

// maxTokenLen bounds what the parser reads: a real token is ~300 characters.
const maxTokenLen = 1024

// Token is the signed content of a resident pass.
type Token struct {
	Serial   int64  `json:"s"`
	Division int64  `json:"d"`
	Village  string `json:"v"`
	Name     string `json:"n"` // masked
	IDNumber string `json:"i"` // masked
	From     string `json:"f"` // YYYY-MM-DD, first valid day
	To       string `json:"t"` // YYYY-MM-DD, last valid day
}

// Why a pass is refused. Each is also the i18n key suffix checkpoint.pass.<reason>.
const (
	ReasonMalformed = "malformed"
	ReasonForged    = "forged"
	ReasonRevoked   = "revoked"
	ReasonExpired   = "expired"
	ReasonNotYet    = "not_yet_valid"
	ReasonUnknown   = "unknown"
)

// PassError is a refused pass, with the reason.
type PassError struct{ Reason string }

func (e *PassError) Error() string { return "pass " + e.Reason }

// SignToken makes the token of t with the county's private key.
func SignToken(key ed25519.PrivateKey, t Token) string {
	payload, _ := json.Marshal(t)
	signed := tokenPrefix + base64.RawURLEncoding.EncodeToString(payload)
	return signed + "." + base64.RawURLEncoding.EncodeToString(ed25519.Sign(key, []byte(signed)))
}

// ParseToken checks a token's form and signature and returns its content.
// A token that is not well formed is ReasonMalformed; a well-formed one whose
// signature does not verify with pub is ReasonForged.
func ParseToken(pub ed25519.PublicKey, s string) (Token, error) {
	var t Token
	s = strings.TrimSpace(s)
	if len(s) > maxTokenLen || !strings.HasPrefix(s, tokenPrefix) {
		return t, &PassError{ReasonMalformed}
	}
	body, sigText, ok := strings.Cut(s[len(tokenPrefix):], ".")
	if !ok {
		return t, &PassError{ReasonMalformed}
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(body)
	sig, err2 := base64.RawURLEncoding.DecodeString(sigText)
	if err1 != nil || err2 != nil || len(sig) != ed25519.SignatureSize {
		return t, &PassError{ReasonMalformed}
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil || dec.More() || !t.wellFormed() {
		return Token{}, &PassError{ReasonMalformed}
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, []byte(s[:len(tokenPrefix)+len(body)]), sig) {
		return Token{}, &PassError{ReasonForged}
	}
	return t, nil
}

func (t Token) wellFormed() bool {
	from, err1 := storage.ParseDate(t.From)
	to, err2 := storage.ParseDate(t.To)
	return t.Serial > 0 && t.Division > 0 && err1 == nil && err2 == nil && !to.Before(from.Time)
}

// ValidOn says why the pass is not valid on day d ("" when it is).
func (t Token) ValidOn(d storage.Date) string {
	from, _ := storage.ParseDate(t.From)
	to, _ := storage.ParseDate(t.To)
	switch {
	case d.Before(from.Time):
		return ReasonNotYet
	case d.After(to.Time):
		return ReasonExpired
	}
	return ""
}

// dayIn is the calendar day of t in zone.
func dayIn(t time.Time, zone *time.Location) storage.Date { return storage.DateOf(t, zone) }
