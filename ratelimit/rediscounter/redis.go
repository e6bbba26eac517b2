package rediscounter

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/faultline-go/faultline/ratelimit"
)

// RedisOptions configures a RedisCounter. The zero value is ready to use.
type RedisOptions struct {
	// Prefix is put before every key. Empty means "faultline:ratelimit:".
	// Give each service sharing one Redis a Prefix of its own (say
	// "search-api:ratelimit:"): unnamed limiters of two services with the
	// same limit and window would share their counts otherwise.
	Prefix string

	// Timeout bounds every Redis call. Zero means 100ms.
	Timeout time.Duration

	// RetryInterval is how often a failing Redis is tried again. Once a call
	// fails, the counter fails every request at once, without calling Redis,
	// and lets one request each RetryInterval probe it (for a *redis.Client,
	// by dialling Redis outside the client's pool, so that the pool never
	// piles up dial errors and enters go-redis's one-second redial loop).
	// The first request after a successful probe is counted again. Under
	// ratelimit.FailOpen, the requests of that interval are admitted
	// uncounted, as they would be after each waiting out its Timeout; under
	// ratelimit.FailClosed they are refused. Zero means 50ms.
	RetryInterval time.Duration
}

// RedisKeyVersion is the version of the Redis key layout, part of every
// key. It changes whenever the layout or the stored fields do, so that
// instances of two versions never misread each other's entries.
const RedisKeyVersion = "v1"

// RedisCounter is a ratelimit.Counter shared by every instance that uses the same
// Redis: one atomic Lua script per request checks and counts in a single
// round trip, and Redis's own clock (TIME) places the windows, so instances
// with skewed clocks still share one limit exactly while Redis answers.
// While Redis is slow or down, a request whose call fails is not counted
// (ratelimit.FailOpen admits it, ratelimit.FailClosed refuses it with a 503), and a call that
// timed out after Redis ran it counts a unit the request did not get.
//
// Key layout (version v1), one hash per limiter and client:
//
//	<Prefix>v1|<namespace>|<key>  fields w (window number), c (current count), p (previous count)
//
// The namespace is the limiter's Options.Name, or "~<limit>/<window>" (say
// "~100/1m0s") for an unnamed one; neither can contain "|". Keys longer than
// 96 bytes are stored as "sha256:" and their hash. An entry is written only
// when a request is admitted and expires at the end of the window after its
// own, so a refused or made-up key costs Redis nothing and an entry lives at
// most two windows.
type RedisCounter struct {
	ratelimit.Claims
	client  redis.Scripter
	prefix  string
	timeout time.Duration
	retry   int64                        // RetryInterval in nanoseconds
	dial    func(context.Context) error  // the probe, nil to probe with a real call
	now     func() time.Time             // for the retry schedule
	down    atomic.Int64                 // Unix ns of the next probe; 0 while Redis answers
	lastErr atomic.Pointer[redisFailure] // why Redis is down
}

type redisFailure struct{ err error }

// ErrNoContextTimeout is returned by NewRedisCounter for a client whose
// socket reads ignore context deadlines, which would let a dead Redis hang
// requests past RedisOptions.Timeout.
var ErrNoContextTimeout = errors.New("ratelimit: the redis client must be created with ContextTimeoutEnabled: true")

// ErrRedisDown is wrapped (with ratelimit.ErrCounter) by the errors Take
// returns at once, without calling Redis, while a failed Redis waits for
// its next probe.
var ErrRedisDown = errors.New("redis failed recently; waiting for the next probe")

// FailFastRedisOptions returns go-redis client options for addr that suit a
// rate limiter: every call bounded by timeout (the RedisOptions.Timeout you
// use), one dial attempt (go-redis's default is five, 100ms apart), no
// command retries (the limiter's FailurePolicy decides, at once), and a pool
// wait no longer than the timeout. Set the other fields (Password, TLS,
// PoolSize, ...) on the result. PoolSize should cover the requests you
// serve at once: an outage's first burst of failed dials must stay under
// it, or go-redis stops dialling and probes only once a second.
func FailFastRedisOptions(addr string, timeout time.Duration) *redis.Options {
	if timeout <= 0 {
		timeout = 100 * time.Millisecond
	}
	return &redis.Options{
		Addr:                  addr,
		ContextTimeoutEnabled: true,
		DialTimeout:           timeout,
		ReadTimeout:           timeout,
		WriteTimeout:          timeout,
		PoolTimeout:           timeout,
		DialerRetries:         1,
		MaxRetries:            -1,
	}
}

// NewRedisCounter returns a counter on client; create it with
// FailFastRedisOptions, or with options like them. For *redis.Client and
// *redis.ClusterClient it checks that ContextTimeoutEnabled is set, so that
// RedisOptions.Timeout holds on every call; it returns ErrNoContextTimeout
// otherwise.
func NewRedisCounter(client redis.Scripter, opts RedisOptions) (*RedisCounter, error) {
	if client == nil {
		return nil, errors.New("ratelimit: nil redis client")
	}
	rc := &RedisCounter{client: client, prefix: opts.Prefix, timeout: opts.Timeout, retry: int64(opts.RetryInterval), now: time.Now}
	switch c := client.(type) {
	case *redis.Client:
		o := c.Options()
		if !o.ContextTimeoutEnabled {
			return nil, ErrNoContextTimeout
		}
		if o.Dialer != nil {
			network, addr, dialer := o.Network, o.Addr, o.Dialer
			rc.dial = func(ctx context.Context) error {
				conn, err := dialer(ctx, network, addr)
				if err != nil {
					return err
				}
				return conn.Close()
			}
		}
	case *redis.ClusterClient:
		if !c.Options().ContextTimeoutEnabled {
			return nil, ErrNoContextTimeout
		}
	}
	if rc.prefix == "" {
		rc.prefix = "faultline:ratelimit:"
	}
	if rc.timeout <= 0 {
		rc.timeout = 100 * time.Millisecond
	}
	if rc.retry <= 0 {
		rc.retry = int64(50 * time.Millisecond)
	}
	return rc, nil
}

// takeScript keeps one hash per key: w (window number), c (current count),
// p (previous count). Window numbers come from Redis's clock, in
// microseconds, which Lua's doubles hold exactly. It writes only what it
// admits, and keeps an entry until the end of the window after its own.
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
if w ~= idx then
  if w == idx - 1 then p = c else p = 0 end
  c = 0
end
local allowed = 0
if p * (window - elapsed) / window + c + cost <= limit then
  allowed = 1
  c = c + cost
  redis.call('HSET', KEYS[1], 'w', string.format('%d', idx), 'c', c, 'p', p)
  redis.call('PEXPIRE', KEYS[1], math.ceil((2 * window - elapsed) / 1000))
end
return {allowed, c, p, elapsed}
`)

// RedisKey returns the Redis key of a limiter's namespace and client key.
func (c *RedisCounter) RedisKey(namespace, key string) string {
	return c.prefix + RedisKeyVersion + "|" + namespace + "|" + storedKey(key)
}

// Take implements ratelimit.Counter with one round trip. q.Now is ignored: Redis's
// clock is the one every instance shares.
func (c *RedisCounter) Take(ctx context.Context, key string, q ratelimit.Quota) (ratelimit.Result, error) {
	if next := c.down.Load(); next != 0 {
		now := c.now().UnixNano()
		if now < next || !c.down.CompareAndSwap(next, now+c.retry) {
			return ratelimit.Result{}, c.downErr()
		}
		// This request probes.
		if c.dial != nil {
			pctx, cancel := context.WithTimeout(ctx, c.timeout)
			err := c.dial(pctx)
			cancel()
			if err != nil {
				return ratelimit.Result{}, c.fail(ctx, err)
			}
		}
	}
	tctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	windowUS := max(q.Window.Microseconds(), 1)
	vals, err := takeScript.Run(tctx, c.client, []string{c.RedisKey(q.Namespace, key)},
		strconv.FormatInt(windowUS, 10), strconv.FormatInt(q.Limit, 10), strconv.FormatInt(q.Cost, 10),
	).Int64Slice()
	if err != nil {
		return ratelimit.Result{}, c.fail(ctx, err)
	}
	if c.down.Load() != 0 {
		c.down.Store(0)
	}
	if len(vals) != 4 {
		return ratelimit.Result{}, fmt.Errorf("%w: unexpected script reply of %d values", ratelimit.ErrCounter, len(vals))
	}
	return ratelimit.Result{
		Allowed:  vals[0] == 1,
		Current:  vals[1],
		Previous: vals[2],
		Elapsed:  time.Duration(vals[3]) * time.Microsecond,
	}, nil
}

// fail records a failed call and returns its error. A call cut short by
// the request's own context (the client went away, or its deadline came)
// says nothing about Redis. The deadline is checked as well as ctx.Err():
// go-redis sets the connection's read deadline to the context's, and the
// read can time out a moment before the context's own timer marks it done.
func (c *RedisCounter) fail(ctx context.Context, err error) error {
	if !requestEnded(ctx) {
		c.lastErr.Store(&redisFailure{err: err})
		c.down.Store(c.now().UnixNano() + c.retry)
	}
	return fmt.Errorf("%w: %w", ratelimit.ErrCounter, err)
}

func (c *RedisCounter) downErr() error {
	if f := c.lastErr.Load(); f != nil {
		return fmt.Errorf("%w: %w: %w", ratelimit.ErrCounter, ErrRedisDown, f.err)
	}
	return fmt.Errorf("%w: %w", ratelimit.ErrCounter, ErrRedisDown)
}

// requestEnded reports whether ctx, the request's, has ended: done, or past
// its deadline. go-redis gives the socket the context's deadline, and the
// socket's timeout can be reported a moment before the context's own timer
// marks it done: that call was cut by the request, not failed by Redis.
func requestEnded(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	dl, ok := ctx.Deadline()
	return ok && !time.Now().Before(dl)
}
