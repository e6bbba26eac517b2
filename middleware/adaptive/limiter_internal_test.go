package adaptive

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock makes l's clock one the test moves.
func fakeClock(l *Limiter) *atomic.Int64 {
	var now atomic.Int64
	l.clock = func() time.Duration { return time.Duration(now.Load()) }
	return &now
}

// held is a request holding a slot until released.
type held struct {
	name    string
	release chan struct{}
	done    chan int
}

// start serves a request named name through l in the background; its
// handler reports its name on entered and holds the slot until released.
func start(l *Limiter, name string, entered chan<- string) *held {
	hd := &held{name: name, release: make(chan struct{}), done: make(chan int, 1)}
	h := l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- name
		<-hd.release
		w.WriteHeader(http.StatusNoContent)
	}))
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		hd.done <- rec.Code
	}()
	return hd
}

func waitQueued(t *testing.T, l *Limiter, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for l.queued.Load() != n {
		require.False(t, time.Now().After(deadline), "timed out waiting for %d waiters", n)
		time.Sleep(time.Millisecond)
	}
}

// The queue is served oldest first while it drains in time, newest first
// once a request has waited past QueueTarget: here a is served an hour
// late (on the fake clock), and then c goes before b.
func TestQueueOrder(t *testing.T) {
	for _, tt := range []struct {
		name     string
		standing bool
		want     []string
	}{
		{"oldest first while the queue drains in time", false, []string{"a", "b", "c"}},
		{"newest first once a request waited past the target", true, []string{"a", "c", "b"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := New(Options{MinLimit: 1, MaxLimit: 1, QueueInterval: 2 * time.Hour, QueueTarget: time.Minute})
			now := fakeClock(l)
			entered := make(chan string, 10)
			first := start(l, "first", entered)
			<-entered
			var waiters []*held
			for i, name := range []string{"a", "b", "c"} {
				waiters = append(waiters, start(l, name, entered))
				waitQueued(t, l, int64(i+1))
			}
			if tt.standing {
				now.Store(int64(time.Hour))
			}
			close(first.release)
			var got []string
			for range waiters {
				name := <-entered
				got = append(got, name)
				for _, w := range waiters {
					if w.name == name {
						close(w.release)
					}
				}
			}
			assert.Equal(t, tt.want, got)
			for _, w := range append(waiters, first) {
				assert.Equal(t, http.StatusNoContent, <-w.done)
			}
		})
	}
}

// CoDel: once a request was served past QueueTarget, a request joining
// the queue within QueueInterval waits at most QueueTarget; after the
// interval, the full QueueInterval again.
func TestStandingQueueWaitsOnlyTheTarget(t *testing.T) {
	l := New(Options{MinLimit: 1, MaxLimit: 1, QueueInterval: time.Hour, QueueTarget: 10 * time.Millisecond})
	now := fakeClock(l)
	entered := make(chan string, 10)
	first := start(l, "first", entered)
	<-entered
	old := start(l, "old", entered)
	waitQueued(t, l, 1)
	now.Store(int64(time.Second))
	close(first.release)
	assert.Equal(t, "old", <-entered, "old is served a second late")

	begin := time.Now()
	late := start(l, "late", entered)
	assert.Equal(t, http.StatusServiceUnavailable, <-late.done)
	assert.Less(t, time.Since(begin), time.Hour)

	now.Store(int64(2 * time.Hour)) // an interval without a late request
	patient := start(l, "patient", entered)
	waitQueued(t, l, 1)
	close(old.release)
	assert.Equal(t, "patient", <-entered, "a request joining a drained queue gets the full interval")
	close(patient.release)
	assert.Equal(t, http.StatusNoContent, <-old.done)
	assert.Equal(t, http.StatusNoContent, <-patient.done)
}

// run serves n requests through h one after another, each taking lat on
// l's fake clock.
func run(l *Limiter, now *atomic.Int64, path string, n int, lat time.Duration) {
	h := l.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { now.Add(int64(lat)) }))
	for range n {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
}

// Health checks excluded by SkipMeasure take a slot but do not drag the
// baseline down; measured, they would.
func TestSkipMeasureKeepsCheapRequestsOutOfTheBaseline(t *testing.T) {
	for _, skip := range []bool{true, false} {
		o := Options{}
		if skip {
			o.SkipMeasure = func(r *http.Request) bool { return r.URL.Path == "/healthz" }
		}
		l := New(o)
		now := fakeClock(l)
		for range 10 {
			run(l, now, "/work", 10, 10*time.Millisecond)
			run(l, now, "/healthz", 30, 10*time.Microsecond)
		}
		base := l.Snapshot().Baseline
		if skip {
			assert.Equal(t, 10*time.Millisecond, base)
		} else {
			assert.Less(t, base, 5*time.Millisecond)
		}
	}
}

// The windows reach the estimator: a saturated limiter whose latency
// stays at the baseline raises its limit; one whose latency triples for
// two windows running cuts it.
func TestWindowsMoveTheLimit(t *testing.T) {
	l := New(Options{InitialLimit: 20})
	now := fakeClock(l)
	run(l, now, "/", 25, 10*time.Millisecond) // the first window: the baseline
	require.Equal(t, 10*time.Millisecond, l.Snapshot().Baseline)

	saturated := func(lat time.Duration, windows int) {
		for range windows {
			var starts []time.Duration
			var infl []int64
			for {
				n, ok := l.tryAcquire(Normal)
				if !ok {
					l.saturate()
					break
				}
				starts, infl = append(starts, l.now()), append(infl, n)
			}
			// Every request takes lat, and the last one finishes as the
			// window's time is up, closing the window with all of them.
			now.Add(int64(lat))
			last := len(starts) - 1
			for i := range last {
				l.finish(starts[i], infl[i])
			}
			now.Add(int64(l.opts.Window))
			l.finish(starts[last]+l.opts.Window, infl[last])
		}
	}
	saturated(10*time.Millisecond, 2)
	assert.Greater(t, l.Snapshot().Limit, 20)
	grown := l.Snapshot().Limit
	saturated(30*time.Millisecond, 3)
	assert.Less(t, l.Snapshot().Limit, grown)
	assert.Equal(t, 10*time.Millisecond, l.Snapshot().Baseline, "queueing never moves the baseline up")
	assert.Zero(t, l.Snapshot().InFlight)
}

// The window that spans an idle spell is dropped whole: the baseline and
// the limit it would have moved stay; the windows after it count.
func TestIdleSpellDropsItsWindow(t *testing.T) {
	l := New(Options{})
	now := fakeClock(l)
	run(l, now, "/", 25, 10*time.Millisecond)
	require.Equal(t, 10*time.Millisecond, l.Snapshot().Baseline)
	now.Add(int64(time.Minute))
	run(l, now, "/", 25, 5*time.Millisecond)
	assert.Equal(t, 10*time.Millisecond, l.Snapshot().Baseline, "the window across the pause is dropped")
	run(l, now, "/", 25, 5*time.Millisecond)
	assert.Equal(t, 5*time.Millisecond, l.Snapshot().Baseline, "the next one counts")
	assert.Equal(t, 20, l.Snapshot().Limit)
}

// Under heavy traffic only a sample of requests is measured (the clock
// reads are most of admission's cost); when traffic falls, every request
// is measured again.
func TestSamplingFollowsTheTraffic(t *testing.T) {
	l := New(Options{})
	now := fakeClock(l)
	run(l, now, "/", 25, 10*time.Millisecond) // the first window
	run(l, now, "/", 5000, 0)                 // 5000 requests within one window
	assert.Greater(t, l.stride.Load(), uint64(0), "a full window halves the measuring, again and again")
	// About 960 of the 5000 are measured (all of the first 128, half of
	// the next 256, ...); well under half, whatever the random picks.
	assert.Less(t, l.wSamples.Load(), int64(2500), "far fewer than 5000 were measured")
	for i := 0; l.stride.Load() > 0; i++ {
		require.Less(t, i, 100, "the stride never came back to 1")
		run(l, now, "/", 20, 10*time.Millisecond) // light traffic: windows of 20
	}
	assert.Equal(t, 10*time.Millisecond, l.Snapshot().Baseline)
}
