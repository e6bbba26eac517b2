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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/jsonbody"
)

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
