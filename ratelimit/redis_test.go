package ratelimit_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/httprate"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func redisCounter(t testing.TB, s *redisServer, prefix string) *ratelimit.RedisCounter {
	t.Helper()
	c, err := ratelimit.NewRedisCounter(s.client(t), ratelimit.RedisOptions{Prefix: prefix, Timeout: 150 * time.Millisecond})
	require.NoError(t, err)
	return c
}

func TestRedisCounterLimits(t *testing.T) {
	s := startRedis(t)
	h := limiter(t, ratelimit.Options{Limit: 3, Window: time.Minute, Counter: redisCounter(t, s, "t1:")})(okHandler)
	for i := 0; i < 3; i++ {
		require.Equal(t, 200, serve(h, "192.0.2.1:1").Code)
	}
	rec := serve(h, "192.0.2.1:1")
	assert.Equal(t, 429, rec.Code)
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))
	assert.Equal(t, 200, serve(h, "192.0.2.2:1").Code, "another client has its own budget")
}

func TestTwoInstancesShareOneLimit(t *testing.T) {
	s := startRedis(t)
	// Two limiters with their own clients, as two processes would have. A
	// one-hour window keeps the burst inside one window.
	a := limiter(t, ratelimit.Options{Limit: 100, Window: time.Hour, Counter: redisCounter(t, s, "shared:")})(okHandler)
	b := limiter(t, ratelimit.Options{Limit: 100, Window: time.Hour, Counter: redisCounter(t, s, "shared:")})(okHandler)
	admitted, refused := hammer(t, 64, 10, a, b)
	assert.Equal(t, 100, admitted, "exactly the limit across both instances")
	assert.Equal(t, 540, refused)
}

func TestRedisKilledMidRun(t *testing.T) {
	for _, policy := range []ratelimit.FailurePolicy{ratelimit.FailOpen, ratelimit.FailClosed} {
		t.Run(map[ratelimit.FailurePolicy]string{ratelimit.FailOpen: "fail-open", ratelimit.FailClosed: "fail-closed"}[policy], func(t *testing.T) {
			s := startRedis(t)
			var failures atomic.Int32
			h := limiter(t, ratelimit.Options{
				Limit: 1000, Window: time.Minute, Counter: redisCounter(t, s, "kill:"), OnFailure: policy,
				OnCounterError: func(*http.Request, error) { failures.Add(1) },
			})(okHandler)
			require.Equal(t, 200, serve(h, "192.0.2.1:1").Code)

			s.stop()
			want := 200
			if policy == ratelimit.FailClosed {
				want = 503
			}
			for i := 0; i < 10; i++ {
				start := time.Now()
				rec := serve(h, "192.0.2.1:1")
				took := time.Since(start)
				assert.Equal(t, want, rec.Code)
				assert.Less(t, took, time.Second, "nothing hangs past the timeout (took %v)", took)
				if want == 503 {
					assert.Equal(t, "1", rec.Header().Get("Retry-After"))
					assert.NotContains(t, rec.Body.String(), "127.0.0.1")
					assert.NotContains(t, rec.Body.String(), "refused")
				}
			}
			assert.Equal(t, int32(10), failures.Load(), "operators see every failure")
		})
	}
}

func TestRedisKeysHoldNoCredentials(t *testing.T) {
	s := startRedis(t)
	h := limiter(t, ratelimit.Options{Limit: 5, Window: time.Minute, Counter: redisCounter(t, s, "cred:"),
		Key: ratelimit.KeyByHeader("Authorization")})(okHandler)
	serve(h, "192.0.2.1:1", "Authorization", "Bearer super-secret-token")
	keys, err := s.client(t).Keys(context.Background(), "cred:*").Result()
	require.NoError(t, err)
	require.Len(t, keys, 1)
	assert.NotContains(t, keys[0], "super-secret")
	ttl, err := s.client(t).PTTL(context.Background(), keys[0]).Result()
	require.NoError(t, err)
	assert.Positive(t, ttl, "keys expire")
	assert.LessOrEqual(t, ttl, 3*time.Minute)
}

func TestRedisCounterNeedsContextTimeouts(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	_, err := ratelimit.NewRedisCounter(c, ratelimit.RedisOptions{})
	assert.ErrorIs(t, err, ratelimit.ErrNoContextTimeout)
	_, err = ratelimit.NewRedisCounter(nil, ratelimit.RedisOptions{})
	assert.Error(t, err)
}

// The accuracy across two instances in real time: a steady overload of a
// 1-second window, counted per second of the shared clock.
func TestRedisAccuracyAcrossInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for about 3 seconds")
	}
	s := startRedis(t)
	const limit = 200
	a := limiter(t, ratelimit.Options{Limit: limit, Window: time.Second, Counter: redisCounter(t, s, "acc:")})(okHandler)
	b := limiter(t, ratelimit.Options{Limit: limit, Window: time.Second, Counter: redisCounter(t, s, "acc:")})(okHandler)
	var mu sync.Mutex
	perSecond := map[int64]int{}
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
				if serve(h, "192.0.2.1:1").Code == 200 {
					// Redis and the test share this machine's clock.
					sec := time.Now().Unix()
					mu.Lock()
					perSecond[sec]++
					mu.Unlock()
				}
			}
		}(map[bool]http.Handler{true: a, false: b}[g%2 == 0])
	}
	wg.Wait()
	worst := 0
	for _, n := range perSecond {
		worst = max(worst, n)
	}
	t.Logf("admitted per second: %v (limit %d)", perSecond, limit)
	assert.LessOrEqual(t, float64(worst), limit*1.01)
}

func TestLimitCounterAdapter(t *testing.T) {
	c := ratelimit.NewLimitCounter(httprate.NewLocalLimitCounter(time.Hour))
	h := limiter(t, ratelimit.Options{Limit: 50, Window: time.Hour, Counter: c})(okHandler)
	admitted, _ := hammer(t, 16, 10, h)
	assert.Equal(t, 50, admitted)
	assert.True(t, strings.HasPrefix(serve(h, "192.0.2.1:1").Header().Get("RateLimit"), `"default";r=0;`))
}
