package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
)

// BenchmarkRouting measures what Routing costs beside chi alone: a matched
// GET (Routing's HEAD middleware on the hot path), a HEAD on a GET route
// (anchor: chi's middleware.GetHead), and a 405 (anchor: chi's default
// plain-text 405; ours renders an error document). Both routers mount
// errdoc's Handler, so the difference is Routing's.
func BenchmarkRouting(b *testing.B) {
	build := func(ours bool) http.Handler {
		r := chi.NewRouter()
		r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
		if ours {
			middleware.Routing(r)
		} else {
			r.Use(chimw.GetHead)
		}
		r.Route("/v1", func(r chi.Router) {
			r.Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
			r.Post("/items", func(w http.ResponseWriter, r *http.Request) {})
		})
		return r
	}
	for _, tc := range []struct{ name, method, path string }{
		{"get", http.MethodGet, "/v1/items/7"},
		{"head", http.MethodHead, "/v1/items/7"},
		{"405", http.MethodPost, "/v1/items/7"},
	} {
		for _, impl := range []string{"ours", "chi"} {
			h := build(impl == "ours")
			req := httptest.NewRequest(tc.method, tc.path, nil)
			req.Header.Set("X-Request-ID", "bench")
			b.Run(tc.name+"/"+impl, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					h.ServeHTTP(httptest.NewRecorder(), req)
				}
			})
		}
	}
}
