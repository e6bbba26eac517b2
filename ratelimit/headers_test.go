package ratelimit_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Header values are built once a second and shared by clients at one
// count; each response still carries its own client's state, and a value a
// handler kept never changes afterwards.
func TestHeaderValuesPerClientAndSecond(t *testing.T) {
	clk := newClock()
	clk.Add(15 * time.Second)
	var kept []string
	h := limiter(t, ratelimit.Options{Limit: 10, Window: time.Minute, Now: clk.Now, EnableHeaders: ratelimit.XRateLimitHeaders})(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) { kept = append(kept, w.Header().Get("RateLimit")) }))
	get := func(remote string) http.Header {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = remote
		h.ServeHTTP(rec, req)
		return rec.Header()
	}
	a1 := get("192.0.2.1:1")
	b1 := get("192.0.2.2:1")
	assert.Equal(t, `"default";r=9;t=45`, a1.Get("RateLimit"))
	assert.Equal(t, a1.Get("RateLimit"), b1.Get("RateLimit"), "two clients at one count")
	a2 := get("192.0.2.1:1")
	assert.Equal(t, `"default";r=8;t=45`, a2.Get("RateLimit"))
	assert.Equal(t, "8", a2.Get("X-RateLimit-Remaining"))
	end := strconv.FormatInt(clk.Now().Unix()+45, 10)
	assert.Equal(t, end, a2.Get("X-RateLimit-Reset"))

	clk.Add(time.Second)
	b2 := get("192.0.2.2:1")
	assert.Equal(t, `"default";r=8;t=44`, b2.Get("RateLimit"), "the next second, new values")
	assert.Equal(t, end, b2.Get("X-RateLimit-Reset"), "the window still ends when it did")
	require.Len(t, kept, 4)
	assert.Equal(t, []string{`"default";r=9;t=45`, `"default";r=9;t=45`, `"default";r=8;t=45`, `"default";r=8;t=44`}, kept,
		"values handlers kept are what they saw")
}

// One client spending its budget gets values built a run at a time: each
// response still says exactly what is left, across runs and seconds.
func TestHeaderValuesOfOneClientsRun(t *testing.T) {
	clk := newClock()
	h := limiter(t, ratelimit.Options{Limit: 200, Window: time.Minute, Now: clk.Now, EnableHeaders: ratelimit.XRateLimitHeaders})(okHandler)
	for i := 1; i <= 200; i++ {
		if i%50 == 0 {
			clk.Add(time.Second)
		}
		hdr := testsrv.Serve(h, "192.0.2.1:1").Header()
		left := strconv.Itoa(200 - i)
		require.Equal(t, left, hdr.Get("X-RateLimit-Remaining"), "request %d", i)
		secs := 60 - i/50
		if i == 200 {
			// None left: t is when the next request is admitted. The
			// window ends in 56 s, then the previous window's 200 must
			// weigh at most 199: 0.3 s more, rounded up.
			secs = 57
		}
		require.Equal(t, `"default";r=`+left+`;t=`+strconv.Itoa(secs), hdr.Get("RateLimit"), "request %d", i)
	}
	assert.Equal(t, 429, testsrv.Serve(h, "192.0.2.1:1").Code)
}

// By default a limiter sends the IETF fields on every counted response and
// Retry-After on refusals, and no X-RateLimit-*: those are opt-in
// (Options.EnableHeaders), and DisableHeaders still wins over them.
func TestDefaultHeaderFamilies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    ratelimit.Options
		xFields bool
	}{
		{"default", ratelimit.Options{}, false},
		{"enabled", ratelimit.Options{EnableHeaders: ratelimit.XRateLimitHeaders}, true},
		{"enabled and disabled", ratelimit.Options{EnableHeaders: ratelimit.XRateLimitHeaders, DisableHeaders: ratelimit.XRateLimitHeaders}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Limit, opts.Window = 1, time.Minute
			h := limiter(t, opts)(okHandler)
			for _, want := range []int{http.StatusOK, http.StatusTooManyRequests} {
				hdr := testsrv.Serve(h, "192.0.2.7:1")
				require.Equal(t, want, hdr.Code)
				assert.Equal(t, `"default";q=1;w=60`, hdr.Header().Get("RateLimit-Policy"))
				assert.Regexp(t, `^"default";r=0;t=\d+$`, hdr.Header().Get("RateLimit"))
				assert.Equal(t, want == http.StatusTooManyRequests, hdr.Header().Get("Retry-After") != "", "Retry-After on refusals only")
				for _, name := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
					assert.Equal(t, tc.xFields, hdr.Header().Get(name) != "", "%s on %d", name, want)
				}
			}
		})
	}
}

// A response that leaves no quota says in its RateLimit t when the next
// request will be admitted: a client that waits t seconds is never refused,
// and one that comes back a second earlier is (the sliding window weighs
// the previous window's requests, so that moment can lie past the window's
// end).
func TestRateLimitResetIsWhenTheNextRequestIsAdmitted(t *testing.T) {
	for _, start := range []time.Duration{0, 35 * time.Second, 59 * time.Second, 95 * time.Second} {
		clk := newClock()
		h := limiter(t, ratelimit.Options{Limit: 5, Window: time.Minute, Now: clk.Now})(okHandler)
		clk.Add(start)
		var last http.Header
		for i := 1; i <= 5; i++ {
			rec := testsrv.Serve(h, "192.0.2.1:1")
			require.Equal(t, 200, rec.Code, "start %v request %d", start, i)
			last = rec.Header()
		}
		var tSecs int
		_, err := fmt.Sscanf(last.Get("RateLimit"), `"default";r=0;t=%d`, &tSecs)
		require.NoError(t, err, last.Get("RateLimit"))
		refused := testsrv.Serve(h, "192.0.2.1:1")
		require.Equal(t, 429, refused.Code)
		assert.Equal(t, strconv.Itoa(tSecs), refused.Header().Get("Retry-After"), "start %v: t is the Retry-After", start)

		clk.Add(time.Duration(tSecs-1) * time.Second)
		require.Equal(t, 429, testsrv.Serve(h, "192.0.2.1:1").Code, "start %v: a second early is refused", start)
		clk.Add(time.Second)
		assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1").Code, "start %v: after t, admitted", start)
	}
}
