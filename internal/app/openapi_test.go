package app_test

import (
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage/storagetest"
)

// TestOpenAPIMatchesTheRoutes: the served document lists exactly the API
// routes the router serves, each documented with a summary.
func TestOpenAPIMatchesTheRoutes(t *testing.T) {
	srv := apptest.New(t, storagetest.SQLite(t))
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	srv.Anon(t).Get("/api/v1/openapi.json").Decode(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	served := map[string]bool{}
	for _, r := range srv.App.Router.Routes() {
		if !r.API {
			continue
		}
		key := strings.ToLower(r.Method) + " " + r.Path
		served[key] = true
		op, ok := doc.Paths[r.Path][strings.ToLower(r.Method)]
		if !ok {
			t.Errorf("%s is served but not in openapi.json", key)
			continue
		}
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s has no summary: give its rt.API call a web.Doc", key)
		}
	}
	for path, ops := range doc.Paths {
		if !strings.HasPrefix(path, "/api/v1/") {
			t.Errorf("%s is outside /api/v1", path)
		}
		for method := range ops {
			if !served[method+" "+path] {
				t.Errorf("openapi.json lists %s %s, which no route serves", method, path)
			}
		}
	}
}
