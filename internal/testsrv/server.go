package testsrv

import (
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/internal/logbuf"
)

// http2 reports whether proto names HTTP/2, spelled "HTTP/2" or as
// http.Response.Proto spells it, "HTTP/2.0".
func http2(proto string) bool { return proto == "HTTP/2" || proto == "HTTP/2.0" }

// Start serves h over a real loopback connection speaking proto,
// "HTTP/1.1" or "HTTP/2.0" (over TLS; srv.Client() trusts it), until the
// test ends.
func Start(t testing.TB, proto string, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	if http2(proto) {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

// NewServer starts a real server over proto ("HTTP/1.1" or "HTTP/2", the
// latter with TLS) and returns it with a client speaking that protocol.
// When the test ends, net/http's own log must not mention a superfluous
// WriteHeader call: a middleware must never write a status twice.
func NewServer(t testing.TB, proto string, h http.Handler) (*httptest.Server, *http.Client) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	serverLog := &logbuf.Buffer{}
	srv.Config.ErrorLog = log.New(serverLog, "", 0)
	if http2(proto) {
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
