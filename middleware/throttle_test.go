package middleware_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/recoverer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gate is a handler that holds each request until released, counting the
// requests inside it.
type gate struct {
	inside, peak atomic.Int32
	entered      chan struct{}
	release      chan struct{}
}

func newGate() *gate {
	return &gate{entered: make(chan struct{}, 1000), release: make(chan struct{})}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := g.inside.Add(1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			break
		}
	}
	g.entered <- struct{}{}
	<-g.release
	g.inside.Add(-1)
	w.WriteHeader(http.StatusNoContent)
}

// serve runs one request through h in the background and delivers its
// recorded response.
func serveAsync(h http.Handler, ctx context.Context) <-chan *httptest.ResponseRecorder {
	return serveAsyncID(h, ctx, "")
}

// serveAsyncID is serveAsync for a request that sends X-Request-ID id.
func serveAsyncID(h http.Handler, ctx context.Context, id string) <-chan *httptest.ResponseRecorder {
	out := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
		if id != "" {
			req.Header.Set("X-Request-ID", id)
		}
		h.ServeHTTP(rec, req)
		out <- rec
	}()
	return out
}

func throttled(opts middleware.ThrottleOptions, h http.Handler) http.Handler {
	return errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler(middleware.ThrottleWithOptions(opts)(h))
}

func TestThrottleRefusesOverLimitAndBacklog(t *testing.T) {
	g := newGate()
	type refusal struct{ id, reason string }
	refused := make(chan refusal, 100)
	rd := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger(), Observe: func(o errdoc.Observation) {
		var oe *middleware.OverloadError
		if errors.As(o.Cause, &oe) {
			refused <- refusal{o.RequestID, oe.Reason}
		}
	}})
	// reasonOf returns why request id was refused. Observe runs before
	// ServeHTTP returns, so a refused request's reason is already queued;
	// the bound only keeps a broken throttle from hanging the test.
	reasonOf := func(id string) string {
		for {
			select {
			case r := <-refused:
				if r.id == id {
					return r.reason
				}
			case <-time.After(10 * time.Second):
				return "(no refusal observed)"
			}
		}
	}
	opts := middleware.ThrottleOptions{Limit: 2, Backlog: 1, BacklogTimeout: time.Minute, RetryAfter: 1500 * time.Millisecond}
	h := rd.Handler(middleware.ThrottleWithOptions(opts)(g))
	ctx := context.Background()
	a, b := serveAsync(h, ctx), serveAsync(h, ctx)
	<-g.entered
	<-g.entered
	c := serveAsync(h, ctx) // to wait in the backlog

	// Probe with a done context until the backlog is seen full: a probe
	// that finds room waits and gives up at once, one that finds none is
	// refused for that reason, and then c is the one in the backlog. A
	// probe that found room may have made c itself find the backlog full:
	// then c is refused at once, and another c takes its place.
	// The probes' contexts end with a cause, as the server's own end
	// does: a plain context.Canceled would be their client's hang-up,
	// which gets no 503 (TestThrottleBacklogTimeoutAndCancel).
	done, cancel := context.WithCancelCause(ctx)
	cancel(errors.New("probe ended by the server"))
	for i := 0; ; i++ {
		id := "probe-" + strconv.Itoa(i)
		require.Equal(t, http.StatusServiceUnavailable, (<-serveAsyncID(h, done, id)).Code)
		if reasonOf(id) == "backlog full" {
			break
		}
		select {
		case rec := <-c:
			require.Equal(t, http.StatusServiceUnavailable, rec.Code, "c can only end early by being refused")
			c = serveAsync(h, ctx)
		default:
		}
	}
	rec := <-serveAsyncID(h, ctx, "over")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "backlog full", reasonOf("over"))
	assert.Equal(t, "2", rec.Header().Get("Retry-After"), "1.5 s rounds up")
	assert.Contains(t, rec.Body.String(), `"code":"service_unavailable"`)
	assert.Contains(t, rec.Body.String(), "at capacity")

	g.release <- struct{}{} // one of a, b finishes; c takes its slot
	<-g.entered
	assert.Equal(t, int32(2), g.inside.Load())
	close(g.release)
	for _, ch := range []<-chan *httptest.ResponseRecorder{a, b, c} {
		assert.Equal(t, http.StatusNoContent, (<-ch).Code)
	}
	assert.Equal(t, int32(2), g.peak.Load())
}

func TestThrottleBacklogTimeoutAndCancel(t *testing.T) {
	g := newGate()
	defer close(g.release)
	h := throttled(middleware.ThrottleOptions{Limit: 1, Backlog: 5, BacklogTimeout: 50 * time.Millisecond}, g)
	first := serveAsync(h, context.Background())
	<-g.entered

	start := time.Now()
	rec := <-serveAsync(h, context.Background())
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	assert.Equal(t, "1", rec.Header().Get("Retry-After"))

	// A wait the server ends (a cause of its own): 503.
	ended := errors.New("the server ended the request")
	ctx, cancelCause := context.WithCancelCause(context.Background())
	waiting := serveAsync(h, ctx)
	cancelCause(ended)
	assert.Equal(t, http.StatusServiceUnavailable, (<-waiting).Code)

	// A wait whose client hangs up (net/http's plain cancel, under an
	// errdoc.Handler): nothing is written.
	ctx, cancel := context.WithCancel(context.Background())
	waiting = serveAsync(h, ctx)
	cancel()
	gone := <-waiting
	assert.False(t, gone.Code != http.StatusOK || gone.Body.Len() > 0 || len(gone.Header()["Retry-After"]) > 0,
		"a hang-up gets nothing: %d %q", gone.Code, gone.Body.String())

	g.release <- struct{}{}
	assert.Equal(t, http.StatusNoContent, (<-first).Code)
}

func TestThrottleReleasesTheSlotOnPanic(t *testing.T) {
	var calls atomic.Int32
	h := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler(recoverer.WithOptions(recoverer.Options{Logger: quietLogger()})(middleware.Throttle(1)(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				panic("boom")
			}
			w.WriteHeader(http.StatusNoContent)
		}))))
	assert.Equal(t, http.StatusInternalServerError, (<-serveAsync(h, context.Background())).Code)
	assert.Equal(t, http.StatusNoContent, (<-serveAsync(h, context.Background())).Code, "the panicking request gave its slot back")
}

// Many clients hammer a limiter over a real server: the handler never sees
// more than Limit requests at once, and every request is either served or
// refused with a 503 (no other outcome is tolerated).
func TestThrottleHoldsItsLimitUnderConcurrency(t *testing.T) {
	const limit = 3
	var inside, peak atomic.Int32
	h := throttled(middleware.ThrottleOptions{Limit: limit, Backlog: 20, BacklogTimeout: 10 * time.Second},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := inside.Add(1)
			defer inside.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
		}))
	srv, c := testsrv.NewServer(t, "HTTP/1.1", h)
	var wg sync.WaitGroup
	var served, refused, other atomic.Int32
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				resp, err := c.Get(srv.URL)
				if err != nil {
					other.Add(1)
					continue
				}
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
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int32(limit))
	assert.Zero(t, other.Load())
	assert.Equal(t, int32(400), served.Load()+refused.Load())
	assert.Positive(t, served.Load())
	t.Logf("served %d, refused %d, peak %d", served.Load(), refused.Load(), peak.Load())
}

func TestThrottleRejectsBadOptions(t *testing.T) {
	assert.Panics(t, func() { middleware.Throttle(0) })
	assert.Panics(t, func() { middleware.ThrottleBacklog(1, -1, time.Second) })
	assert.Panics(t, func() { middleware.ThrottleWithOptions(middleware.ThrottleOptions{Limit: 1, RetryAfter: -1}) })
}

// The limiter's happy path (a free slot) allocates nothing; pinned at the
// issue's bound of one allocation.
func TestThrottleHappyPathAllocs(t *testing.T) {
	h := middleware.Throttle(4)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	w := &testsrv.BenchWriter{H: http.Header{}}
	allocs := testing.AllocsPerRun(1000, func() { h.ServeHTTP(w, req) })
	assert.LessOrEqual(t, allocs, 1.0)
	assert.Zero(t, allocs)
}
