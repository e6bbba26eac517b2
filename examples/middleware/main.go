// Command middleware mounts the middleware package three ways: router-wide,
// on a route group, and around a plain http.Handler without chi.
//
//	go run ./examples/middleware -addr 127.0.0.1:8082
//	curl -i localhost:8082/nope                                                    # 404
//	curl -i -X POST localhost:8082/items                                           # 405, Allow: GET, HEAD, OPTIONS
//	curl -i -X OPTIONS localhost:8082/items                                        # 204, Allow: GET, HEAD, OPTIONS
//	curl -i -X BREW localhost:8082/items                                           # 501: a method the server does not recognise
//	curl -i -H 'Content-Type: application/json' -d '{"name":""}' localhost:8082/v1/items  # 422 at /name
//	curl -i -H 'Content-Type: text/plain' -d 'nut' localhost:8082/v1/items         # 415
//	curl -i -H 'Accept: application/xml' localhost:8082/v1/report                  # 406
//	curl -i localhost:8082/v1/report                                               # 504 after 100ms
//	curl -i -X DELETE localhost:8082/std/items                                     # 405 from http.ServeMux
package main

import (
	"encoding/json"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/jsonbody"
	"github.com/go-chi/chi/v5"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8082", "listen address")
	flag.Parse()
	// Listen before saying so: a port in use is an error, not a log line
	// that claims otherwise.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		slog.Error("listen", "err", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: newHandler(), ReadHeaderTimeout: 5 * time.Second}
	slog.Info("listening", "addr", "http://"+ln.Addr().String())
	if err := srv.Serve(ln); err != nil {
		slog.Error("server stopped", "err", err)
		os.Exit(1)
	}
}

// newHandler serves the chi router, and under /std/ the plain handler.
func newHandler() http.Handler {
	rd := errdoc.NewRenderer(errdoc.Options{})

	// Router-wide: 404, 405 with Allow, 501, HEAD on GET routes, and a
	// deadline for every request.
	r := chi.NewRouter()
	r.Use(rd.Handler)
	r.Use(middleware.Timeout(5 * time.Second))
	middleware.Routing(r) // after r.Use, before the routes
	r.Get("/items", listItems)

	// Per route group: JSON only, bodies of at most 1 KiB, a shorter deadline
	// for the report.
	r.Route("/v1", func(r chi.Router) {
		r.Use(middleware.Produces("application/json"))
		r.Use(jsonbody.JSONBodies(jsonbody.BindOptions{MaxBytes: 1 << 10}))
		r.Post("/items", createItem)
		r.With(middleware.Timeout(100*time.Millisecond)).Get("/report", report)
	})

	// Around a plain http.Handler: ServeMux's 404 and 405 as documents.
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", listItems)
	plain := rd.Handler(middleware.Timeout(5 * time.Second)(middleware.ServeMux(mux)))

	// One address for both: the chi router, and the plain handler under /std/.
	top := http.NewServeMux()
	top.Handle("/", r)
	top.Handle("/std/", http.StripPrefix("/std", plain))
	return top
}

// Item is what POST /v1/items takes.
type Item struct {
	Name     string `json:"name" validate:"required"`
	Quantity int    `json:"quantity" validate:"gte=0"`
}

func createItem(w http.ResponseWriter, r *http.Request) {
	item, err := jsonbody.Bind[Item](r) // 415, 413, 422 with a JSON pointer per failure
	if err != nil {
		errdoc.Write(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(item)
}

func listItems(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`[{"name":"bolt","quantity":3}]`))
}

// report is a handler that takes too long: it waits until its deadline.
func report(w http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
}
