package middleware_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hangUpRecord is what a server saw of one request whose client hung up:
// the status its access log recorded, Observe's calls and the log.
type hangUpRecord struct {
	logs   *syncBuffer
	access chan int
	mu     sync.Mutex
	obs    []errdoc.Observation
}

// statusRecorder is an access log's writer: it keeps the status sent.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.code == 0 && code >= 200 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// hangUpServer serves h over proto behind an access log and an errdoc
// renderer that logs at debug level and counts with Observe.
func hangUpServer(t *testing.T, proto string, h http.Handler) (*httptest.Server, *http.Client, *hangUpRecord) {
	t.Helper()
	rec := &hangUpRecord{logs: &syncBuffer{}, access: make(chan int, 1)}
	rd := errdoc.NewRenderer(errdoc.Options{
		Logger: slog.New(slog.NewTextHandler(rec.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Observe: func(o errdoc.Observation) {
			rec.mu.Lock()
			rec.obs = append(rec.obs, o)
			rec.mu.Unlock()
		},
	})
	inner := rd.Handler(h)
	srv, client := newServer(t, proto, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusRecorder{ResponseWriter: w}
		inner.ServeHTTP(sw, r)
		rec.access <- sw.code
	}))
	return srv, client, rec
}

// hangUp sends a GET and cancels it once entered is closed, that is once
// the request is being worked on.
func hangUp(t *testing.T, c *http.Client, url string, entered <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("X-Request-ID", "hang-up")
	done := make(chan error, 1)
	go func() {
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-entered
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

// check asserts that the request was recorded as the client's doing: 499
// client_closed_request in the access log, in Observe and in a debug
// record, and nothing at error level, no 502 and no 504 anywhere. The wait
// for the access log is generous for a loaded machine; it only runs out if
// the server never notices the hang-up.
func (rec *hangUpRecord) check(t *testing.T) {
	t.Helper()
	select {
	case code := <-rec.access:
		assert.Equal(t, errdoc.StatusClientClosedRequest, code, "the status recorded")
	case <-time.After(20 * time.Second):
		t.Fatal("the request never ended after its client hung up")
	}
	rec.mu.Lock()
	obs := append([]errdoc.Observation(nil), rec.obs...)
	rec.mu.Unlock()
	require.Len(t, obs, 1, "Observe counts the request once")
	assert.Equal(t, errdoc.StatusClientClosedRequest, obs[0].Status)
	assert.Equal(t, errdoc.StatusClientClosedRequest, obs[0].ResponseStatus)
	assert.Equal(t, "client_closed_request", obs[0].Code)
	assert.Equal(t, "hang-up", obs[0].RequestID)
	log := rec.logs.String()
	assert.Contains(t, log, "level=DEBUG")
	assert.Contains(t, log, "status=499")
	assert.Contains(t, log, "code=client_closed_request")
	assert.Contains(t, log, "request_id=hang-up")
	assert.NotContains(t, log, "level=ERROR")
	assert.NotContains(t, log, "level=WARN")
	assert.NotContains(t, log, "status=502")
	assert.NotContains(t, log, "status=504")
	assert.NotContains(t, log, "bad_gateway")
	assert.NotContains(t, log, "gateway_timeout")
}

// hangingUpstream is an upstream that answers only when its caller gives
// up (or the test ends); entered closes when the first call arrives.
func hangingUpstream(t *testing.T) (string, <-chan struct{}) {
	t.Helper()
	entered := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(entered) })
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); up.Close() })
	return up.URL, entered
}

// A client that hangs up while Timeout waits for a handler that ignores
// its context is recorded as 499, not as the 504 of a deadline.
func TestTimeoutRecordsAClientThatHungUpAs499(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			entered, release, finished := make(chan struct{}), make(chan struct{}), make(chan struct{})
			srv, c, rec := hangUpServer(t, proto, middleware.Timeout(time.Minute)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(finished)
				close(entered)
				<-release // ignores its context, as the demo's /v1/slow does
			})))
			hangUp(t, c, srv.URL+"/v1/slow", entered)
			rec.check(t)
			assert.Contains(t, rec.logs.String(), `cause="request ended before the handler finished: context canceled"`)
			close(release)
			<-finished
		})
	}
}

// DoUpstream's call, made with the request's context, stops when the
// client hangs up: the client's doing, not the upstream's.
func TestDoUpstreamRecordsAClientThatHungUpAs499(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			upURL, entered := hangingUpstream(t)
			client := &http.Client{Transport: &http.Transport{}}
			t.Cleanup(client.CloseIdleConnections)
			srv, c, rec := hangUpServer(t, proto, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, upURL+"/stock", nil)
				resp, err := middleware.DoUpstream(client, req)
				if err != nil {
					errdoc.Write(w, r, err)
					return
				}
				resp.Body.Close()
			}))
			hangUp(t, c, srv.URL+"/v1/upstream/timeout", entered)
			rec.check(t)
			assert.Contains(t, rec.logs.String(), "context canceled")
		})
	}
}

// ReverseProxy hands ProxyErrorHandler the outgoing request, whose context
// is the incoming one's: a hang-up is recorded as 499 there too.
func TestProxyErrorHandlerRecordsAClientThatHungUpAs499(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			upURL, entered := hangingUpstream(t)
			u, err := url.Parse(upURL)
			require.NoError(t, err)
			proxy := httputil.NewSingleHostReverseProxy(u)
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			proxy.Transport = tr
			proxy.ErrorHandler = middleware.ProxyErrorHandler
			srv, c, rec := hangUpServer(t, proto, proxy)
			hangUp(t, c, srv.URL+"/stock", entered)
			rec.check(t)
		})
	}
}

// Only the incoming request's cancellation is the client's: a deadline of
// the request stays a 504 in Timeout, and an upstream call the handler
// cancels itself, the client still waiting, stays a 502.
func TestCancellationsThatAreNotTheClients(t *testing.T) {
	t.Run("parent deadline in Timeout", func(t *testing.T) {
		h, logs := timeoutStack(time.Minute, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
			time.Sleep(10 * time.Millisecond) // return after the middleware answered
		}), nil, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
		assert.Equal(t, http.StatusGatewayTimeout, rec.Code)
		assert.Contains(t, logs.String(), "level=ERROR")
	})
	t.Run("call cancelled by the handler", func(t *testing.T) {
		upURL, _ := hangingUpstream(t)
		rd := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()})
		h := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithCancel(r.Context())
			cancel() // the handler gives up on the call, for reasons of its own
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, upURL, nil)
			_, err := middleware.DoUpstream(nil, req)
			errdoc.Write(w, r, err)
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		assert.Equal(t, http.StatusBadGateway, rec.Code)
	})
}
