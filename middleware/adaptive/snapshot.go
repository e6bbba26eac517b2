package adaptive

import "time"

// Snapshot is the limiter's state at one moment, for metrics and
// dashboards. Its fields are read one by one, not under one lock: under
// traffic they may disagree by a request or two.
type Snapshot struct {
	Limit    int   // the in-flight limit
	InFlight int   // slots taken
	Queued   int   // requests waiting for a slot
	Rejected int64 // 503s answered since the limiter was made

	// Baseline is the latency the limit measures against: the mean of the
	// fastest window at the lowest concurrency seen (zero before the first
	// window). Latency is the mean latency of the latest window.
	Baseline, Latency time.Duration
}

// Snapshot returns the limiter's current state. It is safe to call at any
// time from any goroutine, and cheap enough to poll.
func (l *Limiter) Snapshot() Snapshot {
	return Snapshot{
		Limit:    int(l.limit.Load()),
		InFlight: int(l.inflight.Load()),
		Queued:   int(l.queued.Load()),
		Rejected: l.rejected.Load(),
		Baseline: time.Duration(l.baseline.Load()),
		Latency:  time.Duration(l.latency.Load()),
	}
}
