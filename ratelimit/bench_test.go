package ratelimit_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/httprate"
)

var noop = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// BenchmarkAllowed: admitted requests counted in memory, one key and 10,000
// keys, ours beside httprate.LimitBy. Run with -cpu 1,2.
func BenchmarkAllowed(b *testing.B) {
	const limit = 1 << 30 // never reached: the happy path
	for _, keys := range []int{1, 10_000} {
		reqs := testsrv.Requests(keys, "/v1/limited")
		b.Run(strconv.Itoa(keys)+"keys/ours", func(b *testing.B) {
			testsrv.RunParallel(b, ratelimit.New(limit, time.Minute)(noop), reqs)
		})
		b.Run(strconv.Itoa(keys)+"keys/httprate", func(b *testing.B) {
			testsrv.RunParallel(b, httprate.LimitBy(limit, time.Minute, remoteIP)(noop), reqs)
		})
	}
}

// remoteIP is the TCP-peer key a careful httprate user writes.
func remoteIP(r *http.Request) (string, error) {
	host := r.RemoteAddr
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == ':' {
			host = host[:i]
			break
		}
	}
	return httprate.CanonicalizeIP(host), nil
}

// BenchmarkAccuracy reports the most requests admitted in any one window
// under a steady overload, over the limit: 1.00 is exact, the bar is 1.01.
func BenchmarkAccuracy(b *testing.B) {
	b.Run("local", func(b *testing.B) {
		const limit = 100
		clk := newClock()
		l, _ := ratelimit.NewLimiter(ratelimit.Options{Limit: limit, Window: time.Minute, Now: clk.Now})
		h := l.Handler(noop)
		req := testsrv.Requests(1, "/v1/limited")[0]
		w := &testsrv.BenchWriter{H: http.Header{}}
		perWindow := map[int64]int{}
		worst := 0
		for b.Loop() {
			clk.Add(200 * time.Millisecond) // 300 a minute against 100
			w.H = http.Header{}
			h.ServeHTTP(w, req)
			if w.H.Get("Retry-After") == "" {
				win := clk.Now().Unix() / 60
				perWindow[win]++
				worst = max(worst, perWindow[win])
			}
		}
		b.ReportMetric(float64(worst)/limit, "max-admitted/limit")
	})
}

// Allowed requests allocate at most once, and almost never: clients
// sharing a remaining count within a second share the header values, one
// client spending its budget request by request finds values built 32 at a
// time, and only a count not seen this second (here, a cost of 7 per
// request) costs one allocation.
func TestAllowedAllocations(t *testing.T) {
	for _, tc := range []struct {
		name    string
		clients int
		cost    int
		max     float64
	}{
		{"many clients at one count", 1000, 1, 0.05}, // a second boundary may fall inside the run
		{"one client, request by request", 1, 1, 0.1},
		{"one client, a new count each request", 1, 7, 1.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ratelimit.NewLimiter(ratelimit.Options{Limit: 1 << 30, Window: time.Minute,
				Cost: func(*http.Request) int { return tc.cost }})
			if err != nil {
				t.Fatal(err)
			}
			h := l.Handler(noop)
			reqs := testsrv.Requests(tc.clients, "/v1/limited")
			w := &testsrv.BenchWriter{H: http.Header{}}
			for _, r := range reqs {
				h.ServeHTTP(w, r)
			}
			i := 0
			a := testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, reqs[i%len(reqs)]); i++ })
			if a > tc.max {
				t.Fatalf("an allowed request allocates %v times; want at most %v", a, tc.max)
			}
		})
	}
}
