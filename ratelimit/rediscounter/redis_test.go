package rediscounter_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/faultline-go/faultline/internal/logbuf"
	"github.com/faultline-go/faultline/internal/testsrv"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/faultline-go/faultline/ratelimit/rediscounter"
	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testTimeout is the Redis timeout of the functional tests: so generous
// that no scheduler stall of a loaded machine reaches it. (A call that
// does fail opens the counter for RetryInterval, failing the requests of
// that interval at once; the outage test is where that is tested.)
const testTimeout = 5 * time.Second

func redisCounter(t testing.TB, s *redisServer, prefix string) *rediscounter.RedisCounter {
	t.Helper()
	c, err := rediscounter.NewRedisCounter(s.client(t, testTimeout), rediscounter.RedisOptions{Prefix: prefix, Timeout: testTimeout})
	require.NoError(t, err)
	return c
}

// failures counts counter errors through OnCounterError.
type failures struct {
	n    atomic.Int64
	down atomic.Int64 // of which failed at once, without calling Redis
}

func (f *failures) hook(_ *http.Request, err error) {
	f.n.Add(1)
	if errors.Is(err, rediscounter.ErrRedisDown) {
		f.down.Add(1)
	}
}

func TestRedisCounterLimits(t *testing.T) {
	s := startRedis(t)
	var f failures
	h := limiter(t, ratelimit.Options{Limit: 3, Window: time.Minute, Counter: redisCounter(t, s, "t1:"),
		OnFailure: ratelimit.FailClosed, OnCounterError: f.hook})(okHandler)
	for i := 0; i < 3; i++ {
		require.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1").Code)
	}
	rec := testsrv.Serve(h, "192.0.2.1:1")
	assert.Equal(t, 429, rec.Code)
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))
	assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.2:1").Code, "another client has its own budget")
	assert.Zero(t, f.n.Load())
}

// The test uses FailClosed, the policy under which sharing is exact: a
// failed call is never an admission. What it proves, whatever the load:
// the two instances never admit more than the limit together, Redis never
// counts more than it, and every admission was counted. Without a failed
// call (the 5s timeout makes one all but impossible), exactly the limit is
// admitted and counted.
func TestTwoInstancesShareOneLimit(t *testing.T) {
	s := startRedis(t)
	var f failures
	// Two limiters with their own clients, as two processes would have. A
	// one-hour window keeps the burst inside one window.
	mk := func() http.Handler {
		return limiter(t, ratelimit.Options{Limit: 100, Window: time.Hour, Counter: redisCounter(t, s, "shared:"),
			OnFailure: ratelimit.FailClosed, OnCounterError: f.hook})(okHandler)
	}
	admitted, refused, unavailable := testsrv.Hammer(t, 64, 10, mk(), mk())
	t.Logf("admitted %d, refused %d, counter failures %d", admitted, refused, unavailable)
	assert.Equal(t, int64(unavailable), f.n.Load(), "every failure is reported")
	c := s.client(t, testTimeout)
	keys, err := c.Keys(context.Background(), "shared:*").Result()
	require.NoError(t, err)
	require.Len(t, keys, 1, "one key for both instances")
	counted, err := c.HGet(context.Background(), keys[0], "c").Int64()
	require.NoError(t, err)
	assert.LessOrEqual(t, admitted, 100, "never more than the limit across both instances")
	assert.LessOrEqual(t, counted, int64(100), "Redis never counts past the limit")
	assert.LessOrEqual(t, int64(admitted), counted, "every admission was counted")
	if unavailable == 0 {
		assert.Equal(t, 100, admitted, "exactly the limit")
		assert.Equal(t, int64(100), counted)
	}
}

// Must 1 on Redis: limiters built as the README shows, on one counter.
func TestRedisLimitersNeverShareCounts(t *testing.T) {
	s := startRedis(t)
	c := redisCounter(t, s, "")
	r := chi.NewRouter()
	r.With(limiter(t, ratelimit.Options{Limit: 100, Window: time.Minute, Counter: c})).Get("/search", okHandler)
	r.With(limiter(t, ratelimit.Options{Limit: 5, Window: time.Minute, Name: "login", Counter: c})).Get("/login", okHandler)
	r.With(limiter(t, ratelimit.Options{Limit: 3, Window: time.Minute, Counter: c})).Get("/burst", okHandler)
	r.With(limiter(t, ratelimit.Options{Limit: 1000, Window: time.Hour, Counter: c})).Get("/hourly", okHandler)
	for i := 0; i < 10; i++ {
		require.Equal(t, 200, serveRouter(r, "/search").Code)
	}
	assert.Equal(t, 200, serveRouter(r, "/login").Code, "a fresh limiter has its whole budget")
	burst := 0
	for i := 0; i < 30; i++ {
		if serveRouter(r, "/burst").Code == 200 {
			burst++
		}
		require.Equal(t, 200, serveRouter(r, "/hourly").Code)
	}
	assert.Equal(t, 3, burst, "3/min admits 3 of 30 interleaved with a 1000/h limiter")

	keys, err := s.client(t, testTimeout).Keys(context.Background(), "*").Result()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{
		"faultline:ratelimit:v1|~100/1m0s|192.0.2.1",
		"faultline:ratelimit:v1|login|192.0.2.1",
		"faultline:ratelimit:v1|~3/1m0s|192.0.2.1",
		"faultline:ratelimit:v1|~1000/1h0m0s|192.0.2.1",
	}, keys, "the documented v1 layout")
}

// Must 2 on Redis: made-up API keys are counted by IP and cost no entry.
func TestRedisMadeUpKeysCostNothing(t *testing.T) {
	s := startRedis(t)
	key := ratelimit.KeyByAPIKey("X-API-Key", func(_ context.Context, v string) (string, bool, error) {
		return "acct-1", v == "issued-secret", nil
	})
	h := limiter(t, ratelimit.Options{Limit: 5, Window: time.Hour, Counter: redisCounter(t, s, "mint:"), Key: key})(okHandler)
	admitted := 0
	for i := 0; i < 1000; i++ {
		if testsrv.Serve(h, "192.0.2.1:1", "X-API-Key", fmt.Sprintf("made-up-%d", i)).Code == 200 {
			admitted++
		}
	}
	assert.Equal(t, 5, admitted, "1,000 made-up keys from one IP share the IP's 5/h")
	assert.Equal(t, 200, testsrv.Serve(h, "192.0.2.1:1", "X-API-Key", "issued-secret").Code, "an issued key has its own budget")
	c := s.client(t, testTimeout)
	keys, err := c.Keys(context.Background(), "mint:*").Result()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"mint:v1|~5/1h0m0s|192.0.2.1", "mint:v1|~5/1h0m0s|key:acct-1"}, keys,
		"no credential, and no entry per made-up key")
	ttl, err := c.PTTL(context.Background(), keys[0]).Result()
	require.NoError(t, err)
	assert.Positive(t, ttl, "keys expire")
	assert.LessOrEqual(t, ttl, 2*time.Hour, "at most two windows")

	// Refused requests write nothing: a client over its limit costs no entry.
	h2 := limiter(t, ratelimit.Options{Limit: 1, Window: time.Hour, Counter: redisCounter(t, s, "refused:"),
		Cost: func(*http.Request) int { return 2 }})(okHandler)
	assert.Equal(t, 429, testsrv.Serve(h2, "192.0.2.1:1").Code)
	n, err := c.Exists(context.Background(), "refused:v1|~1/1h0m0s|192.0.2.1").Result()
	require.NoError(t, err)
	assert.Zero(t, n)

	// Long keys are stored as a fixed-size hash.
	long := strings.Repeat("u", 1000)
	h3 := limiter(t, ratelimit.Options{Limit: 1, Window: time.Hour, Counter: redisCounter(t, s, "long:"),
		Key: func(*http.Request) (string, error) { return long, nil }})(okHandler)
	require.Equal(t, 200, testsrv.Serve(h3, "192.0.2.1:1").Code)
	keys, err = c.Keys(context.Background(), "long:*").Result()
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.Less(t, len(keys[0]), 100)
}

// Must 5 and 7: the outage. With FailFastRedisOptions, requests fail at once
// while Redis is down (only the probes call it), the log holds at most one
// record a second, and counting resumes within a bound after the restart.
func TestRedisKilledMidRun(t *testing.T) {
	for _, policy := range []ratelimit.FailurePolicy{ratelimit.FailOpen, ratelimit.FailClosed} {
		name := map[ratelimit.FailurePolicy]string{ratelimit.FailOpen: "fail-open", ratelimit.FailClosed: "fail-closed"}[policy]
		t.Run(name, func(t *testing.T) {
			s := startRedis(t)
			const timeout, retry = 100 * time.Millisecond, 20 * time.Millisecond
			counter, err := rediscounter.NewRedisCounter(s.client(t, timeout), rediscounter.RedisOptions{Timeout: timeout, RetryInterval: retry})
			require.NoError(t, err)
			var logs, renderLogs lockedBuffer
			var hooked failures
			lim := limiter(t, ratelimit.Options{
				Limit: 100000, Window: time.Minute, Counter: counter, OnFailure: policy,
				Logger: slog.New(slog.NewTextHandler(&logs, nil)),
			})
			hooks := limiter(t, ratelimit.Options{
				Limit: 100000, Window: time.Minute, Name: "hooked", Counter: counter, OnFailure: policy, OnCounterError: hooked.hook,
			})
			r := chi.NewRouter()
			r.Use(errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewTextHandler(&renderLogs, nil))}).Handler)
			r.With(lim).Get("/v1/limited", okHandler)
			r.With(hooks).Get("/v1/hooked", okHandler)
			get := func(path string) int { return serveRouter(r, path).Code }
			// Warm up (dial, load the script) with the short timeout a loaded
			// machine may miss once or twice.
			for i := 0; i < 50 && (get("/v1/limited") != 200 || get("/v1/hooked") != 200 || hooked.n.Load() > 0); i++ {
				hooked.n.Store(0)
				hooked.down.Store(0)
				time.Sleep(retry)
			}
			require.Zero(t, hooked.n.Load(), "Redis answers before the outage")

			s.stop()
			want := 200
			if policy == ratelimit.FailClosed {
				want = 503
			}
			// 1.5 s of requests: long enough for the log's once-a-second bound
			// to show, as many requests as the machine serves meanwhile.
			start := time.Now()
			var slow, n int
			for ; time.Since(start) < 1500*time.Millisecond; n++ {
				t0 := time.Now()
				rec := serveRouter(r, "/v1/hooked")
				took := time.Since(t0)
				require.Equal(t, want, rec.Code)
				if took >= timeout/2 {
					slow++
				}
				require.Less(t, took, timeout+time.Second, "nothing hangs past the timeout")
				if want == 503 && n < 10 {
					assert.Equal(t, "1", rec.Header().Get("Retry-After"))
					assert.NotContains(t, rec.Body.String(), "127.0.0.1")
					assert.NotContains(t, rec.Body.String(), "refused")
				}
				require.Equal(t, want, get("/v1/limited"))
			}
			elapsed := time.Since(start)
			assert.Equal(t, int64(n), hooked.n.Load(), "the hook sees every failure")
			// Only the first failure and one probe per RetryInterval call Redis.
			probes := int64(elapsed/retry) + 2
			t.Logf("%d requests in %v: %d failed without calling Redis, %d took over %v", n, elapsed, hooked.down.Load(), slow, timeout/2)
			assert.GreaterOrEqual(t, hooked.down.Load(), int64(n)-probes, "requests fail at once during the outage")
			assert.LessOrEqual(t, slow, max(5, n/100), "no request waits for the timeout: refused dials fail at once (1%% tolerated for a loaded machine's stalls)")
			assert.LessOrEqual(t, logs.Count("rate limit counter failed"), int(elapsed/time.Second)+1, "at most one record a second")
			assert.Contains(t, logs.String(), name)
			assert.Zero(t, renderLogs.Count("level=ERROR"), "the renderer does not log every 503 again")

			s.start(t)
			restarted := time.Now()
			var recovered time.Duration
			for time.Since(restarted) < 5*time.Second {
				before := hooked.n.Load()
				code := get("/v1/hooked")
				if code == 200 && hooked.n.Load() == before {
					recovered = time.Since(restarted)
					break
				}
				time.Sleep(time.Millisecond)
			}
			t.Logf("counting again %v after Redis answered", recovered)
			require.NotZero(t, recovered, "counting resumed")
			assert.Less(t, recovered, retry+timeout+300*time.Millisecond, "recovery within RetryInterval+Timeout (+300ms for a loaded machine), not go-redis's 1s redial loop")
		})
	}
}

type lockedBuffer = logbuf.Buffer

func TestRedisCounterNeedsContextTimeouts(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	_, err := rediscounter.NewRedisCounter(c, rediscounter.RedisOptions{})
	assert.ErrorIs(t, err, rediscounter.ErrNoContextTimeout)
	_, err = rediscounter.NewRedisCounter(nil, rediscounter.RedisOptions{})
	assert.Error(t, err)
}

// windowed wraps a Counter and records each admission under the start of
// the fixed window Redis counted it in: the return time less the elapsed
// time Redis reported, rounded to the second. A call slower than 400ms
// could round to the wrong window; it is counted apart.
type windowed struct {
	ratelimit.Counter
	*tally
}

// tally is the admissions per window of every windowed counter of a test.
type tally struct {
	mu     sync.Mutex
	per    map[int64]int
	unsure int
}

func (w *windowed) Take(ctx context.Context, key string, q ratelimit.Quota) (ratelimit.Result, error) {
	start := time.Now()
	res, err := w.Counter.Take(ctx, key, q)
	end := time.Now()
	if err != nil || !res.Allowed {
		return res, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if end.Sub(start) > 400*time.Millisecond {
		w.unsure++
		return res, err
	}
	w.per[end.Add(-res.Elapsed).Round(time.Second).Unix()]++
	return res, err
}

// The accuracy across two instances in real time: a steady overload of a
// 1-second window from two instances. Admissions are attributed to the
// window Redis counted them in (not to the second the test saw them, which
// a loaded machine can shift), and FailClosed makes a failed call a
// refusal: no window admits more than the limit.
func TestRedisAccuracyAcrossInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for about 3 seconds")
	}
	s := startRedis(t)
	const limit = 200
	var f failures
	tl := &tally{per: map[int64]int{}}
	mk := func() http.Handler {
		w := &windowed{Counter: redisCounter(t, s, "acc:"), tally: tl}
		return limiter(t, ratelimit.Options{Limit: limit, Window: time.Second, Counter: w,
			OnFailure: ratelimit.FailClosed, OnCounterError: f.hook})(okHandler)
	}
	a, b := mk(), mk()
	deadline := time.Now().Add(3200 * time.Millisecond)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(h http.Handler) {
			defer wg.Done()
			tick := time.NewTicker(4 * time.Millisecond) // 8 x 250/s: 2000/s against 200/s
			defer tick.Stop()
			for time.Now().Before(deadline) {
				<-tick.C
				testsrv.Serve(h, "192.0.2.1:1")
			}
		}(map[bool]http.Handler{true: a, false: b}[g%2 == 0])
	}
	wg.Wait()
	worst := 0
	for _, n := range tl.per {
		worst = max(worst, n)
	}
	t.Logf("admitted per Redis window: %v (limit %d), counter failures %d, slow calls %d", tl.per, limit, f.n.Load(), tl.unsure)
	assert.LessOrEqual(t, worst, limit, "no window admits more than the limit")
	assert.GreaterOrEqual(t, len(tl.per), 3, "three windows or more observed")
	assert.Less(t, tl.unsure, 100, "most calls answered within 400ms")
}

// A call that the request's context cuts short while Redis has yet to
// answer (CLIENT PAUSE holds the reply back) leaves no stale reply for the
// next request: go-redis closes that connection instead of returning it
// to its pool, so the next Take, on a pool of one connection, reads its
// own count (1), never the cut call's (5). The cut call does not mark
// Redis down either: the request ended, Redis did not fail.
func TestRedisCutCallLeavesNoStaleReply(t *testing.T) {
	s := startRedis(t)
	opts := rediscounter.FailFastRedisOptions(s.addr, testTimeout)
	opts.PoolSize = 1
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	c, err := rediscounter.NewRedisCounter(rdb, rediscounter.RedisOptions{Prefix: "cut:", Timeout: testTimeout})
	require.NoError(t, err)
	q := ratelimit.Quota{Namespace: "n", Limit: 100, Window: time.Minute, Cost: 1}
	_, err = c.Take(context.Background(), "warm", q) // the pool's one connection is open
	require.NoError(t, err)

	admin := s.client(t, testTimeout)
	require.NoError(t, admin.Do(context.Background(), "CLIENT", "PAUSE", "400", "ALL").Err())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	cut := q
	cut.Cost = 5
	_, err = c.Take(ctx, "a", cut)
	cancel()
	require.Error(t, err)
	assert.NotErrorIs(t, err, rediscounter.ErrRedisDown)

	res, err := c.Take(context.Background(), "b", q) // waits out the pause
	require.NoError(t, err)
	assert.EqualValues(t, 1, res.Current, "b's own count, not a's late reply")
	assert.True(t, res.Allowed)
}
