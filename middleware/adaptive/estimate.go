package adaptive

import (
	"math"
	"time"
)

// window is what one measurement window saw.
type window struct {
	samples  int64         // measured requests that finished in the window
	latency  time.Duration // their mean latency, from slot to handler's return
	inflight float64       // mean in-flight count seen by them at admission
	// saturated reports that some request of the window found every slot
	// taken: the limit, not the traffic, bounded the concurrency.
	saturated bool
	// gap is how long the window lasted: from the previous window's close
	// to this one's.
	gap time.Duration
}

// estimator turns windows into limits. It is not safe for concurrent use:
// the limiter calls it under its window lock.
type estimator struct {
	min, max  float64
	tolerance float64
	idle      time.Duration // a window longer than this spans an idle spell

	limit float64
	// baseline is the mean latency of the fastest window, or of a slower
	// one measured at no more concurrency (baseInflight); zero means none
	// yet.
	baseline     time.Duration
	baseInflight float64
	last         time.Duration // the latest window's mean latency
	prev         time.Duration // the previous window's at the current limit, zero when none
	cutFrom      float64       // the limit before the current run of cuts, zero when none
	cutInflight  float64       // the in-flight count of the window that started it
	cutLatency   time.Duration // and its latency
}

func newEstimator(opts Options) *estimator {
	return &estimator{
		min:       float64(opts.MinLimit),
		max:       float64(opts.MaxLimit),
		tolerance: opts.Tolerance,
		idle:      max(5*time.Second, 50*opts.Window),
		limit:     float64(opts.InitialLimit),
	}
}

// observe revises the limit from one window and returns it.
//
// The baseline only falls, except on evidence that the server itself got
// slower: windows measured at no more concurrency than the baseline's own
// window, yet slower by more than Tolerance, two windows running. Latency
// that rises with concurrency is queueing and never moves the baseline, so a long overload cannot drag the baseline up
// to the overloaded latency and stop the limit from falling. When the
// server does get slower, the limit falls (the latency is above the
// baseline) until the concurrency is back at the baseline's, where the
// slower latency is accepted as the new baseline and the cuts on the way
// down are undone as far as the new baseline explains the latency that
// started them: back to the concurrency that window needed, by Little's
// law, at the new baseline.
//
// The limit then follows Little's law: at the baseline latency, the
// throughput of the window needs inflight*baseline/latency requests in
// flight; past Tolerance the limit drops a tenth below that (and never
// below half of itself in one window). The tenth is what keeps a baseline
// that was measured while requests queued from holding the limit above the
// knee for good: a cut to exactly that concurrency would measure the same
// latency again, a cut below it measures a lower one, and the baseline
// falls to it, a tenth a cycle, until it is the server's own. Within
// Tolerance the limit grows by half its square root, but only when the
// window was saturated: a limit that traffic does not reach is never
// raised, so it cannot creep up while the server idles. Under a steady
// overload the limit therefore cycles between a tenth below the knee and
// Tolerance past it.
//
// The latency compared is the lower of the window's and the previous
// window's, so that a single slow window (a garbage-collection pause, a
// noisy neighbour on the machine) does not cut the limit: a queue that
// needs a cut lasts longer than one window.
func (e *estimator) observe(w window) int {
	if w.samples == 0 || w.latency <= 0 {
		return e.current()
	}
	if w.gap > e.idle {
		// The window spans an idle spell: its few samples, some from
		// before the pause, say nothing about the server as it is now.
		// Drop it; the baseline and the limit stay, and the next window
		// is measured afresh.
		return e.current()
	}
	// The latency the limit follows is the lower of this window's and the
	// previous one's at the same limit: one slow window (a pause of the
	// process, a noisy neighbour) is not a queue, and a queue lasts.
	latency, confirmed := w.latency, e.prev > 0
	if confirmed {
		latency = min(latency, e.prev)
	}
	e.prev, e.last = w.latency, w.latency
	before := e.current()
	defer func() {
		if e.current() != before {
			e.prev = 0 // the next window measures another limit
		}
	}()
	if e.baseline == 0 {
		// The first window: it sets the baseline, and the limit stays.
		e.baseline, e.baseInflight = w.latency, w.inflight
		return e.current()
	}
	switch {
	case w.latency < e.baseline:
		e.baseline, e.baseInflight = w.latency, w.inflight
	case confirmed && w.inflight <= e.baseInflight && float64(latency) > e.tolerance*float64(e.baseline):
		// Slower past Tolerance at no more concurrency, two windows
		// running: the server itself got slower. (One slow window is not
		// evidence, and a slowdown within Tolerance needs no new
		// baseline: the limit already allows for it.) The cuts
		// that brought the concurrency down here were for a queue that
		// was not there: undo them.
		e.baseline, e.baseInflight = latency, w.inflight
		if e.cutFrom > 0 {
			// What the first cut should have been, by Little's law with
			// the baseline it should have used; measured from there on.
			e.limit = max(e.limit, min(e.cutFrom, e.cutInflight*float64(latency)/float64(e.cutLatency)))
			e.cutFrom = 0
			e.limit = min(max(e.limit, e.min), e.max)
			return e.current()
		}
	}
	ratio := float64(latency) / float64(e.baseline)
	switch {
	case ratio > e.tolerance && confirmed:
		if e.cutFrom == 0 {
			e.cutFrom, e.cutInflight, e.cutLatency = e.limit, w.inflight, latency
		}
		target := w.inflight / ratio * 0.9
		e.limit = max(target, e.limit/2)
	case w.saturated && float64(w.latency) <= e.tolerance*float64(e.baseline):
		// (A slow window that does not cut yet does not grow either.)
		e.limit += max(1, math.Sqrt(e.limit)/2)
		e.cutFrom = 0
	}
	e.limit = min(max(e.limit, e.min), e.max)
	return e.current()
}

func (e *estimator) current() int { return int(math.Round(e.limit)) }
