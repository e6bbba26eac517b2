package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
)

// TestTimeoutRouteLayout pins ownRoute to the chi version in go.mod: the
// unexported fields it copies are found, and its copy is a deep one,
// equal to chi's own Clone and sharing no memory with the router's
// context, which chi resets and refills for the next request.
func TestTimeoutRouteLayout(t *testing.T) {
	require.True(t, chiLayout.known, "chi.Context's layout changed: ownRoute falls back to Clone; review timeout_route.go")

	var own *ownRoute
	var clone *chi.Context
	sub := chi.NewRouter()
	sub.Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		rc := chi.RouteContext(r.Context())
		own = new(ownRoute)
		own.take(rc)
		clone = rc.Clone()
	})
	root := chi.NewRouter()
	root.Mount("/api/{tenant}", sub)
	root.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/t1/items/1", nil))
	first, firstClone := own.own, clone
	require.NotNil(t, first)
	assert.Equal(t, firstClone, first, "ownRoute's copy is what chi's Clone makes")
	// The router's context, now back in chi's pool, is reset and routes the
	// next request, writing other values into the same arrays: what chi
	// does when it draws it again (done here by hand, since sync.Pool may
	// drop it under the race detector).
	pooled := own.pooled
	pooled.Reset()
	pooled.Routes = root
	require.NotEmpty(t, root.Find(pooled, http.MethodGet, "/api/t2/items/2"))
	require.Equal(t, "2", pooled.URLParam("id"), "the router's context was reused")
	assert.Equal(t, firstClone, first, "the first copy is unchanged by the next request")
	assert.Equal(t, "1", first.URLParam("id"))
	assert.Equal(t, "t1", first.URLParam("tenant"))
	assert.Equal(t, "/api/{tenant}/items/{id}", first.RoutePattern())

	// Nothing but the router's own pointers is shared: every slice of the
	// copy lives elsewhere than the pooled context's.
	cv, pv := reflect.ValueOf(first).Elem(), reflect.ValueOf(pooled).Elem()
	for i := range cv.NumField() {
		f := cv.Field(i)
		switch f.Kind() {
		case reflect.Slice:
			if f.Cap() > 0 && pv.Field(i).Cap() > 0 {
				assert.NotEqual(t, f.Pointer(), pv.Field(i).Pointer(), "field %s", cv.Type().Field(i).Name)
			}
		case reflect.Struct: // RouteParams
			for j := range f.NumField() {
				g, h := f.Field(j), pv.Field(i).Field(j)
				if g.Cap() > 0 && h.Cap() > 0 {
					assert.NotEqual(t, g.Pointer(), h.Pointer(), "field %s.%s", cv.Type().Field(i).Name, f.Type().Field(j).Name)
				}
			}
		}
	}
}

// The fallback, for a chi whose layout ownRoute does not know, is Clone.
func TestTimeoutRouteFallback(t *testing.T) {
	saved := chiLayout
	defer func() { chiLayout = saved }()
	chiLayout.known = false
	src := chi.NewRouteContext()
	src.URLParams.Add("id", "7")
	src.RoutePatterns = append(src.RoutePatterns, "/items/{id}")
	var own ownRoute
	own.take(src)
	assert.NotSame(t, &own.ctx, own.own)
	assert.Equal(t, src.Clone(), own.own)
}

// TestTimeoutRequestLayout pins ownPathValues to the Go releases the
// module supports: http.Request's path-value fields are found, and a
// handler's request made by Timeout writes path values that the request
// it copies never sees, and keeps those it had.
func TestTimeoutRequestLayout(t *testing.T) {
	require.True(t, requestLayout.known, "http.Request's layout changed: Timeout falls back to Request.Clone; review timeout_request.go")
	mux := http.NewServeMux()
	var outer *http.Request
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		r.SetPathValue("tenant", "t1") // otherValues
		outer = r
	})
	mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/items/7", nil))
	require.NotNil(t, outer)

	own := *outer
	require.True(t, ownPathValues(&own))
	own.SetPathValue("id", "8")        // matches
	own.SetPathValue("tenant", "t2")   // otherValues
	own.SetPathValue("extra", "value") // otherValues, new
	assert.Equal(t, "7", outer.PathValue("id"))
	assert.Equal(t, "t1", outer.PathValue("tenant"))
	assert.Empty(t, outer.PathValue("extra"))
	assert.Equal(t, "8", own.PathValue("id"))
	assert.Equal(t, "t2", own.PathValue("tenant"))

	// Without path values there is nothing to copy, and no allocation.
	bare := httptest.NewRequest(http.MethodGet, "/", nil)
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		cp := *bare
		ownPathValues(&cp)
	}))
}

// Each writer kind carries the handler's copy of the route context in its
// own allocation (allocTimeoutWriter, one instance per kind): a handler
// that outlives its deadline reads its own URL parameter and pattern after
// the router's context was reset and refilled for the next request, as
// chi does when it draws that context from its pool again. Deterministic:
// the late handler reads only once the next request's routing is written.
// Were the copy skipped, it would read the router's context: "2" and
// /users/{id}.
func TestTimeoutLateHandlerOwnsItsRouteInEveryWriterKind(t *testing.T) {
	root := chi.NewRouter()
	root.Get("/items/{id}", func(http.ResponseWriter, *http.Request) {})
	root.Get("/users/{id}", func(http.ResponseWriter, *http.Request) {})
	type plain struct{ http.ResponseWriter }
	type flusher struct {
		http.ResponseWriter
		http.Flusher
	}
	type hijacker struct {
		http.ResponseWriter
		http.Hijacker
	}
	type both struct {
		http.ResponseWriter
		http.Flusher
		http.Hijacker
	}
	kinds := []struct {
		name             string
		w                func(*httptest.ResponseRecorder) http.ResponseWriter
		flusher, hijacks bool
	}{
		{"plain", func(r *httptest.ResponseRecorder) http.ResponseWriter { return plain{r} }, false, false},
		{"flusher", func(r *httptest.ResponseRecorder) http.ResponseWriter { return flusher{r, r} }, true, false},
		{"hijacker", func(r *httptest.ResponseRecorder) http.ResponseWriter { return hijacker{r, nil} }, false, true},
		{"flusher and hijacker", func(r *httptest.ResponseRecorder) http.ResponseWriter { return both{r, r, nil} }, true, true},
	}
	type seen struct {
		id, pattern      string
		pooled           bool
		flusher, hijacks bool
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			pooled := chi.NewRouteContext()
			pooled.Routes = root
			require.NotEmpty(t, root.Find(pooled, http.MethodGet, "/items/1"))
			req := httptest.NewRequest(http.MethodGet, "/items/1", nil)
			req = req.WithContext(context.WithValue(req.Context(), chi.RouteCtxKey, pooled))
			read, got := make(chan struct{}), make(chan seen, 1)
			quiet := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.DiscardHandler)})
			h := quiet.Handler(Timeout(5 * time.Millisecond)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
				<-read
				_, f := w.(http.Flusher)
				_, hj := w.(http.Hijacker)
				rc := chi.RouteContext(r.Context())
				got <- seen{chi.URLParam(r, "id"), rc.RoutePattern(), rc == pooled, f, hj}
			})))
			rec := httptest.NewRecorder()
			h.ServeHTTP(k.w(rec), req)
			require.Equal(t, http.StatusGatewayTimeout, rec.Code)

			pooled.Reset()
			pooled.Routes = root
			require.NotEmpty(t, root.Find(pooled, http.MethodGet, "/users/2"))
			require.Equal(t, "2", pooled.URLParam("id"), "the router's context was reused")
			close(read)
			assert.Equal(t, seen{"1", "/items/{id}", false, k.flusher, k.hijacks}, <-got)
		})
	}
}

// The writer, with the handler's context and request, takes the 512-byte
// size class, and with a copy of chi's route context the 896-byte one; a
// few bytes more take the next class (640 and 1024 bytes: an object over
// 512 bytes that holds pointers carries an 8-byte header), which the
// benchmarks would show as B/op and GC time. Measured as the allocator
// counts it: the fewest bytes per writer of three tries, since a goroutine
// left over from another test may allocate meanwhile.
func TestTimeoutWriterSize(t *testing.T) {
	const n = 10000
	rec := httptest.NewRecorder()
	for _, tc := range []struct {
		routed bool
		want   uint64
	}{{false, 512}, {true, 896}} {
		least := uint64(1 << 62)
		for range 3 {
			keep := make([]*timeoutWriter, n)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for i := range keep {
				keep[i], _ = newTimeoutWriter(rec, tc.routed)
			}
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(keep)
			least = min(least, (after.TotalAlloc-before.TotalAlloc)/n)
		}
		assert.Equal(t, tc.want, least, "bytes per writer, routed %v", tc.routed)
	}
}
