package ratelimit

import (
	"context"
	"errors"
	"time"
)

// Counter stores sliding-window counts. Take must check and count in one
// atomic step, so that concurrent requests (and, for a shared store, several
// instances) never admit more than the limit together.
type Counter interface {
	Take(ctx context.Context, key string, q Quota) (Result, error)
}

// Quota is what Take checks a request against.
type Quota struct {
	Limit  int64         // units admitted per Window
	Cost   int64         // units this request uses
	Window time.Duration // length of the fixed windows
	// Now is the limiter's clock. Counters with a clock of their own (Redis's
	// TIME, shared by every instance) may ignore it.
	Now time.Time
}

// Result is a counter's decision.
type Result struct {
	Allowed  bool
	Current  int64         // units counted in the current fixed window, after the decision
	Previous int64         // units counted in the previous fixed window
	Elapsed  time.Duration // time elapsed in the current fixed window
}

// ErrCounter is wrapped by the errors counters return when their store
// fails; errors.Is(err, ErrCounter) tells store failures apart.
var ErrCounter = errors.New("ratelimit: counter unavailable")

// windowIndex returns the fixed window now falls in and the time elapsed in
// it, aligned to the Unix epoch so that every instance agrees.
func windowIndex(now time.Time, window time.Duration) (int64, time.Duration) {
	ns := now.UnixNano()
	idx := ns / int64(window)
	return idx, time.Duration(ns - idx*int64(window))
}
