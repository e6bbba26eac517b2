package middleware_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawUpstream listens on loopback and serves every connection with serve,
// until the test ends.
func rawUpstream(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

// upstreamCase is one way an upstream fails: the URL to call, the
// transport to call it with, the status it must produce, and the words of
// the raw error that must reach the log and never the client.
type upstreamCase struct {
	name   string
	setup  func(t *testing.T) (target string, tr *http.Transport)
	status int
	secret []string // in the log, never in the body
}

func upstreamCases() []upstreamCase {
	plain := func() *http.Transport { return &http.Transport{DisableKeepAlives: true} }
	return []upstreamCase{
		{"refused", func(t *testing.T) (string, *http.Transport) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			addr := ln.Addr().String()
			ln.Close()
			return "http://" + addr, plain()
		}, http.StatusBadGateway, []string{"connection refused"}},
		{"hangs past the response-header timeout", func(t *testing.T) (string, *http.Transport) {
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-release:
				case <-r.Context().Done():
				}
			}))
			t.Cleanup(func() { close(release); srv.Close() })
			tr := plain()
			tr.ResponseHeaderTimeout = 100 * time.Millisecond
			return srv.URL, tr
		}, http.StatusGatewayTimeout, []string{"timeout awaiting response headers"}},
		{"DNS failure", func(t *testing.T) (string, *http.Transport) {
			d := &net.Dialer{Resolver: &net.Resolver{PreferGo: true,
				Dial: func(context.Context, string, string) (net.Conn, error) {
					return nil, errors.New("resolver unreachable")
				}}}
			tr := plain()
			tr.DialContext = d.DialContext
			return "http://inventory.internal.example:8080", tr
		}, http.StatusBadGateway, []string{"inventory.internal.example", "lookup"}},
		{"TLS to a plain-text upstream", func(t *testing.T) (string, *http.Transport) {
			srv := httptest.NewServer(http.NotFoundHandler())
			t.Cleanup(srv.Close)
			return strings.Replace(srv.URL, "http://", "https://", 1), plain()
		}, http.StatusBadGateway, nil},
		{"untrusted certificate", func(t *testing.T) (string, *http.Transport) {
			srv := httptest.NewTLSServer(http.NotFoundHandler())
			srv.Config.ErrorLog = slogToLog()
			t.Cleanup(srv.Close)
			return srv.URL, plain()
		}, http.StatusBadGateway, []string{"certificate"}},
		{"malformed response", func(t *testing.T) (string, *http.Transport) {
			addr := rawUpstream(t, func(c net.Conn) {
				defer c.Close()
				_, _ = http.ReadRequest(bufio.NewReader(c))
				_, _ = io.WriteString(c, "SPDY/9 banana\r\n\r\n")
			})
			return "http://" + addr, plain()
		}, http.StatusBadGateway, []string{"malformed HTTP"}},
		{"connection reset", func(t *testing.T) (string, *http.Transport) {
			addr := rawUpstream(t, func(c net.Conn) {
				_, _ = http.ReadRequest(bufio.NewReader(c))
				_ = c.(*net.TCPConn).SetLinger(0)
				c.Close()
			})
			return "http://" + addr, plain()
		}, http.StatusBadGateway, nil},
	}
}

// slogToLog returns a log.Logger that drops net/http's own TLS handshake
// complaints of the upstream test server.
func slogToLog() *log.Logger { return slog.NewLogLogger(slog.DiscardHandler, slog.LevelError) }

func TestUpstreamFailures(t *testing.T) {
	for _, via := range []string{"ReverseProxy", "http.Client"} {
		for _, tc := range upstreamCases() {
			t.Run(via+"/"+tc.name, func(t *testing.T) {
				target, tr := tc.setup(t)
				defer tr.CloseIdleConnections()
				u, err := url.Parse(target)
				require.NoError(t, err)

				var h http.Handler
				if via == "ReverseProxy" {
					proxy := httputil.NewSingleHostReverseProxy(u)
					proxy.Transport = tr
					proxy.ErrorHandler = middleware.ProxyErrorHandler
					h = proxy
				} else {
					client := &http.Client{Transport: tr}
					h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, target+"/stock", nil)
						resp, err := middleware.DoUpstream(client, req)
						if err != nil {
							errdoc.Write(w, r, err)
							return
						}
						resp.Body.Close()
						w.WriteHeader(http.StatusOK)
					})
				}
				logs := &syncBuffer{}
				rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
				srv, c := testsrv.NewServer(t, "HTTP/1.1", rd.Handler(h))

				for _, accept := range []string{"", "application/problem+json"} {
					req, _ := http.NewRequest(http.MethodGet, srv.URL+"/stock", nil)
					// The docs links name the request's own host: one
					// the leak check below can tell from the upstream's.
					req.Host = "api.example.test"
					req.Header.Set("X-Request-ID", "up-1")
					req.Header.Set("Accept", accept)
					resp, err := c.Do(req)
					require.NoError(t, err)
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()

					assert.Equal(t, tc.status, resp.StatusCode)
					doc := string(body)
					assert.Contains(t, doc, "up-1")
					for _, leak := range append([]string{u.Host, u.Hostname() + ":", u.Port(), "dial", "tcp", "EOF", "reset"}, tc.secret...) {
						if leak == "" {
							continue
						}
						assert.NotContains(t, strings.ToLower(doc), strings.ToLower(leak), "the body leaks %q", leak)
					}
					for k, vs := range resp.Header {
						for _, v := range vs {
							assert.NotContains(t, v, u.Host, "header %s leaks the address", k)
						}
					}
				}
				out := logs.String()
				assert.Contains(t, out, "request_id=up-1")
				assert.Contains(t, out, u.Host, "the log names the upstream")
				for _, s := range tc.secret {
					assert.Contains(t, out, s, "the log keeps the raw error")
				}
			})
		}
	}
}

func TestUpstreamErrorClassification(t *testing.T) {
	assert.Nil(t, middleware.UpstreamError(nil))
	tests := []struct {
		err    error
		status int
	}{
		{context.DeadlineExceeded, 504},
		{&url.Error{Op: "Get", URL: "http://10.0.0.1", Err: context.DeadlineExceeded}, 504},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("refused")}, 502},
		{io.ErrUnexpectedEOF, 502},
		{context.Canceled, 502},
		{errors.New("x509: certificate signed by unknown authority"), 502},
	}
	for _, tc := range tests {
		e := middleware.UpstreamError(tc.err)
		assert.Equal(t, tc.status, e.Status, "%v", tc.err)
		var uf *middleware.UpstreamFailure
		require.ErrorAs(t, e.Cause, &uf)
		assert.ErrorIs(t, e.Cause, tc.err)
	}
}
