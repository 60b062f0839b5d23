package web

import (
	"embed"
	"net/http"
)

//go:embed static
var staticFiles embed.FS

// Static serves the embedded CSS, JS and images under /static/, cacheable.
func Static() http.Handler {
	fs := http.FileServerFS(staticFiles)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fs.ServeHTTP(w, r)
	})
}
