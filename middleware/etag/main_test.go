package etag_test

import (
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/faultline-go/faultline/internal/logbuf"
)

// No test may leave a goroutine behind: servers are all closed before a
// test ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// protos are the wire protocols the tests run over.
var protos = []string{"HTTP/1.1", "HTTP/2"}

// newServer starts a real server over proto ("HTTP/1.1" or "HTTP/2", the
// latter with TLS) and returns it with a client speaking that protocol.
// When the test ends, net/http's own log must not mention a superfluous
// WriteHeader call: the middleware must never write a status twice.
func newServer(t *testing.T, proto string, h http.Handler) (*httptest.Server, *http.Client) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	serverLog := &logbuf.Buffer{}
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

// quietLogger drops every record, for tests that do not read the logs.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
