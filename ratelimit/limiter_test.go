package ratelimit_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/logbuf"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clock is a fake clock for Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Unix(1_800_000_000, 0)} } // on a minute boundary

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })

func limiter(t testing.TB, opts ratelimit.Options) func(http.Handler) http.Handler {
	t.Helper()
	l, err := ratelimit.NewLimiter(opts)
	require.NoError(t, err)
	return l.Handler
}

func TestLimitOverRealServer(t *testing.T) {
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		t.Run(proto, func(t *testing.T) {
			r := chi.NewRouter()
			r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
			r.With(ratelimit.New(5, time.Minute)).Get("/v1/limited", okHandler)
			srv := httptest.NewUnstartedServer(r)
			if proto == "HTTP/2" {
				srv.EnableHTTP2 = true
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			var last *http.Response
			for i := 1; i <= 6; i++ {
				resp, err := srv.Client().Get(srv.URL + "/v1/limited")
				require.NoError(t, err)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if i <= 5 {
					require.Equal(t, 200, resp.StatusCode, "request %d", i)
					assert.Regexp(t, `^"default";r=`+strconv.Itoa(5-i)+`;t=\d+$`, resp.Header.Get("RateLimit"))
					assert.Empty(t, resp.Header.Get("X-RateLimit-Remaining"), "X-RateLimit-* are opt-in")
					continue
				}
				last = resp
				assert.Equal(t, 429, resp.StatusCode)
				resp.Body = io.NopCloser(strings.NewReader(string(body)))
			}
			assert.Equal(t, `"default";q=5;w=60`, last.Header.Get("RateLimit-Policy"))
			ra, err := strconv.Atoi(last.Header.Get("Retry-After"))
			require.NoError(t, err)
			assert.Positive(t, ra)
			assert.LessOrEqual(t, ra, 120)
			assert.Regexp(t, `^"default";r=0;t=\d+$`, last.Header.Get("RateLimit"))
			assert.Empty(t, last.Header.Get("X-RateLimit-Limit"), "X-RateLimit-* are opt-in")
			var e *errdoc.Error
			require.ErrorAs(t, errdoc.ParseResponse(last), &e)
			assert.Equal(t, "too_many_requests", e.Code)
			d, ok := e.RetryAfter(time.Now())
			assert.True(t, ok)
			assert.Equal(t, time.Duration(ra)*time.Second, d)
		})
	}
}

func TestRetryAfterComesFromTheWindowState(t *testing.T) {
	clk := newClock()
	h := limiter(t, ratelimit.Options{Limit: 2, Window: time.Minute, Now: clk.Now, EnableHeaders: ratelimit.XRateLimitHeaders})(okHandler)
	assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1000").Code)
	assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1000").Code)
	clk.Add(10 * time.Second)
	rec := testsrv.Serve(h, "192.0.2.1:1000")
	require.Equal(t, 429, rec.Code)
	// Two requests in this window: at 60 s they weigh 2, and a third fits
	// once their weight is down to 1, at 90 s: 80 s from now. Not the
	// window's 60, not 0.
	assert.Equal(t, "80", rec.Header().Get("Retry-After"))
	assert.Equal(t, `"default";r=0;t=80`, rec.Header().Get("RateLimit"), "Retry-After is never earlier than t")
	assert.Equal(t, strconv.FormatInt(clk.Now().Unix()+80, 10), rec.Header().Get("X-RateLimit-Reset"))

	clk.Add(79 * time.Second)
	assert.Equal(t, 429, testsrv.Serve(h, "192.0.2.1:1000").Code, "one second early is still refused")
	clk.Add(time.Second)
	assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1000").Code, "admitted exactly when Retry-After said")
}

func TestLegacyAnswers420InTheGroupsFormat(t *testing.T) {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.Group(func(r chi.Router) {
		r.Use(errdoc.NewRenderer(errdoc.Options{Format: errdoc.Twitter, Strict: true}).Handler)
		r.With(ratelimit.Legacy(3, time.Minute)).Get("/v1/search", okHandler)
	})
	r.With(ratelimit.Legacy(1, time.Minute)).Get("/v2/search", okHandler)
	for i := 0; i < 3; i++ {
		assert.Equal(t, 200, serveRouter(r, "/v1/search").Code)
	}
	rec := serveRouter(r, "/v1/search")
	assert.Equal(t, 420, rec.Code)
	assert.JSONEq(t, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, rec.Body.String())
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))

	serveRouter(r, "/v2/search")
	rec = serveRouter(r, "/v2/search")
	assert.Equal(t, 420, rec.Code)
	assert.Contains(t, rec.Body.String(), `"code":"enhance_your_calm"`)
	assert.Contains(t, rec.Body.String(), `"title":"Enhance Your Calm"`)
}

func serveRouter(h http.Handler, path string) *httptest.ResponseRecorder {
	return serveMethod(h, http.MethodGet, path)
}

func serveMethod(h http.Handler, method, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHeaderFamiliesAreSwitchable(t *testing.T) {
	families := map[string]ratelimit.HeaderFamily{
		"Retry-After":           ratelimit.RetryAfterHeader,
		"RateLimit":             ratelimit.IETFHeaders,
		"RateLimit-Policy":      ratelimit.IETFHeaders,
		"X-RateLimit-Limit":     ratelimit.XRateLimitHeaders,
		"X-RateLimit-Remaining": ratelimit.XRateLimitHeaders,
		"X-RateLimit-Reset":     ratelimit.XRateLimitHeaders,
	}
	for _, off := range []ratelimit.HeaderFamily{0, ratelimit.RetryAfterHeader, ratelimit.IETFHeaders, ratelimit.XRateLimitHeaders,
		ratelimit.RetryAfterHeader | ratelimit.IETFHeaders | ratelimit.XRateLimitHeaders} {
		h := limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, EnableHeaders: ratelimit.XRateLimitHeaders, DisableHeaders: off, Name: "burst"})(okHandler)
		testsrv.Serve(h, "192.0.2.9:1")
		rec := testsrv.Serve(h, "192.0.2.9:1")
		require.Equal(t, 429, rec.Code)
		for name, fam := range families {
			if off&fam != 0 {
				assert.Empty(t, rec.Header().Get(name), "%s with %b off", name, off)
			} else {
				assert.NotEmpty(t, rec.Header().Get(name), "%s with %b off", name, off)
			}
		}
		if off&ratelimit.IETFHeaders == 0 {
			assert.True(t, strings.HasPrefix(rec.Header().Get("RateLimit"), `"burst";r=0;t=`))
		}
	}
}

func TestForwardingHeadersAreNotTrustedByDefault(t *testing.T) {
	h := limiter(t, ratelimit.Options{Limit: 2, Window: time.Minute})(okHandler)
	spoof := []string{"X-Forwarded-For", "X-Real-IP", "True-Client-IP"}
	// An attacker rotating forwarding headers cannot evade its limit...
	for i := 0; i < 6; i++ {
		hdr := spoof[i%3]
		rec := testsrv.Serve(h, "203.0.113.7:4000", hdr, fmt.Sprintf("198.51.100.%d", i))
		if i < 2 {
			assert.Equal(t, 200, rec.Code)
		} else {
			assert.Equal(t, 429, rec.Code, "request %d with %s", i, hdr)
		}
	}
	// ...nor lock out the client whose address it claims.
	for i := 0; i < 5; i++ {
		testsrv.Serve(h, "203.0.113.8:4000", "X-Forwarded-For", "198.51.100.200")
	}
	assert.Equal(t, 200, testsrv.Serve(h, "198.51.100.200:5000").Code)

	// IPv6 clients are keyed by their /64.
	testsrv.Serve(h, "[2001:db8:1:2::1]:1")
	testsrv.Serve(h, "[2001:db8:1:2::2]:1")
	assert.Equal(t, 429, testsrv.Serve(h, "[2001:db8:1:2:ffff::3]:1").Code)
	assert.Equal(t, 200, testsrv.Serve(h, "[2001:db8:1:3::1]:1").Code)
}

func TestTrustedProxyThroughChi(t *testing.T) {
	r := chi.NewRouter()
	r.Use(chimw.ClientIPFromXFF("10.0.0.0/8")) // only the load balancer is trusted
	r.Use(ratelimit.New(1, time.Minute))
	r.Get("/", okHandler)
	do := func(remote, xff string) int {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-For", xff)
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec.Code
	}
	assert.Equal(t, 200, do("10.0.0.1:80", "198.51.100.1"))
	assert.Equal(t, 200, do("10.0.0.1:80", "198.51.100.2"), "distinct clients behind the proxy")
	assert.Equal(t, 429, do("10.0.0.2:80", "198.51.100.1"), "the same client through another proxy")
}

func TestKeys(t *testing.T) {
	type userKey struct{}
	userOf := func(r *http.Request) (string, bool) {
		u, ok := r.Context().Value(userKey{}).(string)
		return u, ok
	}
	t.Run("api key header", func(t *testing.T) {
		issued := map[string]string{"alpha-secret": "alpha", "beta-secret": "beta"}
		key := ratelimit.KeyByAPIKey("X-API-Key", func(_ context.Context, v string) (string, bool, error) {
			a, ok := issued[v]
			return a, ok, nil
		})
		h := limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, Key: key})(okHandler)
		assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1", "X-API-Key", "alpha-secret").Code)
		assert.Equal(t, 429, testsrv.Serve(h, "192.0.2.2:1", "X-API-Key", "alpha-secret").Code, "the key, not the IP")
		assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1", "X-API-Key", "beta-secret").Code)
		assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1").Code, "no key: the IP")
		assert.Equal(t, 429, testsrv.Serve(h, "192.0.2.1:1").Code)
		assert.Equal(t, 429, testsrv.Serve(h, "192.0.2.1:1", "X-API-Key", "made-up").Code, "an unknown key: the IP")
		k, _ := key(withHeader("X-API-Key", "alpha-secret"))
		assert.NotContains(t, k, "secret", "the account, never the credential")
	})
	t.Run("user", func(t *testing.T) {
		h := limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, Key: ratelimit.KeyByUser(userOf)})(okHandler)
		as := func(user, remote string) int {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = remote
			if user != "" {
				req = req.WithContext(context.WithValue(req.Context(), userKey{}, user))
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Code
		}
		assert.Equal(t, 200, as("ann", "192.0.2.1:1"))
		assert.Equal(t, 429, as("ann", "192.0.2.99:1"))
		assert.Equal(t, 200, as("bob", "192.0.2.1:1"))
		assert.Equal(t, 200, as("", "192.0.2.1:1"))
	})
	t.Run("route and client combined", func(t *testing.T) {
		r := chi.NewRouter()
		lim := limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, Key: ratelimit.Keys(ratelimit.KeyByIP, ratelimit.KeyByRoute)})
		r.With(lim).Get("/a/{id}", okHandler)
		r.With(lim).Get("/b", okHandler)
		do := func(path, remote string) int {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.RemoteAddr = remote
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			return rec.Code
		}
		assert.Equal(t, 200, do("/a/1", "192.0.2.1:1"))
		assert.Equal(t, 429, do("/a/2", "192.0.2.1:1"), "one budget per route pattern")
		assert.Equal(t, 200, do("/b", "192.0.2.1:1"))
		assert.Equal(t, 200, do("/a/1", "192.0.2.2:1"))
	})
	t.Run("key error is rendered", func(t *testing.T) {
		h := limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, Key: func(*http.Request) (string, error) {
			return "", errdoc.New(http.StatusUnauthorized, "Sign in first.")
		}})(okHandler)
		assert.Equal(t, 401, testsrv.Serve(h, "192.0.2.1:1").Code)
	})
}

func withHeader(k, v string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set(k, v)
	return req
}

func TestCost(t *testing.T) {
	h := limiter(t, ratelimit.Options{Limit: 5, Window: time.Minute, EnableHeaders: ratelimit.XRateLimitHeaders, Cost: func(r *http.Request) int {
		n, _ := strconv.Atoi(r.URL.Query().Get("cost"))
		return n
	}})(okHandler)
	do := func(cost string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/?cost="+cost, nil)
		req.RemoteAddr = "192.0.2.1:1"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	assert.Equal(t, "2", do("3").Header().Get("X-RateLimit-Remaining"))
	assert.Equal(t, 429, do("3").Code)
	assert.Equal(t, 200, do("2").Code)
	rec := do("0")
	assert.Equal(t, 200, rec.Code, "free requests pass")
	assert.Empty(t, rec.Header().Get("X-RateLimit-Remaining"), "and are not counted")
}

// brokenCounter fails every Take.
type brokenCounter struct{}

func (brokenCounter) Claim(ratelimit.Policy) error { return nil }

func (brokenCounter) Take(context.Context, string, ratelimit.Quota) (ratelimit.Result, error) {
	return ratelimit.Result{}, fmt.Errorf("%w: dial tcp 10.1.2.3:6379: connection refused", ratelimit.ErrCounter)
}

func TestFailurePolicies(t *testing.T) {
	var hooked atomic.Int32
	hook := func(r *http.Request, err error) {
		hooked.Add(1)
		assert.ErrorIs(t, err, ratelimit.ErrCounter)
	}
	open := limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, Counter: brokenCounter{}, OnCounterError: hook})(okHandler)
	for i := 0; i < 3; i++ {
		assert.Equal(t, 200, testsrv.Serve(open, "192.0.2.1:1").Code)
	}
	assert.Equal(t, int32(3), hooked.Load())

	closed := limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, Counter: brokenCounter{},
		OnFailure: ratelimit.FailClosed, UnavailableRetryAfter: 2500 * time.Millisecond, OnCounterError: hook})(okHandler)
	rec := testsrv.Serve(closed, "192.0.2.1:1")
	assert.Equal(t, 503, rec.Code)
	assert.Equal(t, "3", rec.Header().Get("Retry-After"))
	assert.NotContains(t, rec.Body.String(), "10.1.2.3")
	assert.NotContains(t, rec.Body.String(), "refused")
	assert.Contains(t, rec.Body.String(), "service_unavailable")

	// Without a hook, failures are logged, at most once a second.
	var logs strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logs.Write(p)
	}), nil))
	logged := limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, Counter: brokenCounter{}, Logger: logger})(okHandler)
	for i := 0; i < 50; i++ {
		testsrv.Serve(logged, "192.0.2.1:1")
	}
	mu.Lock()
	assert.Equal(t, 1, strings.Count(logs.String(), "rate limit counter failed"))
	assert.Contains(t, logs.String(), "fail-open")
	mu.Unlock()

	// Under chi, the record names the route the request matched.
	var routed strings.Builder
	rlog := slog.New(slog.NewTextHandler(&routed, nil))
	cr := chi.NewRouter()
	cr.With(limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, Counter: brokenCounter{}, Logger: rlog})).Get("/v1/items/{id}", okHandler.ServeHTTP)
	cr.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/v1/items/7", nil))
	assert.Contains(t, routed.String(), "route=/v1/items/{id}")

	// Fail-closed under a renderer: the 503s are not logged one by one
	// (they were 8,809 ERROR records in 9 s): the limiter's record, at most
	// once a second, is the log.
	var renderLogs, limLogs logbuf.Buffer
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewTextHandler(&renderLogs, nil))}).Handler)
	r.With(limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, Counter: brokenCounter{}, OnFailure: ratelimit.FailClosed,
		Logger: slog.New(slog.NewTextHandler(&limLogs, nil))})).Get("/v1/limited", okHandler)
	for i := 0; i < 500; i++ {
		require.Equal(t, 503, serveRouter(r, "/v1/limited").Code)
	}
	assert.Zero(t, renderLogs.Count("level="), "the renderer logs none of the 503s")
	assert.Equal(t, 1, limLogs.Count("rate limit counter failed"))
	assert.Contains(t, limLogs.String(), "fail-closed")

	// A panicking hook is contained.
	boom := limiter(t, ratelimit.Options{Limit: 1, Window: time.Minute, Counter: brokenCounter{},
		OnCounterError: func(*http.Request, error) { panic("hook") }})(okHandler)
	assert.Equal(t, 200, testsrv.Serve(boom, "192.0.2.1:1").Code)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestInvalidOptions(t *testing.T) {
	for _, tc := range []struct {
		opts ratelimit.Options
		want error
	}{
		{ratelimit.Options{Window: time.Minute}, ratelimit.ErrInvalidLimit},
		{ratelimit.Options{Limit: -1, Window: time.Minute}, ratelimit.ErrInvalidLimit},
		{ratelimit.Options{Limit: 1}, ratelimit.ErrInvalidWindow},
		{ratelimit.Options{Limit: 1, Window: time.Microsecond}, ratelimit.ErrInvalidWindow},
		{ratelimit.Options{Limit: 1, Window: time.Minute, Name: `bad"name`}, ratelimit.ErrInvalidName},
	} {
		_, err := ratelimit.NewLimiter(tc.opts)
		assert.ErrorIs(t, err, tc.want)
	}
	assert.Panics(t, func() { ratelimit.New(0, time.Minute) })
}

func TestMemoryCounterIsBounded(t *testing.T) {
	clk := newClock()
	c := ratelimit.NewMemoryCounter(ratelimit.MemoryOptions{MaxKeys: 1024})
	q := ratelimit.Quota{Limit: 100, Cost: 1, Window: time.Minute}
	// A heavy client first.
	for i := 0; i < 60; i++ {
		q.Now = clk.Now()
		_, err := c.Take(context.Background(), "heavy", q)
		require.NoError(t, err)
	}
	// Then a flood of distinct keys, one request each.
	for i := 0; i < 200_000; i++ {
		q.Now = clk.Now()
		_, _ = c.Take(context.Background(), "flood-"+strconv.Itoa(i), q)
	}
	assert.LessOrEqual(t, c.Len(), 1024)
	q.Now = clk.Now()
	res, err := c.Take(context.Background(), "heavy", q)
	require.NoError(t, err)
	assert.Equal(t, int64(61), res.Current, "the heavy client kept its count through the flood")

	// Expired keys make room before live ones are displaced.
	clk.Add(3 * time.Minute)
	for i := 0; i < 1000; i++ {
		q.Now = clk.Now()
		_, _ = c.Take(context.Background(), "late-"+strconv.Itoa(i), q)
	}
	assert.LessOrEqual(t, c.Len(), 1024)
}

func TestAccuracyUnderSteadyOverload(t *testing.T) {
	const limit, perSecond = 100, 5 // 300 requests a minute against 100
	clk := newClock()
	h := limiter(t, ratelimit.Options{Limit: limit, Window: time.Minute, Now: clk.Now})(okHandler)
	start := clk.Now()
	var admitted []time.Duration
	for i := 0; i < 10*60*perSecond; i++ { // ten minutes
		clk.Add(time.Second / perSecond)
		if testsrv.Serve(h, "192.0.2.1:1").Code == 200 {
			admitted = append(admitted, clk.Now().Sub(start))
		}
	}
	// Per fixed window and per sliding window (every second's start).
	maxFixed, maxSliding := 0, 0
	for from := time.Duration(0); from < 9*time.Minute; from += time.Second {
		n := 0
		for _, at := range admitted {
			if at > from && at <= from+time.Minute {
				n++
			}
		}
		maxSliding = max(maxSliding, n)
		if from%time.Minute == 0 {
			maxFixed = max(maxFixed, n)
		}
	}
	t.Logf("max admitted per fixed window %d, per sliding window %d, limit %d", maxFixed, maxSliding, limit)
	assert.LessOrEqual(t, maxFixed, limit)
	assert.LessOrEqual(t, float64(maxSliding), limit*1.01)
	assert.GreaterOrEqual(t, maxFixed, limit*99/100, "the limit is used, not undershot")
}

func TestConcurrentRequestsNeverExceedTheLimit(t *testing.T) {
	h := limiter(t, ratelimit.Options{Limit: 100, Window: time.Hour})(okHandler)
	admitted, refused := hammer(t, 16, 50, h)
	assert.Equal(t, 100, admitted)
	assert.Equal(t, 700, refused)
}

// hammer sends each requests from each of goroutines goroutines, spread
// over the handlers in turn, and counts the 200s and 429s.
func hammer(t testing.TB, goroutines, each int, hs ...http.Handler) (admitted, refused int) {
	admitted, refused, unavailable := testsrv.Hammer(t, goroutines, each, hs...)
	if unavailable > 0 {
		t.Errorf("%d requests answered 503", unavailable)
	}
	return admitted, refused
}
