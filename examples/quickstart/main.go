// Command quickstart is the README's first snippet: an existing chi service,
// with chi's own middleware and a CORS middleware, and faultline added.
//
//	go run ./examples/quickstart -addr 127.0.0.1:8086
//	curl -i localhost:8086/v1/items/1          # 200
//	curl -i localhost:8086/v1/items/999        # 404 document
//	curl -i -X OPTIONS localhost:8086/v1/items/1  # 204, Allow: GET, HEAD, OPTIONS
package main

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/faultline-go/faultline/recoverer"
)

func newRouter() http.Handler {
	rd := errdoc.NewRenderer(errdoc.Options{}) // zero config: JSON:API, problem details on request

	r := chi.NewRouter()
	r.Use(cors.Handler(cors.Options{ // outermost: preflights, and CORS headers on every error
		AllowedOrigins: []string{"https://app.example.com"},
		AllowedMethods: []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"},
		ExposedHeaders: errdoc.ExposedHeaders(), // Retry-After, X-Request-ID... readable by the page
	}))
	r.Use(chimw.RequestID) // chi's own, as before: faultline adopts chi's request ID
	r.Use(rd.Handler)      // request ID, negotiated format, response tracking
	r.Use(chimw.Logger)    // below Handler: it logs the ID every document carries
	r.Use(recoverer.New()) // panics: a 500 document, the panic value only in the log
	middleware.Routing(r)  // 404, 405 with Allow, OPTIONS, 501 and HEAD, before the routes

	r.Route("/v1", func(r chi.Router) {
		r.Use(ratelimit.New(100, time.Minute))     // 429 with Retry-After, per client IP
		r.Use(middleware.Timeout(2 * time.Second)) // 504 at the deadline, even if the handler ignores it
		r.Get("/items/{id}", getItem)
	})
	return r
}

func getItem(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if id != "1" {
		errdoc.Write(w, r, errdoc.New(http.StatusNotFound, "No item has the ID "+id+"."))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"id": id, "name": "bolt"})
}
