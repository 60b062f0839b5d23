package surveillance_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/surveillance"
)

// validID is a GB 11643 number with a correct check digit (area 130528).
const validID = "130528198001010016"

func newCase(division int64, status, day string) map[string]any {
	return map[string]any{"division_id": division, "name": "张三", "id_number": "", "phone": "13812345678",
		"address": "东汪村一街5号", "origin": "local", "status": status, "status_date": day}
}

func createCase(t *testing.T, c *apptest.Client, body map[string]any) int64 {
	t.Helper()
	res := c.JSON("POST", "/api/v1/cases", body)
	if res.Code != 201 {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	var out surveillance.Case
	res.Decode(t, &out)
	return out.ID
}

func TestCaseAPI(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		fh := createCase(t, cmd, newCase(srv.Fix.FenghuangVillage.ID, "confirmed", "2020-01-28"))
		dw := createCase(t, cmd, newCase(srv.Fix.DongwangVillage.ID, "confirmed", "2020-02-05"))

		t.Run("list is masked and scoped", func(t *testing.T) {
			var pg surveillance.Page
			srv.As(t, apptest.CadreDongwang).Get("/api/v1/cases").Decode(t, &pg)
			if len(pg.Items) != 1 || pg.Items[0].ID != dw {
				t.Fatalf("cadre-dongwang sees %+v", pg.Items)
			}
			if pg.Items[0].Phone != "138****5678" || pg.Items[0].Name != "张*" {
				t.Errorf("not masked: %+v", pg.Items[0])
			}
		})
		t.Run("out-of-scope id is 404 on API and page", func(t *testing.T) {
			cadre := srv.As(t, apptest.CadreDongwang)
			for _, path := range []string{fmt.Sprintf("/api/v1/cases/%d", fh), fmt.Sprintf("/cases/%d", fh)} {
				if res := cadre.Get(path); res.Code != 404 {
					t.Errorf("%s: %d", path, res.Code)
				}
			}
		})
		t.Run("role without write is 403", func(t *testing.T) {
			res := srv.As(t, apptest.CadreDongwang).JSON("POST", "/api/v1/cases", newCase(srv.Fix.DongwangVillage.ID, "confirmed", "2020-02-05"))
			if res.Code != 403 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%d %s", res.Code, res.Body)
			}
		})
		t.Run("township admin cannot record in another township", func(t *testing.T) {
			res := srv.As(t, apptest.AdminFenghuang).JSON("POST", "/api/v1/cases", newCase(srv.Fix.DongwangVillage.ID, "confirmed", "2020-02-05"))
			apptest.AssertFields(t, res, "division_id")
		})
		t.Run("bad input names each field", func(t *testing.T) {
			body := newCase(srv.Fix.DongwangVillage.ID, "cured", "2020-03-01")
			body["id_number"], body["phone"], body["name"] = "130528198001010015", "1234", ""
			apptest.AssertFields(t, cmd.JSON("POST", "/api/v1/cases", body), "id_number", "phone", "name", "status", "status_date")
		})
		t.Run("unknown fields and wrong types are refused", func(t *testing.T) {
			apptest.AssertFields(t, cmd.JSON("POST", "/api/v1/cases", `{"division_id": "x"}`), "division_id")
			apptest.AssertFields(t, cmd.JSON("POST", "/api/v1/cases", `{"nickname": "x"}`), "nickname")
			apptest.AssertFields(t, cmd.JSON("POST", "/api/v1/cases", `{"name": `), "body")
		})
		t.Run("oversized body is 413", func(t *testing.T) {
			res := cmd.JSON("POST", "/api/v1/cases", `{"notes": "`+strings.Repeat("x", 2<<20)+`"}`)
			if res.Code != 413 {
				t.Errorf("%d", res.Code)
			}
		})
		t.Run("status history", func(t *testing.T) {
			res := cmd.JSON("POST", fmt.Sprintf("/api/v1/cases/%d/events", fh), map[string]string{"kind": "cured", "day": "2020-02-14"})
			if res.Code != 201 {
				t.Fatalf("%d %s", res.Code, res.Body)
			}
			apptest.AssertFields(t, cmd.JSON("POST", fmt.Sprintf("/api/v1/cases/%d/events", fh), map[string]string{"kind": "confirmed", "day": "2020-02-15"}), "kind")
			apptest.AssertFields(t, cmd.JSON("POST", fmt.Sprintf("/api/v1/cases/%d/events", dw), map[string]string{"kind": "cured", "day": "2020-02-01"}), "day")
			var c surveillance.Case
			cmd.Get(fmt.Sprintf("/api/v1/cases/%d", fh)).Decode(t, &c)
			if c.Status != surveillance.Cured || len(c.Events) != 2 {
				t.Errorf("%+v", c)
			}
		})
		t.Run("reveal is audited and needs pii.reveal", func(t *testing.T) {
			if res := srv.As(t, apptest.Leader).JSON("POST", fmt.Sprintf("/api/v1/cases/%d/reveal", dw), nil); res.Code != 403 {
				t.Errorf("leader reveal: %d", res.Code)
			}
			var c surveillance.Case
			res := srv.As(t, apptest.CadreDongwang).JSON("POST", fmt.Sprintf("/api/v1/cases/%d/reveal", dw), nil)
			res.Decode(t, &c)
			if c.Phone != "13812345678" {
				t.Errorf("revealed %+v", c)
			}
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'reveal' AND entity = 'case' AND entity_id = $1 AND actor = $2`,
				fmt.Sprint(dw), apptest.CadreDongwang).Scan(&n)
			if n != 1 {
				t.Errorf("%d reveal entries", n)
			}
		})
		t.Run("every write is audited", func(t *testing.T) {
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity IN ('case', 'case.status') AND action IN ('create', 'update')`).Scan(&n)
			if n != 3 {
				t.Errorf("%d write entries, want 3 (2 creates, 1 status change)", n)
			}
		})
		t.Run("script is stored as text and rendered escaped", func(t *testing.T) {
			body := newCase(srv.Fix.DongwangVillage.ID, "suspected", "2020-02-10")
			body["notes"] = `<script>alert(1)</script>`
			id := createCase(t, cmd, body)
			page := cmd.Get(fmt.Sprintf("/cases/%d", id))
			if strings.Contains(page.Body, "<script>alert") || !strings.Contains(page.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("notes not escaped")
			}
		})
	})
}

func TestCaseFormKeepsInput(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		form := url.Values{"division_id": {fmt.Sprint(srv.Fix.DongwangVillage.ID)}, "name": {"李四"},
			"id_number": {"130528198001010015"}, "phone": {"13912345678"}, "address": {"洨口村"},
			"origin": {"imported"}, "status": {"confirmed"}, "status_date": {"2020-02-05"}}
		res := cmd.Form("/cases", form)
		if res.Code != 422 {
			t.Fatalf("%d", res.Code)
		}
		for _, want := range []string{`value="李四"`, `value="130528198001010015"`, `value="13912345678"`, `aria-invalid="true"`, `id="e-id_number"`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("form lost %s", want)
			}
		}
		form.Set("id_number", validID)
		if res := cmd.Form("/cases", form); res.Code != 303 {
			t.Errorf("valid form: %d", res.Code)
		}
	})
}
