package middleware_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
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
