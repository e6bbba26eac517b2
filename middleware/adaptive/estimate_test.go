package adaptive

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

const ms = time.Millisecond

// server is a model of a server with workers slots and a service time: up
// to workers requests take service each; past that they queue inside the
// server, and the mean latency grows with the in-flight count.
func server(workers float64, service time.Duration) func(inflight float64) time.Duration {
	return func(inflight float64) time.Duration {
		if inflight <= workers {
			return service
		}
		return time.Duration(float64(service) * inflight / workers)
	}
}

// drive feeds e windows of a saturated server (traffic always at the
// limit), each at the limit e chose last, and returns the limits.
func drive(e *estimator, latency func(float64) time.Duration, windows int) []int {
	var out []int
	for range windows {
		in := float64(e.current())
		out = append(out, e.observe(window{samples: 100, latency: latency(in), inflight: in, saturated: true, gap: 100 * ms}))
	}
	return out
}

func newTestEstimator(o Options) *estimator { return newEstimator(o.withDefaults()) }

func TestEstimatorWindows(t *testing.T) {
	type step struct {
		w         window
		wantLimit int
		wantBase  time.Duration
	}
	tests := []struct {
		name  string
		opts  Options
		steps []step
	}{
		{
			name: "the first window sets the baseline and keeps the limit",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 5, gap: 100 * ms}, 20, 10 * ms},
			},
		},
		{
			name: "a saturated window within tolerance raises the limit by half its square root",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 5, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 12 * ms, inflight: 20, saturated: true, gap: 100 * ms}, 22, 10 * ms},
			},
		},
		{
			name: "an unsaturated window never raises the limit",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 5, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 10 * ms, inflight: 6, gap: 100 * ms}, 20, 10 * ms},
			},
		},
		{
			name: "queueing cuts the limit a tenth below the concurrency the throughput needs",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 8, gap: 100 * ms}, 20, 10 * ms},
				// 20 in flight at 1.6x the baseline, two windows running: the
				// throughput needs 12.5 at the baseline.
				{window{samples: 20, latency: 16 * ms, inflight: 20, saturated: true, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 16 * ms, inflight: 20, saturated: true, gap: 100 * ms}, 11, 10 * ms},
			},
		},
		{
			name: "one slow window (a pause, a noisy neighbour) neither cuts nor grows the limit",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 8, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 40 * ms, inflight: 20, saturated: true, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 10 * ms, inflight: 20, saturated: true, gap: 100 * ms}, 22, 10 * ms},
			},
		},
		{
			name: "a cut is at most half the limit per window",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 2, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 100 * ms, inflight: 20, saturated: true, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 100 * ms, inflight: 20, saturated: true, gap: 100 * ms}, 10, 10 * ms},
			},
		},
		{
			name: "slower at more concurrency is queueing: the baseline holds",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 8, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 12 * ms, inflight: 12, saturated: true, gap: 100 * ms}, 22, 10 * ms},
				{window{samples: 20, latency: 12 * ms, inflight: 12, saturated: true, gap: 100 * ms}, 25, 10 * ms},
			},
		},
		{
			name: "slower at no more concurrency, twice, is the server: the baseline rises",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 8, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 20 * ms, inflight: 8, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 20 * ms, inflight: 7, gap: 100 * ms}, 20, 20 * ms},
			},
		},
		{
			name: "faster at any concurrency lowers the baseline",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 3, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 8 * ms, inflight: 15, gap: 100 * ms}, 20, 8 * ms},
			},
		},
		{
			name: "a window spanning an idle spell is dropped: baseline and limit stay",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 3, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 30 * ms, inflight: 2, saturated: true, gap: time.Minute}, 20, 10 * ms},
				{window{samples: 20, latency: 5 * ms, inflight: 2, saturated: true, gap: time.Minute}, 20, 10 * ms},
			},
		},
		{
			name: "the floor holds",
			opts: Options{MinLimit: 8},
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 3, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 100 * ms, inflight: 10, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 100 * ms, inflight: 10, gap: 100 * ms}, 10, 10 * ms},
				// The first window at a new limit is not evidence on its own.
				{window{samples: 20, latency: 100 * ms, inflight: 10, gap: 100 * ms}, 10, 10 * ms},
				{window{samples: 20, latency: 100 * ms, inflight: 10, gap: 100 * ms}, 8, 10 * ms},
			},
		},
		{
			name: "the ceiling holds",
			opts: Options{MaxLimit: 22},
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 3, gap: 100 * ms}, 20, 10 * ms},
				{window{samples: 20, latency: 10 * ms, inflight: 20, saturated: true, gap: 100 * ms}, 22, 10 * ms},
			},
		},
		{
			name: "an empty window changes nothing",
			steps: []step{
				{window{samples: 20, latency: 10 * ms, inflight: 3, gap: 100 * ms}, 20, 10 * ms},
				{window{gap: 100 * ms}, 20, 10 * ms},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEstimator(tt.opts)
			for i, s := range tt.steps {
				assert.Equal(t, s.wantLimit, e.observe(s.w), "limit after window %d", i)
				assert.Equal(t, s.wantBase, e.baseline, "baseline after window %d", i)
			}
		})
	}
}

// The model server has 16 workers and 10ms of service. Starting at 20 (over
// the knee), the limit settles in a cycle from a tenth below the knee to
// Tolerance past it plus one step, and stays there through a long
// overload: the baseline never creeps up to the overloaded latency. (The
// bounds are 0.85x and 1.25x the knee, plus one step.)
func TestEstimatorSettlesAtTheKneeAndStaysThere(t *testing.T) {
	e := newTestEstimator(Options{})
	e.observe(window{samples: 100, latency: 10 * ms, inflight: 8, gap: 100 * ms}) // light traffic first
	limits := drive(e, server(16, 10*ms), 3000)                                   // five minutes of overload
	for i, l := range limits[20:] {
		assert.GreaterOrEqual(t, l, 14, "window %d: a tenth below the knee", i+20)
		assert.LessOrEqual(t, l, 23, "window %d: 1.25x the knee plus one step", i+20)
	}
	assert.Equal(t, 10*ms, e.baseline)
}

// Capacity halves (service 10ms → 20ms): the limit dips, the baseline
// moves to the new service time once the concurrency is down at the
// baseline's, and the limit comes back near the knee (which a worker pool
// keeps where it was) within a few dozen windows; then capacity recovers
// and the baseline falls back to the fast server's within a few cycles,
// even though the first fast windows are measured with requests queued.
func TestEstimatorFollowsACapacityChange(t *testing.T) {
	e := newTestEstimator(Options{})
	e.observe(window{samples: 100, latency: 10 * ms, inflight: 8, gap: 100 * ms})
	drive(e, server(16, 10*ms), 100)
	slow := drive(e, server(16, 20*ms), 100)
	assert.Equal(t, 20*ms, e.baseline, "the baseline follows the slower server")
	for i, l := range slow[50:] {
		assert.GreaterOrEqual(t, l, 14, "window %d", i+50)
		assert.LessOrEqual(t, l, 23, "window %d", i+50)
	}
	fast := drive(e, server(16, 10*ms), 100)
	assert.Equal(t, 10*ms, e.baseline, "the baseline falls back to the fast server's")
	for i, l := range fast[50:] {
		assert.GreaterOrEqual(t, l, 14, "window %d", i+50)
		assert.LessOrEqual(t, l, 23, "window %d", i+50)
	}
}

// Under latency flat at a timeout (every request takes the same time, the
// limit saturated), the limit must stop at the ceiling, not beyond; and a
// limit traffic never reaches does not grow at all.
func TestEstimatorDoesNotCreep(t *testing.T) {
	e := newTestEstimator(Options{MaxLimit: 100})
	e.observe(window{samples: 100, latency: time.Second, inflight: 5, gap: time.Second})
	for range 1000 {
		e.observe(window{samples: 100, latency: time.Second, inflight: 5, gap: time.Second})
	}
	assert.Equal(t, 20, e.current(), "unsaturated: no growth")
	drive(e, func(float64) time.Duration { return time.Second }, 1000)
	assert.Equal(t, 100, e.current())
}
