package checkpoint_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func issue(t *testing.T, c *apptest.Client, div int64, id, from, to string) checkpoint.Pass {
	t.Helper()
	res := c.JSON("POST", "/api/v1/passes", map[string]any{"division_id": div, "name": "李四", "id_number": id,
		"phone": "13912345678", "valid_from": from, "valid_to": to})
	if res.Code != 201 {
		t.Fatalf("issue: %d %s", res.Code, res.Body)
	}
	var p checkpoint.Pass
	res.Decode(t, &p)
	return p
}

// tamper changes the signed payload of a token and keeps its signature.
func tamper(token string) string {
	parts := strings.Split(strings.TrimPrefix(token, "FK1."), ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[0])
	payload = []byte(strings.Replace(string(payload), `"t":"2020-03-01"`, `"t":"2021-03-01"`, 1))
	return "FK1." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[1]
}

func TestPasses(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, apptest.New(t, db))
		village := w.srv.Fix.DongwangVillage.ID
		good := issue(t, w.cmd, village, validID, "2020-02-01", "2020-03-01")
		if good.Name != "李*" || !strings.HasPrefix(good.Token, "FK1.") {
			t.Fatalf("issued %+v", good)
		}
		toRevoke := issue(t, w.cmd, village, "130528199002020018", "2020-02-01", "2020-03-01")
		expired := issue(t, w.cmd, village, "130528199103030012", "2020-01-01", "2020-02-20")
		staff := w.srv.As(t, apptest.CheckpointStaff)
		verify := func(token string) (bool, string) {
			var out struct {
				Valid  bool
				Reason string
			}
			staff.JSON("POST", "/api/v1/passes/verify", map[string]string{"token": token}).Decode(t, &out)
			return out.Valid, out.Reason
		}
		if ok, why := verify(good.Token); !ok {
			t.Errorf("good pass refused: %s", why)
		}
		t.Run("a scanned pass fills the person", func(t *testing.T) {
			b := passage(w.dongwang.ID)
			b["name"], b["id_number"], b["phone"], b["pass_token"] = "", "", "", good.Token
			res := staff.JSON("POST", "/api/v1/passages", b)
			assertResponse(t, res, 201)
			var p checkpoint.Passage
			res.Decode(t, &p)
			if p.PassSerial != good.ID || p.Name != "李*" || p.IDNumber != "130528********0016" {
				t.Errorf("%+v", p)
			}
		})
		res := w.cmd.JSON("POST", fmt.Sprintf("/api/v1/passes/%d/revoke", toRevoke.ID), map[string]string{"reason": "已外出务工"})
		assertResponse(t, res, 200)
		var revoked struct{ Items []checkpoint.Revocation }
		staff.Get("/api/v1/passes/revoked").Decode(t, &revoked)
		if len(revoked.Items) != 1 || revoked.Items[0].Serial != toRevoke.ID {
			t.Errorf("revocation list %+v", revoked.Items)
		}
		for name, tc := range map[string]struct{ token, reason string }{
			"forged":    {tamper(good.Token), "forged"},
			"malformed": {"hello", "malformed"},
			"revoked":   {toRevoke.Token, "revoked"},
			"expired":   {expired.Token, "expired"},
		} {
			t.Run(name+" pass is refused with the reason", func(t *testing.T) {
				if ok, why := verify(tc.token); ok || why != tc.reason {
					t.Errorf("verify: %v %s", ok, why)
				}
				b := passage(w.dongwang.ID)
				// At the moment of the check: a passage recorded (offline)
				// before the revocation still counts.
				b["pass_token"], b["at"] = tc.token, ""
				res := staff.JSON("POST", "/api/v1/passages", b)
				assertResponse(t, res, 422, "pass_token")
				if !strings.Contains(res.Body, "checkpoint.pass."+tc.reason) {
					t.Errorf("reason not named: %s", res.Body)
				}
			})
		}
		t.Run("the key is shared through the database", func(t *testing.T) {
			var key struct {
				PublicKey string `json:"public_key"`
			}
			staff.Get("/api/v1/passes/key").Decode(t, &key)
			other := checkpoint.NewStore(db, nil, nil, nil) // a second replica on the same database
			pub, err := other.PublicKey(t.Context())
			if err != nil || key.PublicKey != base64.RawURLEncoding.EncodeToString(pub) {
				t.Errorf("keys %q %x %v", key.PublicKey, pub, err)
			}
		})
		t.Run("passes are issued only in the issuer's territory", func(t *testing.T) {
			res := w.srv.As(t, apptest.AdminFenghuang).JSON("POST", "/api/v1/passes", map[string]any{"division_id": village,
				"name": "x", "id_number": validID, "valid_from": "2020-02-01", "valid_to": "2020-02-02"})
			assertResponse(t, res, 422, "division_id")
			assertResponse(t, staff.JSON("POST", "/api/v1/passes", map[string]any{}), 403)
		})
		t.Run("print sheet and QR image", func(t *testing.T) {
			page := w.cmd.Get(fmt.Sprintf("/passes/sheet?division=%d", village))
			if page.Code != 200 || strings.Count(page.Body, "data:image/png;base64,") != 1 {
				t.Errorf("sheet: %d, %d codes (want only the one valid pass)", page.Code, strings.Count(page.Body, "data:image/png"))
			}
			img := w.cmd.Get(fmt.Sprintf("/passes/%d/qr.png", good.ID))
			if img.Code != 200 || img.Header.Get("Content-Type") != "image/png" {
				t.Errorf("qr: %d %s", img.Code, img.Header.Get("Content-Type"))
			}
		})
	})
}
