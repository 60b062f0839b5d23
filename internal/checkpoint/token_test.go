package checkpoint

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"testing"

	"fangkong/internal/platform/storage"
)

func testKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func TestTokenRoundTrip(t *testing.T) {
	pub, priv := testKey(t)
	tok := Token{Serial: 7, Division: 3, Village: "东汪村", Name: "李*", IDNumber: "130528********0016", From: "2020-02-01", To: "2020-03-01"}
	s := SignToken(priv, tok)
	got, err := ParseToken(pub, s)
	if err != nil || got != tok {
		t.Fatalf("%+v %v", got, err)
	}
	otherPub, _ := testKey(t)
	if _, err := ParseToken(otherPub, s); reason(err) != ReasonForged {
		t.Errorf("other key: %v", err)
	}
	for day, want := range map[string]string{"2020-01-31": ReasonNotYet, "2020-02-01": "", "2020-03-01": "", "2020-03-02": ReasonExpired} {
		if got := tok.ValidOn(storage.MustDate(day)); got != want {
			t.Errorf("%s: %q, want %q", day, got, want)
		}
	}
}

func reason(err error) string {
	var pe *PassError
	if errors.As(err, &pe) {
		return pe.Reason
	}
	return ""
}

func TestTokenMalformed(t *testing.T) {
	pub, priv := testKey(t)
	good := SignToken(priv, Token{Serial: 1, Division: 1, From: "2020-02-01", To: "2020-02-02"})
	for _, s := range []string{"", "FK1.", "FK1..", "FK2." + good[4:], good + "x", good[:len(good)-2],
		SignToken(priv, Token{Serial: 0, Division: 1, From: "2020-02-01", To: "2020-02-02"}),
		SignToken(priv, Token{Serial: 1, Division: 1, From: "2020-02-03", To: "2020-02-02"}),
		"FK1.eyJzIjoxfQ." + good[len(good)-86:]} {
		if _, err := ParseToken(pub, s); reason(err) != ReasonMalformed && reason(err) != ReasonForged {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// FuzzParseToken: the parser never panics, and accepts only what was signed.
func FuzzParseToken(f *testing.F) {
	pub, priv := testKey(f)
	good := SignToken(priv, Token{Serial: 9, Division: 2, Village: "孙村", From: "2020-02-01", To: "2020-02-29"})
	for _, s := range []string{good, "FK1.", "FK1.e30.AAAA", good[:40], "FK1.\xff\xfe.x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := ParseToken(pub, s)
		if err == nil && SignToken(priv, tok) == "" {
			t.Fatal("unreachable")
		}
		if err == nil && !tok.wellFormed() {
			t.Fatalf("accepted a malformed token %q", s)
		}
		if err != nil && reason(err) == "" {
			t.Fatalf("error without a reason: %v", err)
		}
	})
}
