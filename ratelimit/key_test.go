package ratelimit_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Must 2: one IP sending 1,000 made-up API keys gets its IP's budget, not
// 1,000 budgets, and costs the counter one key.
func TestMadeUpAPIKeysAreCountedByIP(t *testing.T) {
	c := ratelimit.NewMemoryCounter(ratelimit.MemoryOptions{})
	lookups := 0
	key := ratelimit.KeyByAPIKey("X-API-Key", func(_ context.Context, v string) (string, bool, error) {
		lookups++
		if v == "issued-secret" {
			return "acct-1", true, nil
		}
		return "", false, nil
	})
	h := limiter(t, ratelimit.Options{Limit: 5, Window: time.Hour, Key: key, Counter: c})(okHandler)
	admitted := 0
	for i := 0; i < 1000; i++ {
		if testsrv.Serve(h, "192.0.2.1:1", "X-API-Key", fmt.Sprintf("made-up-%d", i)).Code == 200 {
			admitted++
		}
	}
	assert.Equal(t, 5, admitted)
	assert.Equal(t, 1000, lookups)
	assert.Equal(t, 1, c.Len(), "made-up keys cost no entries")
	assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1", "X-API-Key", "issued-secret").Code)
	assert.Equal(t, 2, c.Len())

	// A lookup failure is the request's error document, not a free pass.
	failing := ratelimit.KeyByAPIKey("X-API-Key", func(context.Context, string) (string, bool, error) {
		return "", false, errdoc.New(http.StatusServiceUnavailable, "Keys cannot be checked right now.")
	})
	h = limiter(t, ratelimit.Options{Limit: 5, Window: time.Hour, Key: failing})(okHandler)
	assert.Equal(t, 503, testsrv.Serve(h, "192.0.2.1:1", "X-API-Key", "anything").Code)
	assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1").Code, "no key: no lookup, the IP")

	assert.Panics(t, func() {
		ratelimit.KeyByAPIKey("", func(context.Context, string) (string, bool, error) { return "", false, nil })
	})
	assert.Panics(t, func() { ratelimit.KeyByAPIKey("X-API-Key", nil) })
}

// Must 3: a limiter mounted with Use keys by the pattern chi will match.
func TestKeyByRouteUnderUse(t *testing.T) {
	lim := func() func(http.Handler) http.Handler {
		return limiter(t, ratelimit.Options{Limit: 5, Window: time.Minute, Key: ratelimit.Keys(ratelimit.KeyByIP, ratelimit.KeyByRoute)})
	}
	r := chi.NewRouter()
	r.Use(lim())
	r.Get("/items/{id}", okHandler)
	r.Get("/static/*", okHandler)
	r.Route("/api", func(r chi.Router) {
		r.Use(lim()) // a subrouter's Use: before its own routing
		r.Get("/users/{id}", okHandler)
	})
	count := func(format string, n int) (admitted int) {
		for i := 0; i < n; i++ {
			if serveRouter(r, fmt.Sprintf(format, i)).Code == 200 {
				admitted++
			}
		}
		return admitted
	}
	assert.Equal(t, 5, count("/items/%d", 1000), "one budget for /items/{id}, not one per path")
	assert.Equal(t, 5, count("/static/%d.css", 100), "one for /static/*")
	assert.Equal(t, 5, count("/api/users/%d", 100), "one for /api/users/{id} at both levels")
	for i := 0; i < 100; i++ {
		code := serveRouter(r, fmt.Sprintf("/made-up/%d", i)).Code
		if i < 5 {
			assert.Equal(t, 404, code)
		} else {
			assert.Equal(t, 429, code, "unmatched paths share one budget")
		}
	}

	keyOf := func(method, path string, mount func(chi.Router, http.Handler)) string {
		var got string
		probe := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, _ = ratelimit.KeyByRoute(r)
				next.ServeHTTP(w, r)
			})
		}
		r := chi.NewRouter()
		mount(r, okHandler)
		r2 := chi.NewRouter()
		r2.Use(probe)
		r2.Mount("/", r)
		req := httptest.NewRequest(method, path, nil)
		r2.ServeHTTP(httptest.NewRecorder(), req)
		return got
	}
	assert.Equal(t, "route:/v1/items/{id}", keyOf(http.MethodGet, "/v1/items/7", func(r chi.Router, h http.Handler) {
		r.Route("/v1", func(r chi.Router) { r.Method(http.MethodGet, "/items/{id}", h) })
	}))
	assert.Equal(t, "route:(unmatched)", keyOf(http.MethodPost, "/v1/items/7", func(r chi.Router, h http.Handler) {
		r.Route("/v1", func(r chi.Router) { r.Method(http.MethodGet, "/items/{id}", h) })
	}), "a 405 has no pattern")

	// Without chi: http.ServeMux's pattern, else one key.
	req := httptest.NewRequest(http.MethodGet, "/x/1", nil)
	k, _ := ratelimit.KeyByRoute(req)
	assert.Equal(t, "route:(unmatched)", k)
	req.Pattern = "GET /x/{id}"
	k, _ = ratelimit.KeyByRoute(req)
	assert.Equal(t, "route:GET /x/{id}", k)
}

// Must 4: IPv6 prefixes and zones.
func TestIPv6Keys(t *testing.T) {
	keyOf := func(fn ratelimit.KeyFunc, remote string) string {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = remote
		k, err := fn(req)
		require.NoError(t, err)
		return k
	}
	for _, tc := range []struct {
		fn     ratelimit.KeyFunc
		remote string
		want   string
	}{
		{ratelimit.KeyByIP, "192.0.2.1:80", "192.0.2.1"},
		{ratelimit.KeyByIP, "[2001:db8:1:2::1]:80", "2001:db8:1:2::/64"},
		{ratelimit.KeyByIP, "[2001:db8:1:2:ffff::3]:80", "2001:db8:1:2::/64"},
		{ratelimit.KeyByIP, "[::ffff:192.0.2.1]:80", "192.0.2.1"},
		{ratelimit.KeyByIP, "[fe80::1%eth0]:80", "fe80::/64"},
		{ratelimit.KeyByIP, "[fe80::1%25eth1]:80", "fe80::/64"},
		{ratelimit.KeyByIP, "2001:db8::1", "2001:db8::/64"}, // no port
		{ratelimit.KeyByIPPrefix(48), "[2001:db8:1:2::1]:80", "2001:db8:1::/48"},
		{ratelimit.KeyByIPPrefix(48), "[2001:db8:1:ffff::1]:80", "2001:db8:1::/48"},
		{ratelimit.KeyByIPPrefix(56), "[2001:db8:1:2ff::1]:80", "2001:db8:1:200::/56"},
		{ratelimit.KeyByIPPrefix(128), "[2001:db8::1]:80", "2001:db8::1/128"},
		{ratelimit.KeyByIPPrefix(48), "192.0.2.1:80", "192.0.2.1"},
	} {
		assert.Equal(t, tc.want, keyOf(tc.fn, tc.remote), tc.remote)
	}
	// One /48 is one budget with KeyByIPPrefix(48): 65,536 subnets, one limit.
	h := limiter(t, ratelimit.Options{Limit: 3, Window: time.Minute, Key: ratelimit.KeyByIPPrefix(48)})(okHandler)
	admitted := 0
	for i := 0; i < 100; i++ {
		if testsrv.Serve(h, fmt.Sprintf("[2001:db8:1:%x::1]:80", i*655)).Code == 200 {
			admitted++
		}
	}
	assert.Equal(t, 3, admitted)

	// The address chi's ClientIPFrom* resolved is normalised the same way.
	r := chi.NewRouter()
	r.Use(chimw.ClientIPFromXFF("10.0.0.0/8"))
	var got string
	r.Get("/", func(w http.ResponseWriter, r *http.Request) { got, _ = ratelimit.KeyByIPPrefix(48)(r) })
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.RemoteAddr = "10.0.0.1:80"
	req.Header.Set("X-Forwarded-For", "2001:db8:7:8::9")
	r.ServeHTTP(httptest.NewRecorder(), req)
	assert.Equal(t, "2001:db8:7::/48", got)

	assert.Panics(t, func() { ratelimit.KeyByIPPrefix(8) })
	assert.Panics(t, func() { ratelimit.KeyByIPPrefix(129) })
}

// Keys of different kinds and joined parts never collide.
func TestKeysDoNotCollide(t *testing.T) {
	user := ratelimit.KeyByUser(func(r *http.Request) (string, bool) { return r.Header.Get("U"), r.Header.Get("U") != "" })
	req := func(remote, u string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = remote
		if u != "" {
			r.Header.Set("U", u)
		}
		return r
	}
	a, _ := user(req("192.0.2.1:1", "192.0.2.1"))
	b, _ := user(req("192.0.2.1:1", ""))
	assert.NotEqual(t, a, b, "a user named like an IP is not that IP")
	errKey := errors.New("no key")
	_, err := ratelimit.Keys(ratelimit.KeyByIP, func(*http.Request) (string, error) { return "", errKey })(req("192.0.2.1:1", ""))
	assert.ErrorIs(t, err, errKey)
}
