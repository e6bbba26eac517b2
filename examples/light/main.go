// Command light mounts every package of faultline's light stack, the one
// that links none of go-redis, go-playground/validator, go-json-experiment
// or xxh3: errdoc, recoverer, an in-memory ratelimit limiter, and
// middleware's Routing, ServeMux, Timeout, Throttle, Maintenance, Auth,
// Produces, Retired and Deprecated. Its test keeps it so (go list -deps),
// and its size is the one the README's cost section gives.
//
//	go run ./examples/light -addr 127.0.0.1:8085 &
//	curl -i localhost:8085/v1/items          # 200
//	curl -i localhost:8085/v1/nope           # 404 document
//	curl -i localhost:8085/v1/private        # 401 with WWW-Authenticate
//	curl -i localhost:8085/std/items         # 200, through http.ServeMux
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/faultline-go/faultline/recoverer"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8085", "listen address")
	flag.Parse()
	// Listen before saying so: a port in use is an error, not a log line
	// that claims otherwise.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		slog.Error("listen", "err", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: newRouter(), ReadHeaderTimeout: 5 * time.Second}
	slog.Info("listening", "addr", "http://"+ln.Addr().String())
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// newRouter is the light stack on one chi router, with a plain
// http.ServeMux under /std/.
func newRouter() http.Handler {
	rd := errdoc.NewRenderer(errdoc.Options{})
	r := chi.NewRouter()
	r.Use(rd.Handler)
	r.Use(recoverer.New())
	r.Use(middleware.Timeout(5 * time.Second))
	middleware.Routing(r)

	maintenance := middleware.NewMaintenance(middleware.MaintenanceOptions{RetryAfter: time.Minute})
	sunset := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r.Route("/v1", func(r chi.Router) {
		r.Use(middleware.Produces("application/json"))
		r.Use(middleware.Throttle(100))
		r.Use(ratelimit.New(100, time.Minute))
		r.Use(maintenance.Handler)
		r.Get("/items", items)
		r.With(middleware.Auth(middleware.AuthOptions{Realm: "light", Authenticate: noCredentials})).Get("/private", items)
		r.With(middleware.Retired(middleware.Lifecycle{Sunset: sunset, Successor: "/v2/items"})).Get("/legacy", items)
		r.With(middleware.Deprecated(middleware.Lifecycle{Deprecated: sunset, Sunset: sunset.AddDate(10, 0, 0), Successor: "/v2/items"})).Get("/old", items)
	})

	mux := http.NewServeMux()
	mux.HandleFunc("GET /std/items", items)
	r.Mount("/std", middleware.ServeMux(mux))
	return r
}

func items(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintln(w, `[{"id":"1","name":"bolt"}]`)
}

// noCredentials authenticates nobody: every request is a 401.
func noCredentials(r *http.Request) (*http.Request, error) {
	return nil, middleware.ErrNoCredentials
}
