package ratelimit

import (
	"math/rand/v2"
	"testing"
	"time"
)

// advance returns the counts and elapsed time d after (prev, curr, elapsed),
// when nothing else is admitted.
func advance(prev, curr int64, elapsed, d, window time.Duration) (int64, int64, time.Duration) {
	e := elapsed + d
	switch {
	case e < window:
		return prev, curr, e
	case e < 2*window:
		return curr, 0, e - window
	}
	return 0, 0, e % window
}

// TestRetryAfterIsTheExactWait checks, over many random states, that a
// refused request is admitted after retryAfter and still refused a
// millisecond before: the wait is neither optimistic nor padded.
func TestRetryAfterIsTheExactWait(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	checked := 0
	for i := 0; i < 200000; i++ {
		window := time.Duration(1+rng.IntN(3600)) * time.Second
		limit := int64(1 + rng.IntN(500))
		cost := int64(1 + rng.IntN(int(min(limit, 5))))
		prev := int64(rng.IntN(int(limit) + 1))
		curr := int64(rng.IntN(int(limit) + 1))
		elapsed := time.Duration(rng.Int64N(int64(window)))
		if admits(prev, curr, cost, limit, elapsed, window) {
			continue
		}
		checked++
		wait := retryAfter(prev, curr, cost, limit, elapsed, window)
		if wait <= 0 {
			t.Fatalf("non-positive wait %v for prev=%d curr=%d cost=%d limit=%d elapsed=%v window=%v", wait, prev, curr, cost, limit, elapsed, window)
		}
		p, c, e := advance(prev, curr, elapsed, wait+time.Microsecond, window)
		if !admits(p, c, cost, limit, e, window) {
			t.Fatalf("refused after the wait %v: prev=%d curr=%d cost=%d limit=%d elapsed=%v window=%v", wait, prev, curr, cost, limit, elapsed, window)
		}
		if wait > time.Millisecond {
			p, c, e = advance(prev, curr, elapsed, wait-time.Millisecond, window)
			if admits(p, c, cost, limit, e, window) {
				t.Fatalf("admitted before the wait %v: prev=%d curr=%d cost=%d limit=%d elapsed=%v window=%v", wait, prev, curr, cost, limit, elapsed, window)
			}
		}
		// The header rounds up to whole seconds: one second less is too early.
		secs := wholeSeconds(wait)
		if d := time.Duration(secs-1) * time.Second; secs > 1 {
			p, c, e = advance(prev, curr, elapsed, d, window)
			if admits(p, c, cost, limit, e, window) {
				t.Fatalf("Retry-After %d is not the least whole number of seconds (wait %v)", secs, wait)
			}
		}
	}
	if checked < 10000 {
		t.Fatalf("only %d refused states checked", checked)
	}
}

func TestWindowIndexAlignsToEpoch(t *testing.T) {
	idx, e := windowIndex(time.Unix(125, 0), time.Minute)
	if idx != 2 || e != 5*time.Second {
		t.Fatalf("got %d %v", idx, e)
	}
}
