package errdoc_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientClosed(t *testing.T) {
	live := context.Background()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancelExpired := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancelExpired()
	withCause, cancelCause := context.WithCancelCause(context.Background())
	cancelCause(errors.New("the application gave up"))
	// A context derived from a cancelled request's context is done with
	// the parent's cause, as an upstream call's is.
	derived, cancelDerived := context.WithTimeout(cancelled, time.Hour)
	defer cancelDerived()

	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"request cancelled", cancelled, context.Canceled, true},
		{"wrapped", cancelled, fmt.Errorf("loading item: %w", context.Canceled), true},
		{"upstream call", derived, &url.Error{Op: "Get", URL: "http://10.0.0.1", Err: context.Canceled}, true},
		{"joined", cancelled, errors.Join(errors.New("a"), context.Canceled), true},
		{"request live: the cancellation is someone else's", live, context.Canceled, false},
		{"deadline", expired, context.DeadlineExceeded, false},
		{"canceled while the context expired", expired, context.Canceled, false},
		{"an upstream's reset while the client left", cancelled, &url.Error{Op: "Get", URL: "http://10.0.0.1", Err: syscall.ECONNRESET}, false},
		{"cancelled with the application's cause", withCause, context.Canceled, false},
		{"nil error", cancelled, nil, false},
		{"nil context", nil, context.Canceled, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, errdoc.ClientClosed(tc.ctx, tc.err))
		})
	}
}

// Behind Handler, the cancellation must reach the context the server gave
// the request: a handler that cancels a context of its own (an upstream
// call it abandons) is not its client going away.
func TestClientClosedAsksTheServersContext(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	type verdict struct{ own, request bool }
	got := make(chan verdict, 1)
	h := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call, cancel := context.WithCancel(r.Context())
		cancel()
		got <- verdict{own: errdoc.ClientClosed(call, context.Canceled)}
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	assert.False(t, (<-got).own, "the handler's own cancellation, the client still there")

	h = rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call, cancel := context.WithTimeout(errdoc.WithRequestID(r.Context(), "x"), time.Hour)
		defer cancel()
		got <- verdict{request: errdoc.ClientClosed(call, context.Canceled)}
	}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
	assert.True(t, (<-got).request, "the server's context cancelled: the client left")
}

// statusLog is an access log: it records the status each response was
// sent with, once the handler returned.
type statusLog struct{ got chan int }

func newStatusLog() *statusLog { return &statusLog{got: make(chan int, 1)} }

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.code == 0 && code >= 200 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (l *statusLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		l.got <- sw.code
	})
}

// wait returns the recorded status; the bound is generous for a loaded
// machine and only reached if the handler never notices the hang-up.
func (l *statusLog) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-l.got:
		return code
	case <-time.After(20 * time.Second):
		t.Fatal("the handler did not return after the client went away")
		return 0
	}
}

// observed collects Observe's calls.
type observed struct {
	mu  sync.Mutex
	obs []errdoc.Observation
}

func (o *observed) add(x errdoc.Observation) { o.mu.Lock(); o.obs = append(o.obs, x); o.mu.Unlock() }
func (o *observed) all() []errdoc.Observation {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]errdoc.Observation(nil), o.obs...)
}

// A client that hangs up while its handler waits on the request's context
// is recorded as 499 client_closed_request: the status sent, Observe's
// count and the log, at debug level like other client errors, never at
// error level and never as a 5xx. Over HTTP/1.1 the server notices the
// closed connection, over HTTP/2 the reset stream.
func TestWriteRecordsAClientThatHungUpAs499(t *testing.T) {
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		t.Run(proto, func(t *testing.T) {
			logs := &syncBuffer{}
			var obs observed
			rd := errdoc.NewRenderer(errdoc.Options{
				Logger:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
				Observe: obs.add,
			})
			entered := make(chan struct{})
			access := newStatusLog()
			srv, client, _ := newServer(t, proto, access.wrap(rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				close(entered)
				<-r.Context().Done() // a query that stops with the request
				errdoc.Write(w, r, fmt.Errorf("loading item: %w", r.Context().Err()))
			}))))

			ctx, cancel := context.WithCancel(context.Background())
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/v1/items/1", nil)
			require.NoError(t, err)
			req.Header.Set("X-Request-ID", "abort-w")
			done := make(chan error, 1)
			go func() {
				resp, err := client.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				done <- err
			}()
			<-entered
			cancel()
			require.ErrorIs(t, <-done, context.Canceled)

			assert.Equal(t, errdoc.StatusClientClosedRequest, access.wait(t), "the status recorded")
			o := obs.all()
			require.Len(t, o, 1, "Observe counts it")
			assert.Equal(t, 499, o[0].Status)
			assert.Equal(t, 499, o[0].ResponseStatus)
			assert.Equal(t, "client_closed_request", o[0].Code)
			assert.Equal(t, "abort-w", o[0].RequestID)
			log := logs.String()
			assert.Contains(t, log, "level=DEBUG")
			assert.Contains(t, log, "status=499")
			assert.Contains(t, log, "code=client_closed_request")
			assert.Contains(t, log, `cause="loading item: context canceled"`)
			assert.NotContains(t, log, "level=ERROR")
			assert.NotRegexp(t, `status=5\d\d`, log)
		})
	}
}

// The same error is the server's 500 when the request's context is live:
// a context.Canceled that is not the client's is no hang-up.
func TestWriteCanceledWithoutHangUpIs500(t *testing.T) {
	logs := &syncBuffer{}
	rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	rec := render(t, rd, "", fmt.Errorf("loading item: %w", context.Canceled))
	assert.Equal(t, 500, rec.Code)
	assert.Contains(t, logs.String(), "level=ERROR")

	// An explicit status is the caller's choice, even when the client left.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
	rec2 := recorderFor(rd, req, errdoc.Internal(context.Canceled))
	assert.Equal(t, 500, rec2)
	// And a plain one is the client's.
	assert.Equal(t, 499, recorderFor(rd, req, context.Canceled))
}

func recorderFor(rd *errdoc.Renderer, r *http.Request, err error) int {
	rec := httptest.NewRecorder()
	rd.Write(rec, r, err)
	return rec.Code
}
