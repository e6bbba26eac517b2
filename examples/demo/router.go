package demo

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/etag"
	"github.com/faultline-go/faultline/recoverer"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/cors"
)

// Config configures the demo router. The zero value works.
type Config struct {
	// DocsURL is the absolute address of the response-code page, used for
	// the documents' links. Empty means the relative "/docs/errors".
	DocsURL string
	// Logger receives the stack's logs. Nil means slog.Default().
	Logger *slog.Logger
	// Store holds the items. Nil means NewStore().
	Store *Store
	// CORSOrigins are the browser origins allowed to call the API and read
	// its answers, errors included (row 32). Nil means DefaultCORSOrigin.
	CORSOrigins []string
}

// DefaultCORSOrigin is the demo's trusted front-end origin: a local
// development server's.
const DefaultCORSOrigin = "http://localhost:5173"

// NewRouter returns the demo API of ../DEMO.md's contract.
func NewRouter(cfg Config) http.Handler {
	if cfg.Store == nil {
		cfg.Store = NewStore()
	}
	rd := errdoc.NewRenderer(errdoc.Options{
		Catalog: Catalog(),
		DocsURL: cfg.DocsURL,
		Logger:  cfg.Logger,
	})
	api := &api{store: cfg.Store}
	limits := newLimits()

	// Rows 29-30's group keeps Twitter's v1 shape. Its renderer is chosen
	// here, by path, rather than by the group's own r.Use: chi refuses a
	// method it does not know at this root router, before any group's
	// middleware runs, and that 501 must come in the group's shape too.
	legacy := errdoc.NewRenderer(errdoc.Options{Catalog: Catalog(), Format: errdoc.Twitter, Strict: true, Logger: cfg.Logger})

	origins := cfg.CORSOrigins
	if origins == nil {
		origins = []string{DefaultCORSOrigin}
	}

	r := chi.NewRouter()
	// Row 32: CORS outermost, so that it answers preflights before
	// routing and its headers are on every answer below, errors included;
	// the headers clients act on are exposed to the page's script.
	r.Use(cors.Handler(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"},
		AllowedHeaders: []string{"Accept", "Accept-Language", "Authorization", "Content-Type",
			"If-Match", "If-None-Match", "Traceparent", "X-API-Key", "X-Request-ID"},
		ExposedHeaders: rd.ExposedHeaders(),
		MaxAge:         600,
	}))
	r.Use(byPrefix("/1.1", legacy.Handler, rd.Handler))
	r.Use(accessLog(cfg.Logger))
	r.Use(recoverer.WithOptions(recoverer.Options{Logger: cfg.Logger}))
	middleware.Routing(r)
	r.With(middleware.Produces("application/json")).Get("/healthz", ok)
	// Row 25: the response-code page (HTML, Markdown, or this OpenAPI
	// document as ?format=openapi); row 28: the OpenAPI document.
	oa := OpenAPI(nil)
	r.Method(http.MethodGet, "/docs/errors", rd.DocsHandler(errdoc.DocsOptions{API: "The faultline demo API", OpenAPI: oa}))
	r.With(middleware.Produces("application/json", "application/vnd.oai.openapi+json")).
		Method(http.MethodGet, "/docs/openapi.json", rd.OpenAPIHandler(oa))

	// Rows 29-30: the group that keeps Twitter's v1 shape (its renderer,
	// legacy, is mounted at the root by byPrefix).
	r.Route("/1.1", func(r chi.Router) {
		r.With(middleware.Deprecated(middleware.Lifecycle{
			Deprecated: time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC),
			Sunset:     time.Date(2030, time.January, 1, 0, 0, 0, 0, time.UTC),
			Successor:  "/v1/items", // a Link target is a URI, not a template
		})).Method(http.MethodGet, "/items/{id}.json", errdoc.HandlerFunc(api.getItem))
		limits.mountLegacy(r) // /1.1/search.json
	})
	r.Route("/v1", func(r chi.Router) {
		// The group's middlewares come before its routes (chi's rule).
		// Everything under /v1 is JSON (row 14: 406 otherwise); every GET
		// answering 200 gets a strong ETag computed from its body (up to
		// MaxListBytes, a full list of the longest items), and validators
		// answer If-None-Match / If-Modified-Since with 304 and If-Match /
		// If-Unmodified-Since with 412 (rows 2, 3).
		r.Use(middleware.Produces("application/json"))
		r.Use(middleware.Conditional(), etag.ETag(MaxListBytes))
		api.mountResponses(r) // rows 16-18, 24 (responses.go)
		api.mountRequests(r)  // rows 8-13, 21-23 (requests.go)
		r.Get("/items", api.listItems)
		r.Method(http.MethodGet, "/items/{id}", errdoc.HandlerFunc(api.getItem))
		r.Get("/panic", func(http.ResponseWriter, *http.Request) {
			panic("demo panic: db password hunter2")
		})
		limits.mountV1(r)
		mountWork(r) // /v1/work, behind an adaptive concurrency limiter (work.go)
	})
	return r
}

type api struct{ store *Store }

func ok(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *api) listItems(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.store.List())
}

func (a *api) getItem(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	it, ok := a.store.Get(id)
	if !ok {
		return recordNotFound(id)
	}
	writeJSON(w, http.StatusOK, it)
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// jsonETag is the ETag the /v1 group computes for v sent by writeJSON: the
// bytes json.Encoder writes, and the Content-Type, part of the
// representation and so of its tag.
func jsonETag(v any) string {
	b, _ := json.Marshal(v)
	return etag.StrongETag(http.Header{"Content-Type": {"application/json"}}, append(b, '\n'))
}

// byPrefix returns a middleware that serves requests whose path is prefix
// or below it through under, and the others through other: the renderer of
// a route group chosen before chi routes, on the path chi routes by (the
// escaped path when the URL has one).
func byPrefix(prefix string, under, other func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		in, out := under(next), other(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			path := r.URL.RawPath
			if path == "" {
				path = r.URL.Path
			}
			if path == prefix || (strings.HasPrefix(path, prefix) && path[len(prefix)] == '/') {
				in.ServeHTTP(w, r)
				return
			}
			out.ServeHTTP(w, r)
		})
	}
}
