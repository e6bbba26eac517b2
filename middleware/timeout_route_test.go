package middleware_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/recoverer"
)

// routeMount is one way a chi application mounts a Timeout above a route
// with a parameter: build returns the router, prefix is what comes before
// /items/{id} in the URL, pattern the route pattern chi reports.
type routeMount struct {
	name    string
	build   func(tmo func(http.Handler) http.Handler, above func(http.Handler) http.Handler, h http.HandlerFunc) http.Handler
	prefix  string
	pattern string
}

var routeMounts = []routeMount{
	{"Use at the root", func(tmo, above func(http.Handler) http.Handler, h http.HandlerFunc) http.Handler {
		r := chi.NewRouter()
		r.Use(above, tmo) // chi routes on the handler's goroutine
		r.Get("/items/{id}", h)
		return r
	}, "", "/items/{id}"},
	{"With", func(tmo, above func(http.Handler) http.Handler, h http.HandlerFunc) http.Handler {
		r := chi.NewRouter()
		r.Use(above)
		r.With(tmo).Get("/items/{id}", h)
		return r
	}, "", "/items/{id}"},
	{"Route", func(tmo, above func(http.Handler) http.Handler, h http.HandlerFunc) http.Handler {
		r := chi.NewRouter()
		r.Use(above)
		r.Route("/v1", func(r chi.Router) {
			r.Use(tmo)
			r.Get("/items/{id}", h)
		})
		return r
	}, "/v1", "/v1/items/{id}"},
	{"Mount", func(tmo, above func(http.Handler) http.Handler, h http.HandlerFunc) http.Handler {
		sub := chi.NewRouter()
		sub.Use(tmo)
		sub.Get("/items/{id}", h)
		r := chi.NewRouter()
		r.Use(above)
		r.Mount("/api/{tenant}", sub)
		return r
	}, "/api/t", "/api/{tenant}/items/{id}"},
	{"With above Mount", func(tmo, above func(http.Handler) http.Handler, h http.HandlerFunc) http.Handler {
		sub := chi.NewRouter()
		sub.Get("/items/{id}", h)
		r := chi.NewRouter()
		r.Use(above)
		r.With(tmo).Mount("/api", sub) // the sub-router routes on the handler's goroutine
		return r
	}, "/api", "/api/items/{id}"},
	{"Group", func(tmo, above func(http.Handler) http.Handler, h http.HandlerFunc) http.Handler {
		r := chi.NewRouter()
		r.Use(above)
		r.Group(func(r chi.Router) {
			r.Use(tmo)
			r.Get("/items/{id}", h)
		})
		return r
	}, "", "/items/{id}"},
}

// A handler that outlives its Timeout keeps reading its own route: chi's
// route context that the router put back in its pool at the deadline is
// drawn by the requests that follow, and the late handler must never see
// their parameters (before the fix: 20 of 20 tries under Use). Many
// requests are driven through one server while 24 late handlers go on
// reading their parameters and route pattern, and writing, for 30 ms past
// their deadline; every read of every handler, late or not, must be its
// own, and the middleware above the Timeout must read the route pattern of
// each request that finished in time. No count of failures is tolerated:
// what a handler reads does not depend on the schedule, only whether the
// old defect had a chance to show does. -race checks that no goroutine
// touches a context chi reuses.
func TestTimeoutLateHandlerKeepsItsRoute(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const slow, fast, conc = 24, 120, 8
	for _, m := range routeMounts {
		for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
			t.Run(m.name+"/"+proto, func(t *testing.T) {
				var (
					ended      atomic.Int64 // handlers that returned
					wrong      atomic.Int64
					firstWrong atomic.Value
					seen       atomic.Int64 // patterns read above the Timeout
				)
				report := func(format string, args ...any) {
					wrong.Add(1)
					firstWrong.CompareAndSwap(nil, fmt.Sprintf(format, args...))
				}
				check := func(r *http.Request, want string) {
					if got := chi.URLParam(r, "id"); got != want {
						report("id %q read as %q", want, got)
					}
					if got := chi.RouteContext(r.Context()).RoutePattern(); got != m.pattern {
						report("request %q read pattern %q", want, got)
					}
				}
				h := func(w http.ResponseWriter, r *http.Request) {
					// Every handler may outlive its request (a fast one on a
					// loaded machine too, whose goroutine may even start after
					// the 504): the test waits until all of them have ended.
					defer ended.Add(1)
					want := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
					check(r, want)
					if !strings.HasPrefix(want, "slow") {
						_, _ = io.WriteString(w, want)
						return
					}
					<-r.Context().Done()
					for range 30 {
						check(r, want)
						w.Header().Set("X-Late", want)
						_, _ = w.Write([]byte(want))
						time.Sleep(time.Millisecond)
					}
				}
				above := func(next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						next.ServeHTTP(w, r)
						// Only a handler that returned in time gives its
						// routing back; a fast request that met a loaded
						// machine may have got its 504. (w is the renderer's
						// tracked writer, which knows the status.)
						if strings.Contains(r.URL.Path, "/fast") && errdoc.Status(w) == http.StatusOK {
							if got := chi.RouteContext(r.Context()).RoutePattern(); got != m.pattern {
								report("above the Timeout, %s read pattern %q", r.URL.Path, got)
							}
							seen.Add(1)
						}
					})
				}
				rd := errdoc.NewRenderer(errdoc.Options{})
				srv, c := testsrv.NewServer(t, proto, rd.Handler(m.build(middleware.Timeout(20*time.Millisecond), above, h)))

				aborted := driveSlowAndFast(c, func(id string) string { return srv.URL + m.prefix + "/items/" + id }, slow, fast, conc, report)
				waitEnded(t, &ended, slow+fast)
				require.Zero(t, wrong.Load(), "first: %v", firstWrong.Load())
				if aborted > 0 {
					t.Logf("%d responses aborted after their deadline", aborted)
				}
				// A fast request that met a loaded machine may itself time out;
				// the pattern above the Timeout is checked for every one that
				// finished in time, and on any machine most do.
				assert.Greater(t, seen.Load(), int64(fast/4))
			})
		}
	}
}

// What a Timeout's own answers carry: a 504 at the deadline, and the 500
// of a panic that the Timeout carries up to the recoverer, have the
// headers set above the Timeout (a limiter's RateLimit, CORS, the request
// ID) and none set below it, which belong to the handler's response that
// the error replaces. The handler below goes on setting headers on its own
// map after the deadline: -race proves that the 504 never reads that map.
func TestTimeoutAnswersCarryTheHeadersSetAboveIt(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	set := func(value string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("RateLimit", value)
				w.Header().Add("Vary", "Origin-"+value)
				next.ServeHTTP(w, r)
			})
		}
	}
	var ended atomic.Int64
	slow := func(w http.ResponseWriter, r *http.Request) {
		defer ended.Add(1)
		<-r.Context().Done()
		for i := range 50 {
			w.Header().Set("RateLimit", fmt.Sprint("late ", i))
			w.Header().Set("X-Late", "yes")
			time.Sleep(100 * time.Microsecond)
		}
	}
	crash := func(w http.ResponseWriter, r *http.Request) {
		defer ended.Add(1)
		w.Header().Set("X-Handler", "yes")
		panic("boom")
	}
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		t.Run(proto, func(t *testing.T) {
			r := chi.NewRouter()
			r.Use(errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler, recoverer.WithOptions(recoverer.Options{Logger: quietLogger()}), set("outer"), middleware.Timeout(20*time.Millisecond), set("inner"))
			r.Get("/slow", slow)
			r.Get("/crash", crash)
			srv, c := testsrv.NewServer(t, proto, r)
			for _, tc := range []struct {
				path   string
				status int
			}{{"/slow", http.StatusGatewayTimeout}, {"/crash", http.StatusInternalServerError}} {
				resp, err := c.Get(srv.URL + tc.path)
				require.NoError(t, err)
				got := testsrv.Read(t, resp)
				assert.Equal(t, tc.status, got.Resp.StatusCode, tc.path)
				assert.Equal(t, []string{"outer"}, got.Resp.Header.Values("RateLimit"), tc.path)
				assert.Contains(t, got.Resp.Header.Values("Vary"), "Origin-outer", tc.path)
				assert.NotContains(t, got.Resp.Header.Values("Vary"), "Origin-inner", tc.path)
				assert.Empty(t, got.Resp.Header.Get("X-Late"), tc.path)
				assert.Empty(t, got.Resp.Header.Get("X-Handler"), tc.path)
			}
		})
	}
	waitEnded(t, &ended, 4)
}
