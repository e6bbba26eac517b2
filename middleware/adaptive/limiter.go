package adaptive

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faultline-go/faultline/errdoc"
)

// minWindowSamples is how many measured requests a window needs before it
// may revise the limit: fewer say too little about the latency.
const minWindowSamples = 20

// Limiter is an adaptive concurrency limiter. Its Handler method is the
// middleware; mount it on the route group whose concurrency it limits. One
// Limiter holds one limit: every route group it is mounted on shares it.
type Limiter struct {
	opts   Options
	header http.Header // Retry-After, read-only after construction
	epoch  time.Time   // the zero of now()
	clock  func() time.Duration

	limit    atomic.Int64 // the in-flight limit, from the estimator
	inflight atomic.Int64 // slots taken, by running handlers and by granted waiters
	queued   atomic.Int64 // waiters in the queue
	rejected atomic.Int64 // 503s answered, ever

	// The current window's counters. A request finishing while the window
	// closes may be counted in either window, or its parts in both: the
	// windows are statistics, not accounts.
	wStart     atomic.Int64 // now() when the window opened, in ns
	wSamples   atomic.Int64
	wLatency   atomic.Int64 // sum of the samples' latencies, in ns
	wInflight  atomic.Int64 // sum of the in-flight counts they saw
	wSaturated atomic.Bool
	changedAt  atomic.Int64  // now() when the limit last changed: requests admitted before are not measured
	stride     atomic.Uint64 // a request is measured when its random bits & stride are 0
	wMu        sync.Mutex    // held while a window closes
	est        *estimator    // guarded by wMu
	baseline   atomic.Int64
	latency    atomic.Int64

	q queue
}

// New returns a limiter configured by opts. It panics if opts is invalid
// (see Options).
func New(opts Options) *Limiter {
	opts = opts.withDefaults()
	l := &Limiter{
		opts:   opts,
		header: http.Header{"Retry-After": {retryAfterSeconds(opts.RetryAfter)}},
		epoch:  time.Now(),
		est:    newEstimator(opts),
	}
	l.limit.Store(int64(opts.InitialLimit))
	l.q.init(opts.QueueSize)
	return l
}

// now is the time since the limiter was made: monotonic and cheap.
func (l *Limiter) now() time.Duration {
	if l.clock != nil {
		return l.clock()
	}
	return time.Since(l.epoch)
}

// retryAfterSeconds formats d as Retry-After's delay-seconds, rounded up,
// at least 1.
func retryAfterSeconds(d time.Duration) string {
	return strconv.FormatInt(max(1, int64((d+time.Second-1)/time.Second)), 10)
}

// Handler is the middleware: it serves next under the limit, and answers
// 503 with Retry-After, through errdoc, to the requests it refuses.
func (l *Limiter) Handler(next http.Handler) http.Handler {
	return &handler{l: l, next: next}
}

type handler struct {
	l    *Limiter
	next http.Handler
}

// Unwrap returns the handler this one guards, so that errdoc's Handler
// mounted above can look through it for chi's RequestID below.
func (h *handler) Unwrap() http.Handler { return h.next }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l := h.l
	prio := Normal
	if l.opts.Priority != nil {
		prio = l.opts.Priority(r)
	}
	inflight, ok := l.tryAcquire(prio)
	if !ok {
		var rej *RejectedError
		inflight, rej = l.wait(r, prio)
		if rej != nil {
			l.rejected.Add(1)
			errdoc.Write(w, r, &errdoc.Error{
				Status:  http.StatusServiceUnavailable,
				Message: errdoc.Message{Key: "adaptive.at_capacity"},
				Public:  true,
				Header:  l.header,
				Cause:   rej,
			})
			return
		}
	}
	if (l.opts.SkipMeasure != nil && l.opts.SkipMeasure(r)) || !l.sampled() {
		defer l.release()
		h.next.ServeHTTP(w, r)
		return
	}
	start := l.now()
	defer l.finish(start, inflight)
	h.next.ServeHTTP(w, r)
}

// tryAcquire takes a slot if one is free for prio, and returns the
// in-flight count with it. A Sheddable request takes one only while no
// queue stands and a tenth of the limit is still free.
func (l *Limiter) tryAcquire(prio Priority) (int64, bool) {
	limit := l.limit.Load()
	if prio == Sheddable {
		if l.queued.Load() > 0 {
			return 0, false
		}
		limit -= limit / 10
	}
	for {
		n := l.inflight.Load()
		if n >= limit {
			return n, false
		}
		if l.inflight.CompareAndSwap(n, n+1) {
			return n + 1, true
		}
	}
}

// finish records a measured request's latency and releases its slot.
func (l *Limiter) finish(start time.Duration, inflight int64) {
	end := l.now()
	if start < time.Duration(l.changedAt.Load()) {
		// Admitted under another limit: its latency says nothing about
		// this one.
		l.release()
		return
	}
	n := l.wSamples.Add(1)
	l.wLatency.Add(int64(end - start))
	l.wInflight.Add(inflight)
	l.release()
	switch {
	case end-time.Duration(l.wStart.Load()) >= l.opts.Window && n >= minWindowSamples:
		l.closeWindow(end)
	case n >= fullWindow && n&(n-1) == 0:
		// The window has many more samples than it needs: measure half
		// as many requests from now on.
		if m := l.stride.Load(); m < maxStride {
			l.stride.CompareAndSwap(m, m<<1|1)
		}
	}
}

// Sampling. Reading the clock twice is most of the cost of admitting a
// request, and under heavy traffic a window gets far more measurements
// than it needs. So once a window has fullWindow samples, only one
// request in two is measured, then one in four, and so on (the stride, a
// mask of random bits that must be zero); a window that closes with fewer
// than fullWindow/4 halves the stride again. Requests are picked at
// random, so the means stay unbiased.
const (
	fullWindow = 128
	maxStride  = 1<<16 - 1
)

// sampled reports whether this request is measured.
func (l *Limiter) sampled() bool {
	m := l.stride.Load()
	return m == 0 || rand.Uint64()&m == 0
}

// release gives the slot to a waiter, or frees it.
func (l *Limiter) release() {
	if l.queued.Load() > 0 && l.q.handOff(l) {
		return
	}
	l.inflight.Add(-1)
	// A waiter that queued after the check above found every slot taken,
	// this one included; now that it is free, give it one.
	if l.queued.Load() > 0 {
		l.q.grantFree(l)
	}
}

// saturate marks the window as one in which the limit held traffic back.
func (l *Limiter) saturate() {
	if !l.wSaturated.Load() {
		l.wSaturated.Store(true)
	}
}

// closeWindow revises the limit from the window that ends at now, unless
// another request is already doing so.
func (l *Limiter) closeWindow(now time.Duration) {
	if !l.wMu.TryLock() {
		return
	}
	defer l.wMu.Unlock()
	start := time.Duration(l.wStart.Load())
	if now-start < l.opts.Window || l.wSamples.Load() < minWindowSamples {
		return // another request closed it first
	}
	l.wStart.Store(int64(now))
	n := l.wSamples.Swap(0)
	sum := l.wLatency.Swap(0)
	infl := l.wInflight.Swap(0)
	sat := l.wSaturated.Swap(false)
	if n <= 0 {
		return
	}
	if m := l.stride.Load(); n < fullWindow/4 && m > 0 {
		l.stride.Store(m >> 1)
	}
	limit := l.est.observe(window{
		samples:   n,
		latency:   time.Duration(sum / n),
		inflight:  float64(infl) / float64(n),
		saturated: sat,
		gap:       now - start,
	})
	if int64(limit) != l.limit.Load() {
		// A new limit takes about a baseline latency to fill the server
		// to its new level: requests admitted before then would be
		// measured against a server still settling.
		l.changedAt.Store(int64(now + l.est.baseline))
	}
	l.limit.Store(int64(limit))
	l.baseline.Store(int64(l.est.baseline))
	l.latency.Store(int64(l.est.last))
	// A higher limit frees slots for waiters.
	if l.queued.Load() > 0 {
		l.q.grantFree(l)
	}
}
