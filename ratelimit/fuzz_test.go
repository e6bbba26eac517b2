package ratelimit_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
)

// checkIPKey fails unless k is what KeyByIPPrefix(bits) may return: an
// IPv4 address, an IPv6 prefix of bits, or "peer:" and at most 64 bytes of
// a peer address that is no IP.
func checkIPKey(t *testing.T, k string, bits int) {
	t.Helper()
	if strings.HasPrefix(k, "peer:") {
		if len(k) > len("peer:")+64 {
			t.Fatalf("key of %d bytes", len(k))
		}
		return
	}
	if a, err := netip.ParseAddr(k); err == nil {
		if !a.Is4() {
			t.Fatalf("an IPv6 address %q kept whole", k)
		}
		return
	}
	if p, err := netip.ParsePrefix(k); err == nil {
		if p.Bits() != bits || p.Masked() != p || p.Addr().Zone() != "" || p.Addr().Is4In6() {
			t.Fatalf("prefix %q is not the /%d of its address", k, bits)
		}
		return
	}
	t.Fatalf("key %q is neither an IP, a prefix nor a peer", k)
}

// FuzzKeyByIP: any peer address and any X-Forwarded-For a trusted proxy
// passes on give a bounded, canonical key, the same for every address of
// one client's prefix.
func FuzzKeyByIP(f *testing.F) {
	for _, s := range [][2]string{
		{"192.0.2.1:80", ""}, {"[2001:db8::1]:443", ""}, {"[fe80::1%eth0]:1", ""},
		{"[::ffff:192.0.2.1]:80", ""}, {"10.0.0.1:80", "2001:db8:1:2::9"},
		{"10.0.0.1:80", "198.51.100.7, 10.0.0.2"}, {"pipe", ""}, {"", ""}, {"[::1]", ""},
		{"1.2.3.4:5:6", ""}, {"[1::2%]:3", ""}, {"10.0.0.1:80", "fe80::1%25eth0"},
	} {
		f.Add(s[0], s[1], uint8(64))
	}
	f.Fuzz(func(t *testing.T, remote, xff string, bits uint8) {
		b := 16 + int(bits)%113
		fn := ratelimit.KeyByIPPrefix(b)
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = remote
		k, err := fn(req)
		if err != nil {
			t.Fatal(err)
		}
		checkIPKey(t, k, b)
		if a, err := netip.ParseAddr(k); err == nil && a.Is4() {
			// Idempotent: the key of the key's address is the key.
			req.RemoteAddr = k + ":1"
			if k2, _ := fn(req); k2 != k {
				t.Fatalf("key %q of %q is %q again", k, remote, k2)
			}
		}
		// Through a trusted proxy.
		var got string
		h := chimw.ClientIPFromXFF("10.0.0.0/8")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, _ = fn(r)
		}))
		req = httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = "10.0.0.1:80"
		req.Header.Set("X-Forwarded-For", xff)
		h.ServeHTTP(httptest.NewRecorder(), req)
		checkIPKey(t, got, b)
	})
}

// FuzzKeyByAPIKey: whatever the header holds, the key is the IP's or an
// issued account's, never the value sent.
func FuzzKeyByAPIKey(f *testing.F) {
	for _, s := range []string{"", "issued-secret", "made-up", "key:acct", strings.Repeat("x", 300), "\x00\xff", "issued-secret "} {
		f.Add(s)
	}
	fn := ratelimit.KeyByAPIKey("X-API-Key", func(_ context.Context, v string) (string, bool, error) {
		return "acct-1", v == "issued-secret", nil
	})
	f.Fuzz(func(t *testing.T, v string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = "192.0.2.1:1"
		req.Header["X-Api-Key"] = []string{v}
		k, err := fn(req)
		if err != nil {
			t.Fatal(err)
		}
		want := "192.0.2.1"
		if v == "issued-secret" {
			want = "key:acct-1"
		}
		if k != want {
			t.Fatalf("value %q keyed as %q, want %q", v, k, want)
		}
	})
}

// FuzzKeyByRoute: any method and path, under Use, keys by one of the
// router's patterns or the one unmatched key, never the path.
func FuzzKeyByRoute(f *testing.F) {
	for _, s := range [][2]string{
		{"GET", "/items/1"}, {"GET", "/items/"}, {"POST", "/items/1"}, {"GET", "/api/users/7"},
		{"GET", "/static/a/b.css"}, {"GET", "/%2e%2e/items/1"}, {"BREW", "/"}, {"GET", "//items//1"},
		{"GET", "/api"}, {"GET", "/items/1?x=/api/users/2"},
	} {
		f.Add(s[0], s[1])
	}
	allowed := map[string]bool{
		"route:/items/{id}": true, "route:/static/*": true, "route:/api/users/{id}": true,
		"route:/": true, "route:(unmatched)": true,
		"route:/api": true, "route:/api/": true, // the mount's own patterns
	}
	var got string
	probe := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, _ = ratelimit.KeyByRoute(r)
		})
	}
	r := chi.NewRouter()
	r.Use(probe)
	r.Get("/", okHandler)
	r.Get("/items/{id}", okHandler)
	r.Get("/static/*", okHandler)
	r.Route("/api", func(r chi.Router) { r.Get("/users/{id}", okHandler) })
	f.Fuzz(func(t *testing.T, method, path string) {
		req, err := http.NewRequest(method, "http://h"+path, nil)
		if err != nil || req.URL.Path != path && req.URL.RawPath == "" && !strings.Contains(path, "?") {
			return
		}
		got = ""
		r.ServeHTTP(httptest.NewRecorder(), req)
		if !allowed[got] {
			t.Fatalf("%s %q keyed as %q", method, path, got)
		}
	})
}

// fixedCounter answers every Take with res.
type fixedCounter struct{ res ratelimit.Result }

func (c fixedCounter) Take(context.Context, string, ratelimit.Quota) (ratelimit.Result, error) {
	return c.res, nil
}
func (fixedCounter) Claim(ratelimit.Policy) error { return nil }

var (
	ietfRE   = regexp.MustCompile(`^"([A-Za-z0-9._:/-]+)";r=(\d+);t=(\d+)$`)
	policyRE = regexp.MustCompile(`^"([A-Za-z0-9._:/-]+)";q=(\d+);w=(\d+)$`)
	digits   = regexp.MustCompile(`^[0-9]+$`)
)

// FuzzHeaders: every header the package formats, for any name, limit,
// window and counter state, is well-formed and consistent: RateLimit and
// RateLimit-Policy as structured fields, Retry-After whole seconds of at
// least 1, remaining within the limit, reset in the future.
func FuzzHeaders(f *testing.F) {
	f.Add("default", int64(100), int64(60_000), int64(40), int64(70), int64(30_000), false)
	f.Add("search", int64(5), int64(1), int64(5), int64(5), int64(0), false)
	f.Add("a.b:c/d-e_f", int64(1<<40), int64(3_600_000), int64(0), int64(1<<40), int64(1), true)
	f.Add(`bad"name`, int64(1), int64(1000), int64(0), int64(0), int64(999), true)
	f.Add("", int64(-1), int64(0), int64(-5), int64(-5), int64(-1), false)
	f.Fuzz(func(t *testing.T, name string, limit, windowMS, prev, curr, elapsedMS int64, allowed bool) {
		window := time.Duration(windowMS) * time.Millisecond
		if limit <= 0 || limit > 1<<50 || windowMS < 1 || windowMS > 1<<40 || prev < 0 || curr < 0 || prev > 1<<50 || curr > 1<<50 {
			return
		}
		elapsed := time.Duration(elapsedMS%windowMS) * time.Millisecond
		if elapsed < 0 {
			elapsed = -elapsed
		}
		now := time.Unix(1_800_000_000, 0)
		l, err := ratelimit.NewLimiter(ratelimit.Options{
			Name: name, Limit: int(limit), Window: window, Now: func() time.Time { return now },
			EnableHeaders: ratelimit.XRateLimitHeaders,
			Counter:       fixedCounter{ratelimit.Result{Allowed: allowed, Previous: prev, Current: curr, Elapsed: elapsed}},
		})
		if err != nil {
			return // a name NewLimiter refuses
		}
		rec := httptest.NewRecorder()
		l.Handler(okHandler).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		h := rec.Header()
		m := ietfRE.FindStringSubmatch(h.Get("RateLimit"))
		p := policyRE.FindStringSubmatch(h.Get("RateLimit-Policy"))
		if m == nil || p == nil {
			t.Fatalf("RateLimit %q, RateLimit-Policy %q", h.Get("RateLimit"), h.Get("RateLimit-Policy"))
		}
		if m[1] != p[1] || (name != "" && m[1] != name) {
			t.Fatalf("names %q and %q for %q", m[1], p[1], name)
		}
		if p[2] != strconv.FormatInt(limit, 10) || h.Get("X-RateLimit-Limit") != p[2] {
			t.Fatalf("limit %q, %q for %d", p[2], h.Get("X-RateLimit-Limit"), limit)
		}
		r, _ := strconv.ParseInt(m[2], 10, 64)
		if r > limit || h.Get("X-RateLimit-Remaining") != m[2] {
			t.Fatalf("remaining %q, %q for limit %d", m[2], h.Get("X-RateLimit-Remaining"), limit)
		}
		secs, _ := strconv.ParseInt(m[3], 10, 64)
		if secs < 1 {
			t.Fatalf("t=%d", secs)
		}
		reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
		if err != nil || reset != now.Unix()+secs {
			t.Fatalf("reset %q, t=%d", h.Get("X-RateLimit-Reset"), secs)
		}
		if allowed {
			if h.Get("Retry-After") != "" || rec.Code != 200 {
				t.Fatalf("allowed: %d, Retry-After %q", rec.Code, h.Get("Retry-After"))
			}
			return
		}
		if rec.Code != 429 || !digits.MatchString(h.Get("Retry-After")) || h.Get("Retry-After") != m[3] {
			t.Fatalf("refused: %d, Retry-After %q, t=%s", rec.Code, h.Get("Retry-After"), m[3])
		}
	})
}
