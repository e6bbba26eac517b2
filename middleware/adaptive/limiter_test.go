package adaptive_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware/adaptive"
	"github.com/faultline-go/faultline/recoverer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// gate holds each request until released, counting those inside.
type gate struct {
	inside, peak atomic.Int32
	entered      chan string
	release      chan struct{}
}

func newGate() *gate { return &gate{entered: make(chan string, 1000), release: make(chan struct{})} }

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := g.inside.Add(1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	g.entered <- r.Header.Get("X-Name")
	<-g.release
	g.inside.Add(-1)
	w.WriteHeader(http.StatusNoContent)
}

// rig is a limiter behind an errdoc renderer that reports each refusal's
// cause by the request's X-Name.
type rig struct {
	l       *adaptive.Limiter
	h       http.Handler
	mu      sync.Mutex
	refused map[string]*adaptive.RejectedError
}

func newRig(opts adaptive.Options, next http.Handler) *rig {
	rg := &rig{l: adaptive.New(opts), refused: map[string]*adaptive.RejectedError{}}
	rd := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger(), Observe: func(o errdoc.Observation) {
		var rej *adaptive.RejectedError
		if errors.As(o.Cause, &rej) {
			rg.mu.Lock()
			rg.refused[o.RequestID] = rej
			rg.mu.Unlock()
		}
	}})
	rg.h = rd.Handler(rg.l.Handler(next))
	return rg
}

func (rg *rig) refusal(name string) *adaptive.RejectedError {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	return rg.refused[name]
}

// serve runs one request named name in the background.
func (rg *rig) serve(ctx context.Context, name string, hdr ...string) <-chan *httptest.ResponseRecorder {
	out := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
		req.Header.Set("X-Name", name)
		req.Header.Set("X-Request-ID", name)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rg.h.ServeHTTP(rec, req)
		out <- rec
	}()
	return out
}

// waitFor polls cond until it holds; the bound only keeps a broken limiter
// from hanging the test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// fixed pins the limit at n: no window can move it.
func fixed(n int, o adaptive.Options) adaptive.Options {
	o.MinLimit, o.MaxLimit, o.InitialLimit = n, n, n
	return o
}

func byHeader(r *http.Request) adaptive.Priority {
	switch r.Header.Get("X-Priority") {
	case "critical":
		return adaptive.Critical
	case "sheddable":
		return adaptive.Sheddable
	}
	return adaptive.Normal
}

func TestRefusesOverTheLimitWith503(t *testing.T) {
	g := newGate()
	rg := newRig(fixed(2, adaptive.Options{QueueSize: -1, RetryAfter: 1500 * time.Millisecond}), g)
	ctx := context.Background()
	a, b := rg.serve(ctx, "a"), rg.serve(ctx, "b")
	<-g.entered
	<-g.entered
	rec := <-rg.serve(ctx, "over")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "2", rec.Header().Get("Retry-After"), "1.5 s rounds up")
	assert.Contains(t, rec.Body.String(), `"code":"service_unavailable"`)
	assert.Contains(t, rec.Body.String(), "at capacity")
	require.NotNil(t, rg.refusal("over"))
	assert.Equal(t, "no queue", rg.refusal("over").Reason)
	assert.Equal(t, adaptive.Snapshot{Limit: 2, InFlight: 2, Rejected: 1}, rg.l.Snapshot())
	close(g.release)
	assert.Equal(t, http.StatusNoContent, (<-a).Code)
	assert.Equal(t, http.StatusNoContent, (<-b).Code)
	assert.Zero(t, rg.l.Snapshot().InFlight)
}

func TestQueuedRequestGetsTheFreedSlot(t *testing.T) {
	g := newGate()
	rg := newRig(fixed(1, adaptive.Options{QueueInterval: time.Minute}), g)
	ctx := context.Background()
	first := rg.serve(ctx, "first")
	<-g.entered
	second := rg.serve(ctx, "second")
	waitFor(t, "second to queue", func() bool { return rg.l.Snapshot().Queued == 1 })
	g.release <- struct{}{}
	assert.Equal(t, "second", <-g.entered)
	assert.Equal(t, adaptive.Snapshot{Limit: 1, InFlight: 1}, rg.l.Snapshot())
	close(g.release)
	assert.Equal(t, http.StatusNoContent, (<-first).Code)
	assert.Equal(t, http.StatusNoContent, (<-second).Code)
	assert.Equal(t, int32(1), g.peak.Load())
}

// A wait the limiter ends is cancelled with ErrQueueTimeout as its cause; a
// wait the request's own context ends carries that context's cause, never
// called a timeout.
func TestQueueWaitEndsWithItsCause(t *testing.T) {
	g := newGate()
	rg := newRig(fixed(1, adaptive.Options{QueueInterval: 20 * time.Millisecond}), g)
	first := rg.serve(context.Background(), "first")
	<-g.entered

	start := time.Now()
	rec := <-rg.serve(context.Background(), "late")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	require.NotNil(t, rg.refusal("late"))
	assert.ErrorIs(t, rg.refusal("late"), adaptive.ErrQueueTimeout)
	assert.Equal(t, "wait timed out", rg.refusal("late").Reason)

	close(g.release)
	assert.Equal(t, http.StatusNoContent, (<-first).Code)
	assert.Equal(t, adaptive.Snapshot{Limit: 1, Rejected: 1}, rg.l.Snapshot(), "no slot and no waiter leaked")

	// A limiter that would let it wait an hour.
	g = newGate()
	rg = newRig(fixed(1, adaptive.Options{QueueInterval: time.Hour, QueueTarget: time.Hour}), g)
	first = rg.serve(context.Background(), "first")
	<-g.entered
	gone := errors.New("test: caller gave up")
	ctx, cancel := context.WithCancelCause(context.Background())
	waiting := rg.serve(ctx, "gone")
	waitFor(t, "gone to queue", func() bool { return rg.l.Snapshot().Queued == 1 })
	cancel(gone)
	assert.Equal(t, http.StatusServiceUnavailable, (<-waiting).Code)
	require.NotNil(t, rg.refusal("gone"))
	assert.ErrorIs(t, rg.refusal("gone"), gone)
	assert.NotErrorIs(t, rg.refusal("gone"), adaptive.ErrQueueTimeout)
	assert.Equal(t, "request done while waiting", rg.refusal("gone").Reason)
	close(g.release)
	assert.Equal(t, http.StatusNoContent, (<-first).Code)
	assert.Equal(t, adaptive.Snapshot{Limit: 1, Rejected: 1}, rg.l.Snapshot(), "no slot and no waiter leaked")
}

func TestQueueFullRefusesAtOnce(t *testing.T) {
	g := newGate()
	rg := newRig(fixed(1, adaptive.Options{QueueSize: 1, QueueInterval: time.Minute}), g)
	ctx := context.Background()
	first := rg.serve(ctx, "first")
	<-g.entered
	queued := rg.serve(ctx, "queued")
	waitFor(t, "a waiter", func() bool { return rg.l.Snapshot().Queued == 1 })
	assert.Equal(t, http.StatusServiceUnavailable, (<-rg.serve(ctx, "over")).Code)
	assert.Equal(t, "queue full", rg.refusal("over").Reason)
	close(g.release)
	assert.Equal(t, http.StatusNoContent, (<-first).Code)
	assert.Equal(t, http.StatusNoContent, (<-queued).Code)
}

// Sheddable requests are refused first: they never wait, and leave a tenth
// of the limit to the others.
func TestSheddableIsRefusedFirst(t *testing.T) {
	g := newGate()
	rg := newRig(fixed(10, adaptive.Options{QueueInterval: time.Minute, Priority: byHeader}), g)
	ctx := context.Background()
	var held []<-chan *httptest.ResponseRecorder
	for range 9 {
		held = append(held, rg.serve(ctx, "normal"))
		<-g.entered
	}
	assert.Equal(t, http.StatusServiceUnavailable, (<-rg.serve(ctx, "shed", "X-Priority", "sheddable")).Code)
	assert.Equal(t, "sheddable at capacity", rg.refusal("shed").Reason)
	assert.Equal(t, adaptive.Sheddable, rg.refusal("shed").Priority)
	held = append(held, rg.serve(ctx, "tenth")) // a Normal request takes the reserved slot
	assert.Equal(t, "tenth", <-g.entered)
	close(g.release)
	for _, ch := range held {
		assert.Equal(t, http.StatusNoContent, (<-ch).Code)
	}
	shed := rg.serve(ctx, "shed-idle", "X-Priority", "sheddable")
	assert.Equal(t, "shed-idle", <-g.entered, "with room, sheddable traffic is served")
	assert.Equal(t, http.StatusNoContent, (<-shed).Code)
}

// Critical waiters are served before Normal ones, and a Critical request
// finding the queue full pushes out the oldest Normal waiter, whose wait
// ends with ErrEvicted.
func TestCriticalGoesFirstAndEvicts(t *testing.T) {
	g := newGate()
	rg := newRig(fixed(1, adaptive.Options{QueueSize: 2, QueueInterval: time.Minute, Priority: byHeader}), g)
	ctx := context.Background()
	first := rg.serve(ctx, "first")
	<-g.entered
	n1 := rg.serve(ctx, "n1")
	waitFor(t, "n1 queued", func() bool { return rg.l.Snapshot().Queued == 1 })
	n2 := rg.serve(ctx, "n2")
	waitFor(t, "n2 queued", func() bool { return rg.l.Snapshot().Queued == 2 })
	crit := rg.serve(ctx, "crit", "X-Priority", "critical")
	assert.Equal(t, http.StatusServiceUnavailable, (<-n1).Code)
	require.NotNil(t, rg.refusal("n1"))
	assert.ErrorIs(t, rg.refusal("n1"), adaptive.ErrEvicted)
	waitFor(t, "crit queued", func() bool { return rg.l.Snapshot().Queued == 2 })

	g.release <- struct{}{}
	assert.Equal(t, "crit", <-g.entered, "critical before normal")
	g.release <- struct{}{}
	assert.Equal(t, "n2", <-g.entered)
	close(g.release)
	for _, ch := range []<-chan *httptest.ResponseRecorder{first, crit, n2} {
		assert.Equal(t, http.StatusNoContent, (<-ch).Code)
	}
}

func TestPanicReleasesTheSlot(t *testing.T) {
	var calls atomic.Int32
	l := adaptive.New(fixed(1, adaptive.Options{}))
	h := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler(
		recoverer.WithOptions(recoverer.Options{Logger: quietLogger()})(l.Handler(
			http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					panic("boom")
				}
				w.WriteHeader(http.StatusNoContent)
			}))))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Zero(t, l.Snapshot().InFlight)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusNoContent, rec.Code, "the panicking request gave its slot back")
}

// Over real servers (HTTP/1.1 and HTTP/2), clients that hang up while
// queued or while served leave no slot and no waiter behind, and the
// handler never sees more requests than the limit at once.
func TestHangUpsAndConcurrencyOverTheWire(t *testing.T) {
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		t.Run(proto, func(t *testing.T) {
			const limit = 3
			var inside, peak atomic.Int32
			l := adaptive.New(fixed(limit, adaptive.Options{QueueSize: 8, QueueInterval: 50 * time.Millisecond}))
			h := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler(l.Handler(
				http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					n := inside.Add(1)
					defer inside.Add(-1)
					for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
					}
					select {
					case <-time.After(2 * time.Millisecond):
					case <-r.Context().Done():
					}
				})))
			srv, c := testsrv.NewServer(t, proto, h)
			var wg sync.WaitGroup
			var served, refused, hungUp, other atomic.Int32
			for i := range 24 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := range 10 {
						ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
						if (i+j)%4 == 0 { // a quarter of the clients give up early
							ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
						}
						req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
						resp, err := c.Do(req)
						switch {
						case err != nil && ctx.Err() != nil:
							hungUp.Add(1)
						case err != nil:
							other.Add(1)
						default:
							_, _ = io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							switch resp.StatusCode {
							case http.StatusOK:
								served.Add(1)
							case http.StatusServiceUnavailable:
								refused.Add(1)
							default:
								other.Add(1)
							}
						}
						cancel()
					}
				}()
			}
			wg.Wait()
			assert.LessOrEqual(t, peak.Load(), int32(limit))
			assert.Zero(t, other.Load())
			assert.Equal(t, int32(240), served.Load()+refused.Load()+hungUp.Load())
			assert.Positive(t, served.Load())
			waitFor(t, "every slot back", func() bool {
				s := l.Snapshot()
				return s.InFlight == 0 && s.Queued == 0
			})
			t.Logf("served %d, refused %d, hung up %d, peak %d", served.Load(), refused.Load(), hungUp.Load(), peak.Load())
		})
	}
}

func TestRejectsBadOptions(t *testing.T) {
	for name, o := range map[string]adaptive.Options{
		"negative MinLimit":    {MinLimit: -1},
		"min above max":        {MinLimit: 10, MaxLimit: 5},
		"tolerance at 1":       {Tolerance: 1},
		"negative Window":      {Window: -1},
		"negative RetryAfter":  {RetryAfter: -time.Second},
		"negative QueueTarget": {QueueTarget: -1},
	} {
		assert.Panics(t, func() { adaptive.New(o) }, name)
	}
	assert.NotPanics(t, func() { adaptive.New(adaptive.Options{}) })
	assert.Equal(t, 20, adaptive.New(adaptive.Options{}).Snapshot().Limit)
	assert.Equal(t, 5, adaptive.New(adaptive.Options{MaxLimit: 5}).Snapshot().Limit, "InitialLimit is clamped")
}

// Admission with a free slot allocates nothing (issue 18's bar).
func TestAdmissionAllocatesNothing(t *testing.T) {
	l := adaptive.New(adaptive.Options{})
	h := l.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	w := &testsrv.BenchWriter{H: http.Header{}}
	assert.Zero(t, testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, req) }))
	hp := adaptive.New(adaptive.Options{Priority: byHeader, SkipMeasure: func(r *http.Request) bool { return r.URL.Path == "/healthz" }})
	h = hp.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	assert.Zero(t, testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, req) }), "with Priority and SkipMeasure")
}
