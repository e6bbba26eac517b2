package middleware_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
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
)

// deepParams are the URL parameters of deepRoute, more than the handler's
// copy of the route context holds inline, across four nested routers.
var deepParams = []string{"p1", "p2", "p3", "p4", "p5", "p6", "id"}

const deepPattern = "/a/{p1}/b/{p2}/c/{p3}/d/{p4}/e/{p5}/{p6}/{id}"

// deepRoute builds a router four levels deep (Mount, Mount, Route, Mount)
// whose endpoint has seven URL parameters, with the Timeout at the depth
// given (0: the root's Use, 2: the third router's Use) and above the
// Timeout a middleware in the root's Use.
func deepRoute(depth int, tmo, above func(http.Handler) http.Handler, h http.HandlerFunc) http.Handler {
	use := func(r chi.Router, d int) {
		if d == depth {
			r.Use(tmo)
		}
	}
	leaf := chi.NewRouter()
	use(leaf, 3)
	leaf.Get("/e/{p5}/{p6}/{id}", h)
	third := chi.NewRouter()
	use(third, 2)
	third.Route("/c/{p3}", func(r chi.Router) { r.Mount("/d/{p4}", leaf) })
	second := chi.NewRouter()
	use(second, 1)
	second.Mount("/b/{p2}", third)
	root := chi.NewRouter()
	root.Use(above)
	use(root, 0)
	root.Mount("/a/{p1}", second)
	return root
}

func deepPath(id string) string {
	return fmt.Sprintf("/a/%[1]s-p1/b/%[1]s-p2/c/%[1]s-p3/d/%[1]s-p4/e/%[1]s-p5/%[1]s-p6/%[1]s", id)
}

// A late handler behind a route whose parameters and patterns spill out of
// the copy's inline arrays (seven parameters, four routers) keeps reading
// its own parameters, path values and pattern while other requests route
// through the router's pooled context; a handler that returns in time
// gives its routing back, so the middleware above reads the full pattern
// and every parameter. Whatever the Timeout's depth. No failure tolerated.
func TestTimeoutReviewLateHandlerKeepsASpilledRoute(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const slow, fast, conc = 12, 60, 6
	for _, depth := range []int{0, 1, 2, 3} {
		for _, proto := range protos {
			t.Run(fmt.Sprintf("depth %d/%s", depth, proto), func(t *testing.T) {
				var ended, wrong, seen atomic.Int64
				var first atomic.Value
				report := func(format string, args ...any) {
					wrong.Add(1)
					first.CompareAndSwap(nil, fmt.Sprintf(format, args...))
				}
				check := func(r *http.Request, id, where string) {
					rc := chi.RouteContext(r.Context())
					for _, p := range deepParams {
						want := id + "-" + p
						if p == "id" {
							want = id
						}
						if got := rc.URLParam(p); got != want {
							report("%s %s: URLParam %s = %q", where, id, p, got)
						}
						if where == "handler" {
							if got := r.PathValue(p); got != want {
								report("%s %s: PathValue %s = %q", where, id, p, got)
							}
						}
					}
					if got := rc.RoutePattern(); got != deepPattern {
						report("%s %s: pattern %q", where, id, got)
					}
				}
				h := func(w http.ResponseWriter, r *http.Request) {
					defer ended.Add(1)
					id := chi.URLParam(r, "id")
					check(r, id, "handler")
					if !strings.HasPrefix(id, "slow") {
						_, _ = io.WriteString(w, id)
						return
					}
					<-r.Context().Done()
					for range 20 {
						check(r, id, "handler")
						_, _ = w.Write([]byte(id))
						time.Sleep(time.Millisecond)
					}
				}
				above := func(next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						next.ServeHTTP(w, r)
						if strings.Contains(r.URL.Path, "/fast") && errdoc.Status(w) == http.StatusOK {
							id := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
							check(r, id, "above")
							seen.Add(1)
						}
					})
				}
				rd := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()})
				srv, c := testsrv.NewServer(t, proto, rd.Handler(deepRoute(depth, middleware.Timeout(20*time.Millisecond), above, h)))
				driveSlowAndFast(c, func(id string) string { return srv.URL + deepPath(id) }, slow, fast, conc, report)
				waitEnded(t, &ended, slow+fast)
				require.Zero(t, wrong.Load(), "first: %v", first.Load())
				assert.Greater(t, seen.Load(), int64(fast/4))
			})
		}
	}
}

// A 405 routed on a late handler's goroutine (a Timeout in the root's Use,
// routing held back past the deadline by a middleware below it) lists the
// methods of its own route, never those of a request routed meanwhile
// with the router's pooled context; the 405s answered in time carry their
// own Allow. Routes with more methods than fit a small array, and a mount
// whose path the root also routes for one method, so that the router's
// context holds a method list before the Timeout copies it.
func TestTimeoutReviewLate405KeepsItsMethods(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	routes := map[string][]string{
		"/r0/{x}": {http.MethodGet},
		"/r1/{x}": {http.MethodGet, http.MethodPut},
		"/r2/{x}": {http.MethodPost, http.MethodDelete, http.MethodPatch},
		"/r3/{x}": {http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions},
	}
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			var ended, wrong atomic.Int64
			var first atomic.Value
			report := func(format string, args ...any) {
				wrong.Add(1)
				first.CompareAndSwap(nil, fmt.Sprintf(format, args...))
			}
			want := map[string]string{} // route prefix -> Allow, from the in-time 405s
			var wantMu sync.Mutex
			hold := func(next http.Handler) http.Handler { // below the Timeout
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					defer ended.Add(1)
					if !strings.Contains(r.URL.Path, "slow") {
						next.ServeHTTP(w, r)
						return
					}
					<-r.Context().Done()
					for range 10 { // route late, while others route
						clear(w.Header())
						next.ServeHTTP(w, r)
						prefix := r.URL.Path[:strings.LastIndexByte(r.URL.Path, '/')]
						got := allowSet(w.Header())
						wantMu.Lock()
						exp, ok := want[prefix]
						wantMu.Unlock()
						if ok && got != exp {
							report("late %s: Allow %q, want %q", r.URL.Path, got, exp)
						}
						time.Sleep(time.Millisecond)
					}
				})
			}
			root := chi.NewRouter()
			root.Use(middleware.Timeout(20*time.Millisecond), hold)
			for p, ms := range routes {
				for _, m := range ms {
					root.Method(m, p, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
				}
			}
			rd := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()})
			srv, c := testsrv.NewServer(t, proto, rd.Handler(root))
			do := func(path string) (*http.Response, error) {
				req, _ := http.NewRequest(http.MethodTrace, srv.URL+path, nil)
				resp, err := c.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				return resp, err
			}
			for p := range routes {
				prefix := strings.TrimSuffix(p, "/{x}")
				// In time on any machine within 100 tries (a 20 ms deadline).
				var resp *http.Response
				for range 100 {
					var err error
					resp, err = do(prefix + "/first")
					if err == nil && resp.StatusCode == http.StatusMethodNotAllowed {
						break
					}
				}
				require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
				wantMu.Lock()
				want[prefix] = allowSet(resp.Header)
				wantMu.Unlock()
			}
			var n atomic.Int64
			var clients sync.WaitGroup
			for ci := range 6 {
				clients.Add(1)
				go func() {
					defer clients.Done()
					for i := range 15 {
						prefix := fmt.Sprintf("/r%d", (ci+i)%len(routes))
						id := fmt.Sprintf("fast%d-%d", ci, i)
						if i%5 == 0 {
							id = fmt.Sprintf("slow%d-%d", ci, i)
						}
						n.Add(1)
						resp, err := do(prefix + "/" + id)
						if err != nil {
							continue
						}
						switch {
						case strings.HasPrefix(id, "slow") && resp.StatusCode != http.StatusGatewayTimeout:
							report("%s answered %d", id, resp.StatusCode)
						case resp.StatusCode == http.StatusMethodNotAllowed:
							wantMu.Lock()
							exp := want[prefix]
							wantMu.Unlock()
							if got := allowSet(resp.Header); got != exp {
								report("%s: Allow %q, want %q", id, got, exp)
							}
						}
					}
				}()
			}
			clients.Wait()
			waitEnded(t, &ended, n.Load()+int64(len(routes)))
			require.Zero(t, wrong.Load(), "first: %v", first.Load())
		})
	}
}

// What a Timeout panics with when its handler panicked in time, as a
// recoverer above it recovers it: a *HandlerPanic with the value and the
// handler goroutine's stack, for a value, an error, and panic(nil) (a
// *runtime.PanicNilError since Go 1.21); http.ErrAbortHandler, bare or
// wrapped, as it is.
func TestTimeoutReviewInTimePanicValues(t *testing.T) {
	wrapped := fmt.Errorf("cut: %w", http.ErrAbortHandler)
	boom := errors.New("boom")
	tests := []struct {
		name  string
		value func() any // what the handler panics with; nil for panic(nil)
		check func(t *testing.T, got any)
	}{
		{"string", func() any { return "v" }, func(t *testing.T, got any) {
			hp := requireHandlerPanic(t, got)
			assert.Equal(t, "v", hp.Value)
		}},
		{"error", func() any { return boom }, func(t *testing.T, got any) {
			hp := requireHandlerPanic(t, got)
			assert.Same(t, boom, hp.Value)
			assert.ErrorIs(t, hp, boom)
		}},
		{"nil", nil, func(t *testing.T, got any) {
			hp := requireHandlerPanic(t, got)
			var pn *runtime.PanicNilError
			require.ErrorAs(t, hp, &pn)
		}},
		{"abort", func() any { return http.ErrAbortHandler }, func(t *testing.T, got any) {
			assert.Equal(t, any(http.ErrAbortHandler), got)
		}},
		{"wrapped abort", func() any { return wrapped }, func(t *testing.T, got any) {
			assert.Equal(t, any(wrapped), got)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := middleware.Timeout(5 * time.Second)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Below", "1")
				if tc.value == nil {
					panic(nil) // the case under test: a *runtime.PanicNilError
				}
				panic(tc.value())
			}))
			rec := httptest.NewRecorder()
			got := func() (p any) {
				defer func() { p = recover() }()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
				return nil
			}()
			require.NotNil(t, got, "the panic reaches the middleware's goroutine")
			tc.check(t, got)
			assert.False(t, rec.Flushed)
			assert.Empty(t, rec.Header().Get("X-Below"), "a panicking handler's headers are not committed")
		})
	}
}

func requireHandlerPanic(t *testing.T, got any) *middleware.HandlerPanic {
	t.Helper()
	hp, ok := got.(*middleware.HandlerPanic)
	require.True(t, ok, "got %T %v", got, got)
	assert.Contains(t, string(hp.Stack), "TestTimeoutReviewInTimePanicValues", "the handler goroutine's stack")
	return hp
}

// A write from a goroutine the handler left behind fails with the
// "returned" error when the handler returned in time, with
// http.ErrHandlerTimeout when it lost the writer at the deadline; both
// fail Flush and ResponseController's deadlines the same way, and the
// writer reports the state of the response (errdoc.Status).
func TestTimeoutReviewWritesAfterTheEnd(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			type after struct {
				werr, ferr, derr error
				status           int
			}
			results := make(chan after, 2)
			stray := func(w http.ResponseWriter) {
				_, werr := w.Write([]byte("stray"))
				ferr := http.NewResponseController(w).Flush()
				derr := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Second))
				results <- after{werr, ferr, derr, errdoc.Status(w)}
			}
			returned := make(chan struct{})
			mux := http.NewServeMux()
			mux.Handle("/ret", middleware.Timeout(time.Minute)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusAccepted)
				go func() { <-returned; stray(w) }()
			})))
			mux.Handle("/late", middleware.Timeout(20*time.Millisecond)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
				time.Sleep(10 * time.Millisecond)
				stray(w)
			})))
			h := mux
			rd := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()})
			srv, c := testsrv.NewServer(t, proto, rd.Handler(h))
			resp, err := c.Get(srv.URL + "/ret")
			require.NoError(t, err)
			body := testsrv.Read(t, resp)
			assert.Equal(t, http.StatusAccepted, body.Resp.StatusCode)
			close(returned)
			got := <-results
			assert.EqualError(t, got.werr, "middleware: write after the handler returned")
			assert.Equal(t, got.werr, got.ferr)
			assert.Equal(t, got.werr, got.derr)
			assert.Equal(t, http.StatusAccepted, got.status)

			resp, err = c.Get(srv.URL + "/late")
			require.NoError(t, err)
			body = testsrv.Read(t, resp)
			assert.Equal(t, http.StatusGatewayTimeout, body.Resp.StatusCode)
			got = <-results
			assert.ErrorIs(t, got.werr, http.ErrHandlerTimeout)
			assert.ErrorIs(t, got.ferr, http.ErrHandlerTimeout)
			assert.ErrorIs(t, got.derr, http.ErrHandlerTimeout)
			assert.Equal(t, http.StatusGatewayTimeout, got.status)
		})
	}
}

// A response with more than a thousand header keys keeps every one, and
// its trailers, declared or set with http.TrailerPrefix after the body,
// reach the client: also when the handler deleted a header after it
// committed, so that its map holds as many keys as when it was copied.
func TestTimeoutReviewManyHeadersAndTrailers(t *testing.T) {
	const keys = 1500
	for _, proto := range protos {
		for _, tc := range []struct {
			name    string
			trailer func(w http.ResponseWriter)
		}{
			{"declared", func(w http.ResponseWriter) { w.Header().Set("X-Sum", "42") }},
			{"prefixed", func(w http.ResponseWriter) { w.Header().Set(http.TrailerPrefix+"X-Sum", "42") }},
			{"prefixed after a delete", func(w http.ResponseWriter) {
				w.Header().Del("X-H0007")
				w.Header().Set(http.TrailerPrefix+"X-Sum", "42")
			}},
		} {
			t.Run(proto+"/"+tc.name, func(t *testing.T) {
				h := middleware.Timeout(5 * time.Second)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Transfer-Encoding", "chunked")
					for i := range keys {
						w.Header().Set(fmt.Sprintf("X-H%04d", i), "v")
					}
					if tc.name == "declared" {
						w.Header().Set("Trailer", "X-Sum")
					}
					_, _ = io.WriteString(w, "body")
					tc.trailer(w)
				}))
				srv, c := testsrv.NewServer(t, proto, h)
				req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
				resp, err := c.Do(req)
				require.NoError(t, err)
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				assert.Equal(t, "body", string(b))
				n := 0
				for k := range resp.Header {
					if strings.HasPrefix(k, "X-H") {
						n++
					}
				}
				assert.Equal(t, keys, n)
				assert.Equal(t, "42", resp.Trailer.Get("X-Sum"), "trailers %v", slices.Collect(mapKeys(resp.Trailer)))
			})
		}
	}
}

// allowSet is the methods of h's Allow, sorted: chi lists them in no fixed
// order.
func allowSet(h http.Header) string {
	ms := slices.Clone(h["Allow"])
	slices.Sort(ms)
	return strings.Join(ms, ",")
}

func mapKeys(h http.Header) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range h {
			if !yield(k) {
				return
			}
		}
	}
}
