package middleware_test

import (
	"github.com/faultline-go/faultline/internal/logbuf"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// No test may leave a goroutine behind: handler goroutines of timed-out
// requests, limiter waiters and servers are all finished before a test ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// protos are the wire protocols the writer tests run over.
var protos = []string{"HTTP/1.1", "HTTP/2"}

// newServer starts a real server over proto ("HTTP/1.1" or "HTTP/2", the
// latter with TLS) and returns it with a client speaking that protocol.
// When the test ends, net/http's own log must not mention a superfluous
// WriteHeader call: no middleware may write a status twice.
func newServer(t *testing.T, proto string, h http.Handler) (*httptest.Server, *http.Client) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	serverLog := &syncBuffer{}
	srv.Config.ErrorLog = log.New(serverLog, "", 0)
	if proto == "HTTP/2" {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	client := srv.Client()
	t.Cleanup(func() {
		client.CloseIdleConnections()
		srv.Close()
		if strings.Contains(serverLog.String(), "superfluous") {
			t.Errorf("net/http logged: %s", serverLog.String())
		}
	})
	return srv, client
}

type syncBuffer = logbuf.Buffer

// quietLogger drops every record, for tests that do not read the logs.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
