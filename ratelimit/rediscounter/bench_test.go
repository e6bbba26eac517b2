package rediscounter_test

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/httprate"
	"github.com/redis/go-redis/v9"

	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/faultline-go/faultline/ratelimit/rediscounter"
)

var noop = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

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
	reqs := testsrv.Requests(64*16, "/v1/limited")
	parallelism := max(1, 64/runtime.GOMAXPROCS(0))
	const limit = 1 << 30
	b.Run("ours", func(b *testing.B) {
		c, err := rediscounter.NewRedisCounter(s.client(b, time.Second), rediscounter.RedisOptions{Timeout: time.Second})
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
		testsrv.RunParallel(b, l.Handler(noop), reqs)
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
		testsrv.RunParallel(b, h, reqs)
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		if n := counter.errs.Load(); n > 0 {
			b.Fatalf("%d counter errors in %d requests", n, b.N)
		}
	})
}

// BenchmarkAccuracy reports the most requests admitted in any one window
// under a steady overload by two instances sharing one redis-server, over
// the limit: 1.00 is exact, the bar is 1.01 (ratelimit's BenchmarkAccuracy
// measures one instance in memory).
func BenchmarkAccuracy(b *testing.B) {
	b.Run("redis-2-instances", func(b *testing.B) {
		s := startRedis(b)
		const limit = 500
		mk := func() http.Handler {
			c, _ := rediscounter.NewRedisCounter(s.client(b, time.Second), rediscounter.RedisOptions{Prefix: "acc" + b.Name() + ":", Timeout: time.Second})
			l, _ := ratelimit.NewLimiter(ratelimit.Options{Limit: limit, Window: time.Second, Counter: c})
			return l.Handler(noop)
		}
		hs := []http.Handler{mk(), mk()}
		var mu sync.Mutex
		perSecond := map[int64]int{}
		req := testsrv.Requests(1, "/v1/limited")[0]
		var n atomic.Int64
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			w := &testsrv.BenchWriter{}
			h := hs[n.Add(1)%2]
			for pb.Next() {
				w.H = http.Header{}
				h.ServeHTTP(w, req)
				if w.H.Get("Retry-After") == "" {
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
