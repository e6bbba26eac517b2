package errdoc_test

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/logbuf"
)

// HTTP/1.1's WriteTimeout cancels the request's context plainly (net/http's
// checkConnErrorWriter calls cancelCtx on a failed write, here the 100-continue the
// server writes when the handler reads the body). The handler's ctx-aware work then
// fails with context.Canceled and Write calls it the client's hang-up (499, DEBUG),
// though the client was still connected and waiting: the server's own deadline cut it.
func TestHTTP1WriteTimeoutIsNoHangUp(t *testing.T) {
	var logs logbuf.Buffer
	rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	done := make(chan struct{})
	srv := httptest.NewUnstartedServer(rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		time.Sleep(300 * time.Millisecond) // slow work before reading the body: past WriteTimeout
		_, _ = io.ReadAll(r.Body)          // the server writes "100 Continue": fails, cancels ctx
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
			t.Error("context not cancelled")
		}
		errdoc.Write(w, r, errdoc.Internal(fmt.Errorf("upstream: %w", r.Context().Err())))
	})))
	srv.Config.WriteTimeout = 100 * time.Millisecond
	srv.Start()
	defer srv.Close()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
	// the client is still there, waiting; it sends the body late, as the RFC allows
	go func() { time.Sleep(200 * time.Millisecond); c.Write([]byte("{}")) }()
	<-done
	time.Sleep(50 * time.Millisecond)
	l := logs.String()
	t.Logf("log: %s", l)
	if strings.Contains(l, `"status":499`) && strings.Contains(l, `"level":"DEBUG"`) {
		t.Errorf("a server WriteTimeout was recorded as the client's hang-up (499, DEBUG)")
	}
}
