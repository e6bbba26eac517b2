package middleware_test

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	chicors "github.com/go-chi/cors"
	"github.com/rs/cors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/logbuf"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/faultline-go/faultline/recoverer"
)

const trustedOrigin = "https://app.example.com"

// corsLibraries are the CORS middlewares chi services mount, configured as
// the README shows: the trusted origin, the methods, and the headers
// clients act on exposed.
func corsLibraries() map[string]func(http.Handler) http.Handler {
	methods := []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}
	return map[string]func(http.Handler) http.Handler{
		"rs/cors": cors.New(cors.Options{
			AllowedOrigins: []string{trustedOrigin}, AllowedMethods: methods,
			AllowedHeaders: []string{"Content-Type", "Authorization", "X-Request-ID"},
			ExposedHeaders: errdoc.ExposedHeaders(),
		}).Handler,
		"go-chi/cors": chicors.Handler(chicors.Options{
			AllowedOrigins: []string{trustedOrigin}, AllowedMethods: methods,
			AllowedHeaders: []string{"Content-Type", "Authorization", "X-Request-ID"},
			ExposedHeaders: errdoc.ExposedHeaders(),
		}),
	}
}

// corsRouter is a service with every kind of answer this module writes,
// under corsMW mounted outermost. held is closed to release the request
// /throttled holds.
func corsRouter(corsMW func(http.Handler) http.Handler, logger *slog.Logger, inFlight chan<- struct{}, held <-chan struct{}) http.Handler {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: logger})
	r := chi.NewRouter()
	r.Use(corsMW, rd.Handler, recoverer.WithOptions(recoverer.Options{Logger: logger}))
	middleware.Routing(r)
	ok := func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"ok":true}`)) }
	r.Get("/items/{id}", ok)
	r.Post("/items/{id}", ok)
	r.Delete("/items/{id}", ok)
	r.Get("/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	r.With(middleware.Timeout(20*time.Millisecond)).Get("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	r.With(ratelimit.New(1, time.Hour)).Get("/limited", ok)
	r.With(middleware.Throttle(1)).Get("/throttled", func(w http.ResponseWriter, r *http.Request) {
		inFlight <- struct{}{}
		<-held
	})
	r.With(middleware.Auth(middleware.AuthOptions{Realm: "api", Authenticate: func(r *http.Request) (*http.Request, error) {
		return nil, errors.New("no token")
	}})).Get("/private", ok)
	maint := middleware.NewMaintenance(middleware.MaintenanceOptions{})
	maint.Enable()
	r.With(maint.Handler).Get("/maintenance", ok)
	r.Get("/status/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(chi.URLParam(r, "n"))
		errdoc.Write(w, r, errdoc.New(n, ""))
	})
	return r
}

// corsCall is one request of the matrix and the status it must get.
type corsCall struct {
	method, path string
	status       int
}

// Every response this module writes keeps the CORS middleware's headers,
// whichever library, over HTTP/1.1 and HTTP/2: a browser page can read
// the error, and the headers clients act on.
func TestCORSOnEveryResponse(t *testing.T) {
	calls := []corsCall{
		{"GET", "/items/1", 200},
		{"GET", "/nope", 404},
		{"DELETE", "/nope", 404},
		{"PUT", "/items/1", 405},
		{"GET", "/panic", 500},
		{"GET", "/slow", 504},
		{"GET", "/limited", 200},
		{"GET", "/limited", 429},
		{"GET", "/private", 401},
		{"GET", "/maintenance", 503},
	}
	// And every status of the catalog, 304 included, as errdoc.Write
	// answers it.
	for _, e := range errdoc.DefaultCatalog().Entries() {
		calls = append(calls, corsCall{"GET", "/status/" + strconv.Itoa(e.Status), e.Status})
	}
	for name, corsMW := range corsLibraries() {
		for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
			t.Run(name+"/"+proto, func(t *testing.T) {
				inFlight, held := make(chan struct{}, 1), make(chan struct{})
				srv := testsrv.Start(t, proto, corsRouter(corsMW, quietLogger(), inFlight, held))
				client := srv.Client()
				check := func(c corsCall, resp *http.Response) {
					t.Helper()
					require.Equal(t, c.status, resp.StatusCode, "%s %s", c.method, c.path)
					assert.Equal(t, trustedOrigin, resp.Header.Get("Access-Control-Allow-Origin"), "%s %s", c.method, c.path)
					assert.Contains(t, strings.Join(resp.Header.Values("Vary"), ","), "Origin", "%s %s", c.method, c.path)
					exposed := strings.Join(resp.Header.Values("Access-Control-Expose-Headers"), ",")
					for _, h := range []string{"X-Request-Id", "Retry-After", "Ratelimit", "Www-Authenticate", "Allow"} {
						assert.Contains(t, strings.ToLower(exposed), strings.ToLower(h), "%s %s exposes %s", c.method, c.path, h)
					}
				}
				for _, c := range calls {
					req, err := http.NewRequest(c.method, srv.URL+c.path, nil)
					require.NoError(t, err)
					req.Header.Set("Origin", trustedOrigin)
					resp, err := client.Do(req)
					require.NoError(t, err)
					rep := testsrv.Read(t, resp)
					check(c, resp)
					if c.status >= 400 {
						require.NotEmpty(t, rep.Errors, "%s %s: a document", c.method, c.path)
					}
				}
				// Throttle's 503: one request holds the only slot.
				var wg sync.WaitGroup
				wg.Add(1)
				go func() {
					defer wg.Done()
					if resp, err := client.Get(srv.URL + "/throttled"); err == nil {
						resp.Body.Close()
					}
				}()
				<-inFlight
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/throttled", nil)
				req.Header.Set("Origin", trustedOrigin)
				resp, err := client.Do(req)
				require.NoError(t, err)
				testsrv.Read(t, resp)
				check(corsCall{"GET", "/throttled", 503}, resp)
				close(held)
				wg.Wait()
			})
		}
	}
}

// A preflight reaches the CORS middleware mounted outermost, never
// Routing: it is answered with the CORS headers that allow the request.
// Mounted too deep (in a route group), the CORS middleware never sees the
// preflight; Routing answers it (204 with Allow, no CORS headers, so the
// browser refuses) and logs the hint once.
func TestCORSPreflight(t *testing.T) {
	preflight := func(t *testing.T, h http.Handler) *http.Response {
		srv := testsrv.Start(t, "HTTP/1.1", h)
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/items/1", nil)
		req.Header.Set("Origin", trustedOrigin)
		req.Header.Set("Access-Control-Request-Method", "DELETE")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	for name, corsMW := range corsLibraries() {
		t.Run(name+"/outermost", func(t *testing.T) {
			var logs logbuf.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, nil))
			resp := preflight(t, corsRouter(corsMW, logger, nil, nil))
			assert.Contains(t, []int{200, 204}, resp.StatusCode)
			assert.Equal(t, trustedOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
			assert.Contains(t, resp.Header.Get("Access-Control-Allow-Methods"), "DELETE")
			assert.NotContains(t, logs.String(), "CORS preflight")
		})
		t.Run(name+"/too deep", func(t *testing.T) {
			var logs logbuf.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, nil))
			r := chi.NewRouter()
			r.Use(errdoc.NewRenderer(errdoc.Options{Logger: logger}).Handler)
			middleware.Routing(r)
			r.Group(func(r chi.Router) {
				r.Use(corsMW)
				r.Delete("/items/{id}", func(http.ResponseWriter, *http.Request) {})
			})
			for range 3 {
				resp := preflight(t, r)
				assert.Equal(t, http.StatusNoContent, resp.StatusCode)
				assert.Equal(t, "DELETE, OPTIONS", resp.Header.Get("Allow"))
				assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
			}
			assert.Equal(t, 1, strings.Count(logs.String(), "CORS preflight reached the router"), logs.String())
			assert.Contains(t, logs.String(), "level=WARN")
		})
	}
}

// The ServeMux adapter answers a preflight that reached it as Routing does:
// 204 with Allow, no CORS headers, and one hint in the log.
func TestServeMuxPreflightHint(t *testing.T) {
	var logs logbuf.Buffer
	mux := http.NewServeMux()
	mux.HandleFunc("DELETE /items/{id}", func(http.ResponseWriter, *http.Request) {})
	h := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}).Handler(middleware.ServeMux(mux))
	srv := testsrv.Start(t, "HTTP/1.1", h)
	for range 2 {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/items/1", nil)
		req.Header.Set("Origin", trustedOrigin)
		req.Header.Set("Access-Control-Request-Method", "DELETE")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNoContent, resp.StatusCode)
		assert.Equal(t, "DELETE, OPTIONS", resp.Header.Get("Allow"))
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	assert.Equal(t, 1, strings.Count(logs.String(), "CORS preflight reached the router"), logs.String())
}
