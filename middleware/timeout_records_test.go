package middleware_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/jsonbody"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A handler binding a body that is still arriving at the deadline: the
// Timeout answers 504 and records it; then net/http ends the body under
// the handler's read, Bind fails, and the handler renders that failure to
// the writer the Timeout took back. That 4xx is the deadline's
// aftermath, and errdoc leaves it out of the log, as the Timeout recorded
// the deadline: one timeout, one record, over HTTP/1.1 and HTTP/2.
func TestTimeoutBindCutByTheDeadlineLogsOnce(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			var ended atomic.Int64
			var bindErr atomic.Value
			h, logs := timeoutStack(100*time.Millisecond, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer ended.Add(1)
				type item struct{ Name string }
				if _, err := jsonbody.Bind[item](r); err != nil {
					bindErr.Store(err)
					errdoc.Write(w, r, err)
					return
				}
				t.Error("a body that never finished arriving was bound")
			}), nil, nil)
			srv, c := testsrv.NewServer(t, proto, h)

			req, feed := partialBody(t, context.Background(), srv.URL, "slow-body")
			resp, err := c.Do(req)
			require.NoError(t, err)
			_, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			_ = feed.CloseWithError(errors.New("the client gives up on its body"))
			assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)

			waitEnded(t, &ended, 1)
			var e *errdoc.Error
			require.ErrorAs(t, bindErr.Load().(error), &e)
			// Bind reports its read: 400, or 408 where the cut read says
			// it hit a deadline (HTTP/2).
			assert.Contains(t, []int{http.StatusBadRequest, http.StatusRequestTimeout}, e.Status)
			out := logs.String()
			assert.Equal(t, 1, recordsOf(out, "slow-body"), out)
			assert.Contains(t, out, "status=504")
			assert.NotContains(t, out, "bind.read_")
		})
	}
}

// Only the context's own end is left out: a failure of its own that a
// handler renders after the deadline (a database that went down meanwhile)
// is still logged, beside the Timeout's record, since nothing else
// reports it.
func TestTimeoutLateFailureOfItsOwnIsLogged(t *testing.T) {
	var ended atomic.Int64
	h, logs := timeoutStack(50*time.Millisecond, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer ended.Add(1)
		<-r.Context().Done()
		errdoc.Write(w, r, errdoc.Internal(errors.New("database went away")))
	}), nil, nil)
	srv, c := testsrv.NewServer(t, "HTTP/1.1", h)
	resp, _, err := get(t, c, srv.URL, "late-own")
	require.NoError(t, err)
	assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
	waitEnded(t, &ended, 1)
	out := logs.String()
	assert.Equal(t, 2, recordsOf(out, "late-own"), out)
	assert.True(t, strings.Contains(out, "database went away"), out)
}

// partialBody returns a POST of a JSON body that claims 100 bytes and
// sends its first few (a goroutine writes them), with the request ID id;
// feed sends the rest, or ends the body with an error.
func partialBody(t *testing.T, ctx context.Context, url, id string) (req *http.Request, feed *io.PipeWriter) {
	t.Helper()
	body, feed := io.Pipe()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	require.NoError(t, err)
	req.ContentLength = 100
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-ID", id)
	go func() { _, _ = feed.Write([]byte(`{"owner":"bo`)) }()
	return req, feed
}

// A client that hangs up in the middle of its body, under a Timeout: the
// Timeout records the hang-up (499, below ERROR); the handler's Bind then
// fails on the cut body and renders that 4xx to the writer the Timeout
// took back. It is the aftermath of the same hang-up: no ERROR record
// ("request failed after the response was committed"), over HTTP/1.1 and
// HTTP/2, and one record of the request.
func TestTimeoutBindClientHangsUpMidBody(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			logs := &syncBuffer{}
			lg := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			recorded := make(chan struct{}, 1)
			rd := errdoc.NewRenderer(errdoc.Options{Logger: lg, Observe: func(o errdoc.Observation) {
				if o.Status == errdoc.StatusClientClosedRequest {
					recorded <- struct{}{}
				}
			}})
			reading := make(chan struct{}, 1)
			var ended atomic.Int64
			h := rd.Handler(middleware.Timeout(time.Minute)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer ended.Add(1)
				r.Body = &signalBody{r.Body, reading}
				_, err := jsonbody.Bind[stackItem](r)
				require.Error(t, err)
				select { // the Timeout recorded the hang-up first
				case <-recorded:
				case <-time.After(30 * time.Second):
					t.Error("the Timeout never recorded the hang-up")
				}
				errdoc.Write(w, r, err)
			})))
			srv, c := testsrv.NewServer(t, proto, h)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req, feed := partialBody(t, ctx, srv.URL, "gone-mid-body")
			go func() {
				<-reading // the server has part of the body: the client leaves
				cancel()
				_ = feed.CloseWithError(errors.New("the client left"))
			}()
			if resp, err := c.Do(req); err == nil {
				resp.Body.Close()
				t.Errorf("the client that left got a %d", resp.StatusCode)
			}
			waitEnded(t, &ended, 1)
			out := logs.String()
			assert.NotContains(t, out, "level=ERROR", "a client's hang-up logged as a server failure")
			assert.Equal(t, 1, recordsOf(out, "gone-mid-body"), out)
			assert.True(t, strings.Contains(out, "client_closed_request"), out)
		})
	}
}

// signalBody tells c when a read returned bytes.
type signalBody struct {
	io.ReadCloser
	c chan struct{}
}

func (b *signalBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		select {
		case b.c <- struct{}{}:
		default:
		}
	}
	return n, err
}
