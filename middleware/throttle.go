package middleware

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/faultline-go/faultline/errdoc"
)

// ThrottleOptions configures ThrottleWithOptions. Only Limit is required;
// every other field documents what its zero value means.
type ThrottleOptions struct {
	// Limit is how many requests are served at once. It must be positive.
	Limit int

	// Backlog is how many more requests may wait for a slot. Zero means
	// none wait: a request over Limit is refused at once.
	Backlog int

	// BacklogTimeout is how long a request may wait in the backlog before
	// it is refused. Zero means 10 seconds. A request also stops waiting
	// when its context is done.
	BacklogTimeout time.Duration

	// RetryAfter is sent in the 503's Retry-After header, rounded up to
	// whole seconds. Zero means 1 second.
	RetryAfter time.Duration
}

// Throttle returns a middleware that serves at most limit requests at once
// and refuses the others at once with a 503 error document and a
// Retry-After header:
//
//	r.Use(middleware.Throttle(100))
//
// It limits concurrency across all clients of the route group it is
// mounted on, not the rate of one client (see package ratelimit). It panics
// if limit is not positive.
func Throttle(limit int) func(http.Handler) http.Handler {
	return ThrottleWithOptions(ThrottleOptions{Limit: limit})
}

// ThrottleBacklog is Throttle with a backlog: up to backlog requests over
// the limit wait up to timeout for a slot, in arrival order. It panics if
// limit is not positive or backlog is negative.
func ThrottleBacklog(limit, backlog int, timeout time.Duration) func(http.Handler) http.Handler {
	return ThrottleWithOptions(ThrottleOptions{Limit: limit, Backlog: backlog, BacklogTimeout: timeout})
}

// ThrottleWithOptions returns the limiter configured by opts. Each call
// returns a limiter with its own slots; mount the returned middleware on
// the route group the limit is for. A slot is released when the handler
// returns or panics.
//
// ThrottleWithOptions panics if opts.Limit is not positive, or Backlog,
// BacklogTimeout or RetryAfter is negative.
func ThrottleWithOptions(opts ThrottleOptions) func(http.Handler) http.Handler {
	switch {
	case opts.Limit < 1:
		panic(fmt.Sprintf("middleware: Throttle needs a positive limit, got %d", opts.Limit))
	case opts.Backlog < 0 || opts.BacklogTimeout < 0 || opts.RetryAfter < 0:
		panic("middleware: Throttle's Backlog, BacklogTimeout and RetryAfter must not be negative")
	}
	if opts.BacklogTimeout == 0 {
		opts.BacklogTimeout = 10 * time.Second
	}
	if opts.RetryAfter == 0 {
		opts.RetryAfter = time.Second
	}
	t := &throttle{
		opts:   opts,
		slots:  make(chan struct{}, opts.Limit),
		header: http.Header{"Retry-After": {retryAfterSeconds(opts.RetryAfter)}},
	}
	return func(next http.Handler) http.Handler {
		return &throttleHandler{t: t, next: next}
	}
}

// retryAfterSeconds formats d as Retry-After's delay-seconds, rounded up,
// at least 1.
func retryAfterSeconds(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return strconv.FormatInt(s, 10)
}

// OverloadError is the cause of a limiter's 503: Reason says why the
// request got no slot. It is logged, never shown to the client.
//
// Err is what ended a wait in the backlog: context.Cause of the wait's
// context, ErrBacklogTimeout when the wait timed out, else the request's
// own cause. A request whose client hung up while it waited ends with
// net/http's plain context.Canceled, which errdoc records as 499 and does
// not write (see errdoc.HungUp).
type OverloadError struct {
	Limit, Backlog int
	Reason         string // "backlog full", "wait timed out" or "request done while waiting"
	Err            error
}

// Error describes the refusal for logs.
func (e *OverloadError) Error() string {
	msg := fmt.Sprintf("over capacity (limit %d, backlog %d): %s", e.Limit, e.Backlog, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns what ended the wait, if anything did.
func (e *OverloadError) Unwrap() error { return e.Err }

type throttle struct {
	opts    ThrottleOptions
	slots   chan struct{} // one element per request being served
	waiting atomic.Int64  // requests in the backlog
	header  http.Header   // Retry-After, read-only after construction
}

type throttleHandler struct {
	t    *throttle
	next http.Handler
}

// Unwrap returns the handler this one guards, so that errdoc's Handler
// mounted above can look through it for chi's RequestID below.
func (h *throttleHandler) Unwrap() http.Handler { return h.next }

func (h *throttleHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := h.t
	select {
	case t.slots <- struct{}{}:
	default:
		if reason, err := t.wait(r.Context()); reason != "" {
			errdoc.Write(w, r, &errdoc.Error{
				Status:  http.StatusServiceUnavailable,
				Message: errdoc.Message{Key: "throttle.at_capacity"},
				Public:  true,
				Header:  t.header,
				Cause:   &OverloadError{Limit: t.opts.Limit, Backlog: t.opts.Backlog, Reason: reason, Err: err},
			})
			return
		}
	}
	defer func() { <-t.slots }()
	h.next.ServeHTTP(w, r)
}

// wait queues for a slot; it returns "" once it holds one, else why not
// and, when the wait's context ended, its cause. The wait ends at
// BacklogTimeout with the cause ErrBacklogTimeout.
func (t *throttle) wait(ctx context.Context) (string, error) {
	if t.waiting.Add(1) > int64(t.opts.Backlog) {
		t.waiting.Add(-1)
		return "backlog full", nil
	}
	defer t.waiting.Add(-1)
	wctx, cancel := context.WithTimeoutCause(ctx, t.opts.BacklogTimeout, ErrBacklogTimeout)
	defer cancel()
	select {
	case t.slots <- struct{}{}:
		return "", nil
	case <-wctx.Done():
		cause := context.Cause(wctx)
		if cause == ErrBacklogTimeout {
			return "wait timed out", cause
		}
		return "request done while waiting", cause
	}
}
