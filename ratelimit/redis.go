package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisOptions configures a RedisCounter. The zero value is ready to use.
type RedisOptions struct {
	// Prefix is put before every key. Empty means "faultline:ratelimit:".
	Prefix string
	// Timeout bounds every Redis call. Zero means 100ms.
	Timeout time.Duration
}

// RedisCounter is a Counter shared by every instance that uses the same
// Redis: one atomic Lua script per request checks and counts in a single
// round trip, and Redis's own clock (TIME) places the windows, so instances
// with skewed clocks still share one limit exactly. Nothing is locked in the
// process: concurrent requests run in parallel on go-redis's pool.
type RedisCounter struct {
	client  redis.Scripter
	prefix  string
	timeout time.Duration
}

// ErrNoContextTimeout is returned by NewRedisCounter for a client whose
// socket reads ignore context deadlines, which would let a dead Redis hang
// requests past RedisOptions.Timeout.
var ErrNoContextTimeout = errors.New("ratelimit: the redis client must be created with ContextTimeoutEnabled: true")

// NewRedisCounter returns a counter on client. For *redis.Client and
// *redis.ClusterClient it checks that ContextTimeoutEnabled is set, so that
// RedisOptions.Timeout holds on every call; it returns ErrNoContextTimeout
// otherwise.
func NewRedisCounter(client redis.Scripter, opts RedisOptions) (*RedisCounter, error) {
	if client == nil {
		return nil, errors.New("ratelimit: nil redis client")
	}
	switch c := client.(type) {
	case *redis.Client:
		if !c.Options().ContextTimeoutEnabled {
			return nil, ErrNoContextTimeout
		}
	case *redis.ClusterClient:
		if !c.Options().ContextTimeoutEnabled {
			return nil, ErrNoContextTimeout
		}
	}
	rc := &RedisCounter{client: client, prefix: opts.Prefix, timeout: opts.Timeout}
	if rc.prefix == "" {
		rc.prefix = "faultline:ratelimit:"
	}
	if rc.timeout <= 0 {
		rc.timeout = 100 * time.Millisecond
	}
	return rc, nil
}

// takeScript keeps one hash per key: w (window index), c (current count),
// p (previous count). Window indexes come from Redis's clock, in
// microseconds, which Lua's doubles hold exactly.
var takeScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local idx = math.floor(now / window)
local elapsed = now - idx * window
local v = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local w = tonumber(v[1]) or -1
local c = tonumber(v[2]) or 0
local p = tonumber(v[3]) or 0
local rolled = false
if w ~= idx then
  if w == idx - 1 then p = c else p = 0 end
  c = 0
  rolled = true
end
local allowed = 0
if p * (window - elapsed) / window + c + cost <= limit then
  allowed = 1
  c = c + cost
end
if allowed == 1 or rolled then
  redis.call('HSET', KEYS[1], 'w', string.format('%d', idx), 'c', c, 'p', p)
  redis.call('PEXPIRE', KEYS[1], math.ceil(window * 2 / 1000) + 1000)
end
return {allowed, c, p, elapsed}
`)

// Take implements Counter with one round trip. q.Now is ignored: Redis's
// clock is the one every instance shares.
func (c *RedisCounter) Take(ctx context.Context, key string, q Quota) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	windowUS := q.Window.Microseconds()
	if windowUS < 1 {
		windowUS = 1
	}
	vals, err := takeScript.Run(ctx, c.client, []string{c.prefix + key},
		strconv.FormatInt(windowUS, 10), strconv.FormatInt(q.Limit, 10), strconv.FormatInt(q.Cost, 10),
	).Int64Slice()
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrCounter, err)
	}
	if len(vals) != 4 {
		return Result{}, fmt.Errorf("%w: unexpected script reply of %d values", ErrCounter, len(vals))
	}
	return Result{
		Allowed:  vals[0] == 1,
		Current:  vals[1],
		Previous: vals[2],
		Elapsed:  time.Duration(vals[3]) * time.Microsecond,
	}, nil
}
