package stack

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/faultline-go/faultline/recoverer"
	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"
)

// The three paths the measurements take, on both routers.
const (
	// PathOK is an item that exists: 200 with the item as JSON.
	PathOK = "/items/1"
	// PathRecordMissing is an item that does not exist: 404 with
	// record_not_found (a JSON:API document from ours, a hand-written JSON
	// body from the bare router).
	PathRecordMissing = "/items/999"
	// PathUnknownRoute matches no route: 404 (ours: a JSON:API document from
	// middleware.Routing; bare chi: its default text/plain 404).
	PathUnknownRoute = "/nope"
)

// Options configures New. The zero value is the README's configuration.
type Options struct {
	// Limit is how many requests each client IP may make per Window on
	// /items/{id}. Zero means 100, the README's example; measurements set it
	// far above the load they generate so that no request is refused.
	Limit int

	// Window is the rate limit's sliding window. Zero means a minute.
	Window time.Duration
}

// Item is one record served by both routers.
type Item struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
}

// items returns the records both routers serve: items 1, 2 and 3, read-only.
func items() map[string]Item {
	return map[string]Item{
		"1": {ID: "1", Name: "bolt", Quantity: 3},
		"2": {ID: "2", Name: "nut", Quantity: 10},
		"3": {ID: "3", Name: "washer", Quantity: 25},
	}
}

// The catalog entry of the 404 both routers answer for a missing item.
const (
	recordNotFoundCode  = "record_not_found"
	recordNotFoundTitle = "Record not found"
)

// New returns faultline's layers of the README's stack serving GET /items/{id}.
//
// New panics if opts.Limit is negative or opts.Window is under a
// millisecond (but not zero), as ratelimit.New does.
func New(opts Options) http.Handler {
	return build(opts, allLayers)
}

// Bare returns a bare chi router serving the same route: no middleware, the
// 404 of a missing item written by hand with encoding/json in the shape of
// ours, and chi's default 404 for unknown routes. It is what a user compares
// the stack against: doing nothing.
func Bare() http.Handler {
	return build(Options{}, 0)
}

// ChiMiddleware returns the bare router with chi's own answers to the
// stack's concerns, what a team mounts without faultline: chi's
// middleware.RequestID and middleware.Recoverer router-wide and
// httprate.LimitBy keyed by client IP on the item route, with Bare's
// hand-written documents and chi's default 404. Its request IDs stay in the
// context (chi does not echo them); httprate sends X-RateLimit-Limit,
// -Remaining and -Reset.
func ChiMiddleware(opts Options) http.Handler {
	opts = opts.withDefaults()
	return bareWith([]func(http.Handler) http.Handler{chimw.RequestID, chimw.Recoverer},
		httprate.LimitBy(opts.Limit, opts.Window, clientIP))
}

// clientIP is the key httprate's documentation gives for counting by
// client IP, as ratelimit.KeyByIP counts: the address one of chi's
// ClientIPFrom* middlewares resolved, else the TCP peer, IPv6 by its /64.
func clientIP(r *http.Request) (string, error) {
	ip := chimw.GetClientIP(r.Context())
	if ip == "" {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		ip = host
	}
	return httprate.CanonicalizeIP(ip), nil
}

// ChiRequestID returns the bare router with chi's middleware.RequestID
// router-wide and nothing else: chi's way to give every request an ID its
// handlers and logs read from the context (errdoc's Handler does that too,
// measured beside it in BenchmarkHandler).
func ChiRequestID() http.Handler {
	return bareWith([]func(http.Handler) http.Handler{chimw.RequestID})
}

// ContextCopy returns the bare router with one middleware that only adds a
// value to the request's context, the way every middleware carrying
// per-request state in the context does (a request ID, a renderer): one
// context node and one Request.WithContext. It is the least such a stack
// can cost beside Bare.
func ContextCopy() http.Handler {
	return bareWith([]func(http.Handler) http.Handler{func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), contextKey{}, true)))
		})
	}})
}

// bareWith returns Bare's item route with the middlewares use router-wide
// and route on the route.
func bareWith(use []func(http.Handler) http.Handler, route ...func(http.Handler) http.Handler) http.Handler {
	r := chi.NewRouter()
	r.Use(use...)
	r.With(route...).Get("/items/{id}", bareItem(items()))
	return r
}

type contextKey struct{}

// withDefaults fills in the zero fields.
func (o Options) withDefaults() Options {
	if o.Limit == 0 {
		o.Limit = 100
	}
	if o.Window == 0 {
		o.Window = time.Minute
	}
	return o
}

// layer is one piece of the stack; build mounts those asked for, so that
// the benchmarks can price each one (BenchmarkStackLayers).
type layer uint8

const (
	layerHandler     layer = 1 << iota // errdoc's Renderer.Handler: request ID, renderer, tracking
	layerRecoverer                     // recoverer.New()
	layerRouting                       // middleware.Routing: 404 and 405 documents
	layerLimiter                       // ratelimit.New on the item route
	layerHandlerFunc                   // errdoc.HandlerFunc and errdoc.Coded instead of a hand-written 404

	allLayers = layerHandler | layerRecoverer | layerRouting | layerLimiter | layerHandlerFunc
)

// build returns the router with the layers in ls, in the README's order.
func build(opts Options, ls layer) http.Handler {
	opts = opts.withDefaults()
	store := items()
	r := chi.NewRouter()
	if ls&layerHandler != 0 {
		cat := errdoc.DefaultCatalog().MustWith(errdoc.Entry{
			Status: http.StatusNotFound, Code: recordNotFoundCode, Title: recordNotFoundTitle,
			Description: "The record identified in the request does not exist.",
		})
		r.Use(errdoc.NewRenderer(errdoc.Options{Catalog: cat}).Handler)
	}
	if ls&layerRecoverer != 0 {
		r.Use(recoverer.New())
	}
	if ls&layerRouting != 0 {
		middleware.Routing(r)
	}
	route := chi.Router(r)
	if ls&layerLimiter != 0 {
		route = r.With(ratelimit.New(opts.Limit, opts.Window))
	}
	if ls&layerHandlerFunc != 0 {
		route.Method(http.MethodGet, "/items/{id}", errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			id := chi.URLParam(r, "id")
			it, ok := store[id]
			if !ok {
				return errdoc.Coded(recordNotFoundCode, "The record identified by "+id+" could not be found.")
			}
			writeJSON(w, http.StatusOK, it)
			return nil
		}))
		return r
	}
	route.Get("/items/{id}", bareItem(store))
	return r
}

// bareItem is the item route written by hand: the 404 of a missing item
// is an encoding/json document in the shape of ours.
func bareItem(store map[string]Item) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := chi.URLParam(r, "id")
		it, ok := store[id]
		if !ok {
			writeJSON(w, http.StatusNotFound, bareDocument{Errors: []bareError{{
				Status: "404", Code: recordNotFoundCode, Title: recordNotFoundTitle,
				Detail: "The record identified by " + id + " could not be found.",
			}}})
			return
		}
		writeJSON(w, http.StatusOK, it)
	}
}

// bareDocument is the JSON:API error document a team writes by hand.
type bareDocument struct {
	Errors []bareError `json:"errors"`
}

type bareError struct {
	Status string `json:"status"`
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// writeJSON is the success path of both routers, so that they differ only in
// what surrounds it.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
