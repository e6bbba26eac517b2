package middleware

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"time"
)

// deadlines arms the deadlines of one Timeout's requests without a timer
// per request. Every request under one Timeout has the same duration, so
// deadlines come due in the order the requests arrived: each shard keeps
// its requests in a list in that order and one timer armed no later than
// the first one's deadline. A request costs a link in a list (no
// allocation, no timer to add to and delete from the runtime's heap); the
// timer fires about once per deadline, expires what is due and re-arms
// for the new first request.
//
// The shards (one per P at construction) keep requests on different cores
// from contending for one lock.
type deadlines struct {
	shards []deadlineShard
}

type deadlineShard struct {
	mu         sync.Mutex
	head, tail *timeoutCtx // queued contexts, earliest deadline first
	timer      *time.Timer // made on first use, then Reset
	armed      bool        // timer will fire, no later than head's deadline

	_ [32]byte // a cache line of its own
}

func newDeadlines() *deadlines {
	return &deadlines{shards: make([]deadlineShard, max(1, runtime.GOMAXPROCS(0)))}
}

// add queues c, whose deadline is set, on a shard picked at random.
func (q *deadlines) add(c *timeoutCtx) {
	s := &q.shards[rand.Uint32()%uint32(len(q.shards))]
	c.shard = s
	s.mu.Lock()
	c.prev = s.tail
	if s.tail != nil {
		s.tail.next = c
	} else {
		s.head = c
	}
	s.tail = c
	c.queued = true
	if !s.armed {
		// Armed or not, a timer never waits past the head's deadline: later
		// requests have later deadlines.
		s.armed = true
		if s.timer == nil {
			s.timer = time.AfterFunc(time.Until(c.deadline), s.fire)
		} else {
			s.timer.Reset(time.Until(c.deadline))
		}
	}
	s.mu.Unlock()
}

// unqueue removes c from its shard if the timer has not taken it yet. The
// middleware calls it before ServeHTTP returns, so no list holds a request
// after that.
func (c *timeoutCtx) unqueue() {
	s := c.shard
	if s == nil {
		return
	}
	s.mu.Lock()
	if c.queued {
		if c.prev != nil {
			c.prev.next = c.next
		} else {
			s.head = c.next
		}
		if c.next != nil {
			c.next.prev = c.prev
		} else {
			s.tail = c.prev
		}
		c.prev, c.next, c.queued = nil, nil, false
	}
	s.mu.Unlock()
}

// fire is the shard's timer function: it takes the contexts that are due
// off the list, re-arms for the next one, and expires them.
func (s *deadlineShard) fire() {
	now := time.Now()
	var due, last *timeoutCtx
	s.mu.Lock()
	for s.head != nil && !s.head.deadline.After(now) {
		c := s.head
		s.head = c.next
		c.prev, c.next, c.queued = nil, nil, false
		if last != nil {
			last.next = c
		} else {
			due = c
		}
		last = c
	}
	if s.head != nil {
		s.head.prev = nil
		s.timer.Reset(s.head.deadline.Sub(now))
	} else {
		s.tail = nil
		s.armed = false
	}
	s.mu.Unlock()
	// Off the list, next links only the due ones, and no one else touches
	// it once queued is false.
	for c := due; c != nil; {
		next := c.next
		c.next = nil
		c.expire()
		c = next
	}
}
