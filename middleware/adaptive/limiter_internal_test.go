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

// The queue is served oldest first while it comes and goes, newest first
// once it has stood (not been empty) for QueueInterval.
func TestQueueOrder(t *testing.T) {
	for _, tt := range []struct {
		name     string
		standing bool
		want     []string
	}{
		{"oldest first while the queue comes and goes", false, []string{"a", "b", "c"}},
		{"newest first while a queue stands", true, []string{"c", "b", "a"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := New(Options{MinLimit: 1, MaxLimit: 1, QueueInterval: time.Hour, QueueTarget: time.Hour})
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
				now.Store(int64(2 * time.Hour))
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

// CoDel: a request joining a queue that has stood for QueueInterval waits
// at most QueueTarget.
func TestStandingQueueWaitsOnlyTheTarget(t *testing.T) {
	l := New(Options{MinLimit: 1, MaxLimit: 1, QueueInterval: time.Hour, QueueTarget: 10 * time.Millisecond})
	now := fakeClock(l)
	entered := make(chan string, 10)
	first := start(l, "first", entered)
	<-entered
	old := start(l, "old", entered)
	waitQueued(t, l, 1)
	now.Store(int64(2 * time.Hour))
	begin := time.Now()
	late := start(l, "late", entered)
	assert.Equal(t, http.StatusServiceUnavailable, <-late.done)
	assert.Less(t, time.Since(begin), time.Hour)
	close(first.release)
	assert.Equal(t, "old", <-entered, "the old waiter kept its hour")
	close(old.release)
	assert.Equal(t, http.StatusNoContent, <-old.done)
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
