package ratelimit

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"time"
)

// HTTPRateCounter is the part of go-chi/httprate's LimitCounter interface
// that LimitCounter uses: every httprate.LimitCounter has these methods.
// It is declared here, not imported, so that a program that limits
// requests links httprate (and its hash) only if it uses httprate itself.
type HTTPRateCounter interface {
	Config(requestLimit int, windowLength time.Duration)
	IncrementBy(key string, currentWindow time.Time, amount int) error
	Get(key string, currentWindow, previousWindow time.Time) (int, int, error)
}

// LimitCounter adapts any httprate.LimitCounter (httprate's in-memory
// counter, httprate-redis, your own) to Counter, so stores written for
// httprate keep working. An httprate counter is configured with one limit
// and window (its Config method), so the adapter serves limiters of one
// window only; their keys are prefixed with their namespace, so that they
// never see each other's counts. Its Get and IncrementBy are two calls: the adapter
// makes them atomic within the process with a lock per key stripe (256
// stripes, so distinct keys rarely wait on each other, unlike httprate's
// single RateLimiter mutex), but not across instances. For a limit shared
// exactly by several instances, use package rediscounter's RedisCounter.
type LimitCounter struct {
	counter HTTPRateCounter
	seed    maphash.Seed
	stripes [256]sync.Mutex
	once    sync.Once

	claims Claims
	mu     sync.Mutex
	window time.Duration // of the first limiter claiming the adapter
}

// Claim implements Counter: the Claims rule, and one window for every
// limiter on the adapter.
func (a *LimitCounter) Claim(p Policy) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.window != 0 && a.window != p.Window {
		return fmt.Errorf("%w: an httprate.LimitCounter counts windows of %v, not %v: give each window its own adapter", ErrNamespaceConflict, a.window, p.Window)
	}
	if err := a.claims.Claim(p); err != nil {
		return err
	}
	a.window = p.Window
	return nil
}

// NewLimitCounter adapts c, an httprate.LimitCounter.
func NewLimitCounter(c HTTPRateCounter) *LimitCounter {
	return &LimitCounter{counter: c, seed: maphash.MakeSeed()}
}

// Take implements Counter. The windows are aligned to the Unix epoch, as
// httprate's counters expect for shared stores.
func (a *LimitCounter) Take(_ context.Context, key string, q Quota) (Result, error) {
	a.once.Do(func() { a.counter.Config(int(q.Limit), q.Window) })
	idx, elapsed := windowIndex(q.Now, q.Window)
	curr := time.Unix(0, idx*int64(q.Window)).UTC()
	prev := curr.Add(-q.Window)

	key = q.Namespace + "|" + key
	mu := &a.stripes[maphash.String(a.seed, key)%uint64(len(a.stripes))]
	mu.Lock()
	defer mu.Unlock()
	c, p, err := a.counter.Get(key, curr, prev)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrCounter, err)
	}
	res := Result{Current: int64(c), Previous: int64(p), Elapsed: elapsed}
	if !admits(res.Previous, res.Current, q.Cost, q.Limit, elapsed, q.Window) {
		return res, nil
	}
	if err := a.counter.IncrementBy(key, curr, int(q.Cost)); err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrCounter, err)
	}
	res.Allowed = true
	res.Current += q.Cost
	return res, nil
}
