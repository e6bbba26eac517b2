package adaptive

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"
)

// queue holds the requests waiting for a slot, Critical ones apart from
// Normal ones (Sheddable requests never wait). Each waiter waits on its own
// goroutine, the request's; the queue only holds its record.
type queue struct {
	mu   sync.Mutex
	size int       // capacity, both classes together
	crit []*waiter // oldest first
	norm []*waiter // oldest first
	// late is now() when a waiter last waited longer than QueueTarget
	// (timed out, or was served late); zero for never.
	late time.Duration
}

type waiter struct {
	prio  Priority
	ready chan struct{} // closed when granted a slot
	evict context.CancelCauseFunc
	since time.Duration // now() when it joined the queue
	// Guarded by queue.mu.
	granted  bool
	removed  bool  // taken off the queue without a slot (evicted)
	inflight int64 // the in-flight count at the grant
}

func (q *queue) init(size int) { q.size = size }

func (q *queue) len() int { return len(q.crit) + len(q.norm) }

// standing reports a queue in which some request has waited longer than
// the target within the last interval: CoDel's sign of a queue that does
// not drain on its own (a burst that drains within the target is not
// one). Callers hold q.mu.
func (q *queue) standing(now, interval time.Duration) bool {
	return q.late > 0 && now-q.late <= interval
}

// served notes that w leaves the queue at now, and whether it waited past
// the target. Callers hold q.mu.
func (q *queue) served(w *waiter, now, target time.Duration) {
	if now-w.since > target {
		q.late = max(now, 1)
	}
}

// pop takes the next waiter to serve: Critical before Normal; within a
// class the oldest while the queue drains in time, the newest while it
// stands (the oldest have waited the longest and are the likeliest to be
// given up on by their clients). Callers hold q.mu.
func (q *queue) pop(now, interval time.Duration) *waiter {
	list := &q.crit
	if len(q.crit) == 0 {
		list = &q.norm
	}
	s := *list
	if len(s) == 0 {
		return nil
	}
	i := 0
	if q.standing(now, interval) {
		i = len(s) - 1
	}
	w := s[i]
	*list = slices.Delete(s, i, i+1)
	return w
}

// remove takes w off the queue; it reports whether w was on it.
func (q *queue) remove(w *waiter) bool {
	list := &q.norm
	if w.prio == Critical {
		list = &q.crit
	}
	i := slices.Index(*list, w)
	if i < 0 {
		return false
	}
	*list = slices.Delete(*list, i, i+1)
	return true
}

// grant gives w the slot counted in inflight. Callers hold q.mu.
func grant(w *waiter, inflight int64) {
	w.granted, w.inflight = true, inflight
	close(w.ready)
}

// handOff passes a slot its holder is done with straight to a waiter, when
// the slot is still within the limit; it reports whether it did.
func (q *queue) handOff(l *Limiter) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := l.inflight.Load()
	if n > l.limit.Load() {
		return false
	}
	now := l.now()
	w := q.pop(now, l.opts.QueueInterval)
	if w == nil {
		return false
	}
	l.queued.Add(-1)
	q.served(w, now, l.opts.QueueTarget)
	grant(w, n)
	return true
}

// grantFree gives free slots to waiters, as many as the limit allows.
func (q *queue) grantFree(l *Limiter) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.len() > 0 {
		n, ok := l.tryAcquire(Normal)
		if !ok {
			return
		}
		now := l.now()
		w := q.pop(now, l.opts.QueueInterval)
		l.queued.Add(-1)
		q.served(w, now, l.opts.QueueTarget)
		grant(w, n)
	}
}

// wait queues r for a slot. It returns the in-flight count once r holds
// one, or why it got none.
func (l *Limiter) wait(r *http.Request, prio Priority) (int64, *RejectedError) {
	l.saturate()
	reject := func(reason string, cause error) *RejectedError {
		return &RejectedError{Priority: prio, Limit: int(l.limit.Load()), InFlight: int(l.inflight.Load()), Reason: reason, cause: cause}
	}
	switch {
	case prio == Sheddable:
		return 0, reject("sheddable at capacity", nil)
	case l.q.size == 0:
		return 0, reject("no queue", nil)
	}
	q := &l.q
	ctx, evict := context.WithCancelCause(r.Context())
	defer evict(nil)
	w := &waiter{prio: prio, ready: make(chan struct{}), evict: evict}

	q.mu.Lock()
	if q.len() >= q.size {
		if prio != Critical || len(q.norm) == 0 {
			q.mu.Unlock()
			return 0, reject("queue full", nil)
		}
		// A Critical request pushes out the Normal waiter that has waited
		// the longest.
		victim := q.norm[0]
		q.norm = slices.Delete(q.norm, 0, 1)
		victim.removed = true
		l.queued.Add(-1)
		victim.evict(ErrEvicted)
	}
	now := l.now()
	timeout := l.opts.QueueInterval
	if q.standing(now, l.opts.QueueInterval) {
		timeout = l.opts.QueueTarget
	}
	w.since = now
	if prio == Critical {
		q.crit = append(q.crit, w)
	} else {
		q.norm = append(q.norm, w)
	}
	l.queued.Add(1)
	// A slot freed between tryAcquire and the line above went unseen by
	// its releaser, who found no waiter: look again now that w is queued.
	if n, ok := l.tryAcquire(prio); ok {
		q.remove(w)
		l.queued.Add(-1)
		q.mu.Unlock()
		return n, nil
	}
	q.mu.Unlock()

	ctx, cancel := context.WithTimeoutCause(ctx, timeout, ErrQueueTimeout)
	defer cancel()
	select {
	case <-w.ready:
		return w.inflight, nil
	case <-ctx.Done():
	}
	cause := context.Cause(ctx)
	q.mu.Lock()
	if w.granted {
		q.mu.Unlock()
		return w.inflight, nil
	}
	if !w.removed && q.remove(w) {
		l.queued.Add(-1)
	}
	if errors.Is(cause, ErrQueueTimeout) {
		// A wait cut at its cap did not drain in time, whatever the cap.
		q.late = max(l.now(), 1)
	}
	q.mu.Unlock()
	switch {
	case errors.Is(cause, ErrQueueTimeout):
		return 0, reject("wait timed out", ErrQueueTimeout)
	case errors.Is(cause, ErrEvicted):
		return 0, reject("evicted", ErrEvicted)
	}
	return 0, reject("request done while waiting", context.Cause(r.Context()))
}
