package checkpoint_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func TestPages(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, apptest.New(t, db))
		staff := w.srv.As(t, apptest.CheckpointStaff)
		t.Run("capture page is the checkpoint account's, without inline script", func(t *testing.T) {
			page := staff.Get("/checkpoints/1/capture")
			if page.Code != 200 || !strings.Contains(page.Body, `src="/static/checkpoint-capture.js"`) ||
				!strings.Contains(page.Body, `data-public-key="`) {
				t.Fatalf("capture: %d", page.Code)
			}
			if strings.Contains(page.Body, "<script>") || strings.Contains(page.Body, "style=") {
				t.Error("inline script or style")
			}
			if res := staff.Get(fmt.Sprintf("/checkpoints/%d/capture", w.feng.ID)); res.Code != 404 {
				t.Errorf("another checkpoint's capture page: %d", res.Code)
			}
			if res := w.srv.As(t, apptest.AdminFenghuang).Get("/checkpoints/1/capture"); res.Code != 404 {
				t.Errorf("another township's capture page: %d", res.Code)
			}
			if res := w.srv.As(t, apptest.Leader).Get("/checkpoints/1/capture"); res.Code != 403 {
				t.Errorf("a leader's capture page: %d", res.Code)
			}
		})
		t.Run("the plain form records once and keeps what was typed on error", func(t *testing.T) {
			form := url.Values{"client_id": {uuid()}, "direction": {"out"}, "name": {"赵六"}, "id_number": {"130528198001010015"},
				"plate": {"冀E 1234"}, "temperature": {"36.8"}, "decision": {"return"}}
			res := staff.Form("/checkpoints/1/passages", form)
			if res.Code != 422 {
				t.Fatalf("bad form: %d", res.Code)
			}
			for _, want := range []string{`value="赵六"`, `value="130528198001010015"`, `id="e-id_number"`, `id="e-plate"`, `value="out" checked`} {
				if !strings.Contains(res.Body, want) {
					t.Errorf("form lost %s", want)
				}
			}
			form.Set("id_number", validID)
			form.Set("plate", "冀E12345")
			for range 2 { // a double submit stores once
				if res := staff.Form("/checkpoints/1/passages", form); res.Code != 303 {
					t.Fatalf("good form: %d %s", res.Code, res.Body)
				}
			}
			var n int
			db.R.QueryRow(`SELECT COUNT(*) FROM passages WHERE direction = 'out' AND decision = 'return'`).Scan(&n)
			if n != 1 {
				t.Errorf("%d passages", n)
			}
		})
		for _, path := range []string{"/checkpoints", "/checkpoints/1", "/checkpoints/overview?date=2020-02-22",
			"/checkpoints/new", "/checkpoints/1/edit", "/passes", fmt.Sprintf("/passes/sheet?division=%d", w.srv.Fix.DongwangVillage.ID)} {
			for _, lang := range []string{"zh-CN", "en"} {
				w.cmd.Lang = lang
				if res := w.cmd.Get(path); res.Code != 200 || strings.Contains(res.Body, "checkpoint.") {
					t.Errorf("%s (%s): %d or an untranslated key", path, lang, res.Code)
				}
			}
		}
		w.cmd.Lang = ""
		if page := staff.Get("/checkpoints"); !strings.Contains(page.Body, `href="/checkpoints/1/capture"`) || strings.Contains(page.Body, "凤凰村东口") {
			t.Error("checkpoint account's list")
		}
		if res := w.cmd.Get("/checkpoints/overview?date=2020-03-01"); res.Code != 422 {
			t.Errorf("future overview: %d", res.Code)
		}
		if dash := w.cmd.Get("/dashboard?date=2020-02-22"); !strings.Contains(dash.Body, `data-figure="checkpoint_in_out"`) {
			t.Error("the command dashboard lacks the checkpoint panel")
		}
		sw := w.srv.Anon(t).Get("/checkpoints/capture-sw.js")
		if sw.Code != 200 || !strings.Contains(sw.Header.Get("Content-Type"), "javascript") {
			t.Errorf("service worker: %d", sw.Code)
		}
	})
}
