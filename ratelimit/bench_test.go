package ratelimit_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/httprate"
	"github.com/redis/go-redis/v9"
)

// sink is a ResponseWriter that keeps nothing; each goroutine has its own.
type sink struct{ h http.Header }

func (s *sink) Header() http.Header         { return s.h }
func (s *sink) Write(p []byte) (int, error) { return len(p), nil }
func (s *sink) WriteHeader(int)             {}

var noop = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// requests returns n requests from n distinct client addresses.
func requests(n int) []*http.Request {
	out := make([]*http.Request, n)
	for i := range out {
		r, _ := http.NewRequest(http.MethodGet, "/v1/limited", nil)
		r.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", i>>16&0xff, i>>8&0xff, i&0xff)
		out[i] = r
	}
	return out
}

// runParallel serves reqs through h from every benchmark goroutine, each
// starting at its own offset.
func runParallel(b *testing.B, h http.Handler, reqs []*http.Request) {
	var offset atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &sink{h: http.Header{}}
		i := int(offset.Add(7919))
		for pb.Next() {
			h.ServeHTTP(w, reqs[i%len(reqs)])
			i++
		}
	})
}

// BenchmarkAllowed: admitted requests counted in memory, one key and 10,000
// keys, ours beside httprate.LimitBy. Run with -cpu 1,2.
func BenchmarkAllowed(b *testing.B) {
	const limit = 1 << 30 // never reached: the happy path
	for _, keys := range []int{1, 10_000} {
		reqs := requests(keys)
		b.Run(strconv.Itoa(keys)+"keys/ours", func(b *testing.B) {
			runParallel(b, ratelimit.New(limit, time.Minute)(noop), reqs)
		})
		b.Run(strconv.Itoa(keys)+"keys/httprate", func(b *testing.B) {
			runParallel(b, httprate.LimitBy(limit, time.Minute, remoteIP)(noop), reqs)
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

// naiveRedis is the straightforward go-redis httprate.LimitCounter: MGET the
// two windows, then INCRBY (with EXPIRE) in a pipeline.
type naiveRedis struct {
	c      *redis.Client
	window time.Duration
	errs   atomic.Int64
}

func (n *naiveRedis) Config(_ int, window time.Duration) { n.window = window }
func (n *naiveRedis) Increment(key string, w time.Time) error {
	return n.IncrementBy(key, w, 1)
}

func (n *naiveRedis) IncrementBy(key string, w time.Time, amount int) error {
	k := "naive:" + key + ":" + strconv.FormatInt(w.Unix(), 10)
	_, err := n.c.Pipelined(context.Background(), func(p redis.Pipeliner) error {
		p.IncrBy(context.Background(), k, int64(amount))
		p.Expire(context.Background(), k, 3*n.window)
		return nil
	})
	if err != nil {
		n.errs.Add(1)
	}
	return err
}

func (n *naiveRedis) Get(key string, curr, prev time.Time) (int, int, error) {
	vals, err := n.c.MGet(context.Background(),
		"naive:"+key+":"+strconv.FormatInt(curr.Unix(), 10),
		"naive:"+key+":"+strconv.FormatInt(prev.Unix(), 10)).Result()
	if err != nil {
		n.errs.Add(1)
		return 0, 0, err
	}
	atoi := func(v any) int {
		s, _ := v.(string)
		n, _ := strconv.Atoi(s)
		return n
	}
	return atoi(vals[0]), atoi(vals[1]), nil
}

// BenchmarkRedis: 64 concurrent clients on distinct keys against one
// redis-server, ours beside httprate.LimitBy with naiveRedis. Compare
// ns/op (lower is more throughput) or the req/s metric. Each side counts
// its counter errors and the benchmark fails if any occurred: a Redis that
// errors fast must not look like a fast limiter.
func BenchmarkRedis(b *testing.B) {
	s := startRedis(b)
	reqs := requests(64 * 16)
	parallelism := max(1, 64/runtime.GOMAXPROCS(0))
	const limit = 1 << 30
	b.Run("ours", func(b *testing.B) {
		c, err := ratelimit.NewRedisCounter(s.client(b, time.Second), ratelimit.RedisOptions{Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		var errs atomic.Int64
		l, err := ratelimit.NewLimiter(ratelimit.Options{Limit: limit, Window: time.Minute, Counter: c,
			OnCounterError: func(*http.Request, error) { errs.Add(1) }})
		if err != nil {
			b.Fatal(err)
		}
		b.SetParallelism(parallelism)
		start := time.Now()
		runParallel(b, l.Handler(noop), reqs)
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		if n := errs.Load(); n > 0 {
			b.Fatalf("%d counter errors in %d requests", n, b.N)
		}
	})
	b.Run("httprate", func(b *testing.B) {
		counter := &naiveRedis{c: s.client(b, time.Second)}
		h := httprate.LimitBy(limit, time.Minute, remoteIP, httprate.WithLimitCounter(counter))(noop)
		b.SetParallelism(parallelism)
		start := time.Now()
		runParallel(b, h, reqs)
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		if n := counter.errs.Load(); n > 0 {
			b.Fatalf("%d counter errors in %d requests", n, b.N)
		}
	})
}

// BenchmarkAccuracy reports the most requests admitted in any one window
// under a steady overload, over the limit: 1.00 is exact, the bar is 1.01.
func BenchmarkAccuracy(b *testing.B) {
	b.Run("local", func(b *testing.B) {
		const limit = 100
		clk := newClock()
		l, _ := ratelimit.NewLimiter(ratelimit.Options{Limit: limit, Window: time.Minute, Now: clk.Now})
		h := l.Handler(noop)
		req := requests(1)[0]
		w := &sink{h: http.Header{}}
		perWindow := map[int64]int{}
		worst := 0
		for b.Loop() {
			clk.Add(200 * time.Millisecond) // 300 a minute against 100
			w.h = http.Header{}
			h.ServeHTTP(w, req)
			if w.h.Get("Retry-After") == "" {
				win := clk.Now().Unix() / 60
				perWindow[win]++
				worst = max(worst, perWindow[win])
			}
		}
		b.ReportMetric(float64(worst)/limit, "max-admitted/limit")
	})
	b.Run("redis-2-instances", func(b *testing.B) {
		s := startRedis(b)
		const limit = 500
		mk := func() http.Handler {
			c, _ := ratelimit.NewRedisCounter(s.client(b, time.Second), ratelimit.RedisOptions{Prefix: "acc" + b.Name() + ":", Timeout: time.Second})
			l, _ := ratelimit.NewLimiter(ratelimit.Options{Limit: limit, Window: time.Second, Counter: c})
			return l.Handler(noop)
		}
		hs := []http.Handler{mk(), mk()}
		var mu sync.Mutex
		perSecond := map[int64]int{}
		req := requests(1)[0]
		var n atomic.Int64
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			w := &sink{}
			h := hs[n.Add(1)%2]
			for pb.Next() {
				w.h = http.Header{}
				h.ServeHTTP(w, req)
				if w.h.Get("Retry-After") == "" {
					sec := time.Now().Unix()
					mu.Lock()
					perSecond[sec]++
					mu.Unlock()
				}
			}
		})
		worst := 0
		for _, v := range perSecond {
			worst = max(worst, v)
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
			reqs := requests(tc.clients)
			w := &sink{h: http.Header{}}
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
