// Command errdoc mounts errdoc three ways: router-wide, on a route group, and
// around a plain http.Handler without chi.
//
//	go run ./examples/errdoc -addr 127.0.0.1:8081
//	curl -i localhost:8081/items/999                                        # 404 JSON:API
//	curl -i -H 'Accept: application/problem+json' localhost:8081/items/999  # 404 problem details
//	curl -i localhost:8081/1/items/999                                      # 404 Twitter's shape
//	curl -i localhost:8081/std/items/999                                    # 404 from http.ServeMux
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
	"github.com/go-chi/chi/v5"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	flag.Parse()
	h, err := newHandler()
	if err != nil {
		slog.Error("configuration", "err", err)
		os.Exit(1)
	}
	// Listen before saying so: a port in use is an error, not a log line
	// that claims otherwise.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		slog.Error("listen", "err", err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	slog.Info("listening", "addr", "http://"+ln.Addr().String())
	if err := srv.Serve(ln); err != nil {
		slog.Error("server stopped", "err", err)
		os.Exit(1)
	}
}

// newHandler serves the chi router, and under /std/ the plain handler.
func newHandler() (http.Handler, error) {
	// The API's own code, beside the default ones.
	catalog, err := errdoc.DefaultCatalog().With(errdoc.Entry{
		Status: 404, Code: "record_not_found", Title: "Record not found",
		Description: "The record identified in the request does not exist.",
		LegacyCode:  34, // Twitter's v1 code, in the legacy format
	})
	if err != nil {
		return nil, err
	}
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: catalog})

	// Router-wide: request IDs, the format each request negotiates, and
	// committed-response tracking, for every route.
	r := chi.NewRouter()
	r.Use(rd.Handler)
	r.Method("GET", "/items/{id}", errdoc.HandlerFunc(getItem))

	// Per route group: legacy clients keep Twitter's shape whatever they accept.
	r.Route("/1", func(r chi.Router) {
		r.Use(errdoc.NewRenderer(errdoc.Options{Catalog: catalog, Format: errdoc.Twitter, Strict: true}).Handler)
		r.Method("GET", "/items/{id}", errdoc.HandlerFunc(getItem))
	})

	// Around a plain http.Handler, without chi.
	mux := http.NewServeMux()
	mux.Handle("GET /items/{id}", errdoc.HandlerFunc(getItem))
	plain := rd.Handler(mux)

	// One address for both: the chi router, and the plain handler under /std/.
	top := http.NewServeMux()
	top.Handle("/", r)
	top.Handle("/std/", http.StripPrefix("/std", plain))
	return top, nil
}

// getItem returns its failure; errdoc renders it in the request's format.
func getItem(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id") // chi and http.ServeMux both set path values
	if id != "1" {
		return errdoc.Coded("record_not_found", "No item has the ID "+id+".")
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(map[string]string{"id": id, "name": "bolt"})
}
