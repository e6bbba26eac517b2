package adaptive

import (
	"errors"
	"fmt"
)

// The causes with which the limiter ends a queued request's wait. The wait
// runs under a context derived from the request's; the limiter cancels it
// with one of these as its cause (context.Cause), and a RejectedError
// unwraps to it.
var (
	// ErrQueueTimeout ends a wait that reached the queue's time cap
	// (QueueInterval, or QueueTarget while a queue stands).
	ErrQueueTimeout = errors.New("adaptive: queue wait cap reached")
	// ErrEvicted ends the wait of a Normal request pushed out of a full
	// queue by a Critical one.
	ErrEvicted = errors.New("adaptive: evicted from the queue by a critical request")
)

// RejectedError is the cause of the limiter's 503: why the request got no
// slot. It is logged, never shown to the client. Unwrap returns what ended
// a wait: ErrQueueTimeout, ErrEvicted, or the cause of the request's own
// context (context.Canceled when net/http saw the client go, or whatever
// cause the server's code cancelled it with); nil for a request refused at
// once.
type RejectedError struct {
	Priority Priority
	Limit    int
	InFlight int
	Reason   string // "queue full", "no queue", "sheddable at capacity", "wait timed out", "evicted" or "request done while waiting"
	cause    error
}

// Error describes the refusal for logs.
func (e *RejectedError) Error() string {
	s := fmt.Sprintf("adaptive: over capacity (limit %d, in flight %d, %s request): %s", e.Limit, e.InFlight, e.Priority, e.Reason)
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap returns what ended the request's wait, if it waited.
func (e *RejectedError) Unwrap() error { return e.cause }
