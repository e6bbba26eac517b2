package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Counter stores sliding-window counts. Take must check and count in one
// atomic step, so that concurrent requests (and, for a shared store, several
// instances) never admit more than the limit together, and must keep the
// counts of every Quota.Namespace apart: two limiters on one Counter never
// see each other's counts.
//
// NewLimiter calls Claim once for the limiter it builds, so that a Counter
// can refuse a second limiter it could not tell apart from the first. Embed
// Claims in a Counter of your own to get the rule this package's counters
// follow.
type Counter interface {
	Take(ctx context.Context, key string, q Quota) (Result, error)
	Claim(p Policy) error
}

// Quota is what Take checks a request against.
type Quota struct {
	// Namespace identifies the limiter (Policy.Namespace): counts of
	// different namespaces never mix.
	Namespace string
	Limit     int64         // units admitted per Window
	Cost      int64         // units this request uses
	Window    time.Duration // length of the fixed windows
	// Now is the limiter's clock. Counters with a clock of their own (Redis's
	// TIME, shared by every instance) may ignore it.
	Now time.Time
}

// Policy is what identifies a limiter on a Counter.
type Policy struct {
	// Namespace is Options.Name when it is set; else it is derived from the
	// limit and the window ("~100/1m0s"), which no Name can spell, so that
	// instances of one service built alike share their counts on one Redis.
	Namespace string
	// Named reports whether Namespace is Options.Name.
	Named  bool
	Limit  int64
	Window time.Duration
}

// policyFor returns the policy of a limiter named name ("" for none).
func policyFor(name string, limit int64, window time.Duration) Policy {
	if name != "" {
		return Policy{Namespace: name, Named: true, Limit: limit, Window: window}
	}
	return Policy{Namespace: "~" + strconv.FormatInt(limit, 10) + "/" + window.String(), Limit: limit, Window: window}
}

// ErrNamespaceConflict is returned by NewLimiter when its limiter cannot be
// told apart from one already using the same Counter: two limiters with one
// Name and different limits or windows, or two unnamed limiters with the
// same limit and window. Give them distinct Names.
var ErrNamespaceConflict = errors.New("ratelimit: two limiters on one Counter cannot be told apart")

// Claims implements Counter.Claim for the counters of this package; embed
// it in your own. It holds the policies of the limiters built on one Counter
// value in this process: a Name may be claimed again with the same limit and
// window (one policy mounted on several routes, deliberately sharing one
// budget), never with others, and an unnamed policy only once. Instances of
// a service are separate processes: their unnamed limiters derive the same
// namespaces and share their counts, as they should.
type Claims struct {
	mu sync.Mutex
	m  map[string]Policy
}

// Claim records p, or returns an error wrapping ErrNamespaceConflict.
func (c *Claims) Claim(p Policy) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, taken := c.m[p.Namespace]
	switch {
	case !taken:
		if c.m == nil {
			c.m = make(map[string]Policy)
		}
		c.m[p.Namespace] = p
		return nil
	case !p.Named:
		return fmt.Errorf("%w: a second limiter of %d per %v without a Name: set Options.Name on each", ErrNamespaceConflict, p.Limit, p.Window)
	case old.Limit != p.Limit || old.Window != p.Window:
		return fmt.Errorf("%w: Name %q is %d per %v already, not %d per %v", ErrNamespaceConflict, p.Namespace, old.Limit, old.Window, p.Limit, p.Window)
	}
	return nil
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
