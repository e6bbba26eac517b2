package errdoc_test

import (
	"bufio"
	"github.com/faultline-go/faultline/internal/logbuf"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// foreignWrapper is a third-party wrapper with Unwrap, as other middlewares
// install.
type foreignWrapper struct{ http.ResponseWriter }

func (f foreignWrapper) Unwrap() http.ResponseWriter { return f.ResponseWriter }

type syncBuffer = logbuf.Buffer

// newServer starts h on a real server speaking HTTP/1.1 or HTTP/2 and
// returns its client and error log.
func newServer(t *testing.T, proto string, h http.Handler) (*httptest.Server, *http.Client, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(logs, "", 0)
	if proto == "HTTP/2" {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, srv.Client(), logs
}

func TestCommittedOverRealServers(t *testing.T) {
	type action struct {
		name          string
		do            func(w http.ResponseWriter)
		wantCommitted bool
		wantStatus    int // what the client sees
		wantBody      string
	}
	actions := []action{
		{"nothing", func(http.ResponseWriter) {}, false, 404, ""},
		{"early hints", func(w http.ResponseWriter) { w.WriteHeader(http.StatusEarlyHints) }, false, 404, ""},
		{"write header", func(w http.ResponseWriter) { w.WriteHeader(http.StatusAccepted) }, true, 202, ""},
		{"write", func(w http.ResponseWriter) { _, _ = io.WriteString(w, "partial") }, true, 200, "partial"},
		{"flush", func(w http.ResponseWriter) {
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
				return
			}
			require.NoError(t, http.NewResponseController(w).Flush())
		}, true, 200, ""},
		{"controller flush", func(w http.ResponseWriter) { require.NoError(t, http.NewResponseController(w).Flush()) }, true, 200, ""},
		{"read from", func(w http.ResponseWriter) { _, _ = io.Copy(w, strings.NewReader("copied")) }, true, 200, "copied"},
		// Deadlines and full duplex reach net/http through Unwrap and commit
		// nothing.
		{"deadlines", func(w http.ResponseWriter) {
			rc := http.NewResponseController(w)
			require.NoError(t, rc.SetWriteDeadline(time.Now().Add(time.Minute)))
			require.NoError(t, rc.SetReadDeadline(time.Now().Add(time.Minute)))
			_ = rc.EnableFullDuplex() // HTTP/1.1 only
		}, false, 404, ""},
	}
	layers := map[string]func(w http.ResponseWriter) (http.ResponseWriter, func()){
		"nested": func(w http.ResponseWriter) (http.ResponseWriter, func()) {
			tw, tr := errdoc.Track(w)
			outer, tr2 := errdoc.Track(foreignWrapper{tw})
			again, tr3 := errdoc.Track(outer) // already tracked: returned as is
			if again != outer {
				panic("Track re-wrapped a tracked writer")
			}
			return foreignWrapper{again}, func() { tr3.Release(); tr2.Release(); tr.Release() }
		},
	}
	for name, layer := range wrapperLayers() {
		layers[name] = layer
	}
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		for lname, layer := range layers {
			for _, a := range actions {
				t.Run(proto+"/"+lname+"/"+a.name, func(t *testing.T) {
					t.Parallel()
					var committed bool
					h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						tw, release := layer(w)
						defer release()
						a.do(tw)
						committed = errdoc.Committed(tw)
						errdoc.Write(tw, r, errdoc.New(404, "late"))
					})
					srv, client, logs := newServer(t, proto, h)
					resp, err := client.Get(srv.URL)
					require.NoError(t, err)
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					assert.Equal(t, map[string]string{"HTTP/1.1": "HTTP/1.1", "HTTP/2": "HTTP/2.0"}[proto], resp.Proto)
					assert.Equal(t, a.wantCommitted, committed)
					assert.Equal(t, a.wantStatus, resp.StatusCode)
					if a.wantCommitted {
						assert.Equal(t, a.wantBody, string(body), "nothing is appended to a committed response")
					} else {
						requireJSONAPI(t, body)
					}
					srv.Close()
					assert.NotContains(t, logs.String(), "superfluous")
				})
			}
		}
	}
}

func TestTrackKeepsOptionalInterfaces(t *testing.T) {
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		t.Run(proto, func(t *testing.T) {
			type ifaces struct{ flusher, hijacker, readerFrom bool }
			var raw, tracked ifaces
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tw, tr := errdoc.Track(w)
				defer tr.Release()
				probe := func(w http.ResponseWriter) ifaces {
					_, f := w.(http.Flusher)
					_, h := w.(http.Hijacker)
					_, rf := w.(io.ReaderFrom)
					return ifaces{f, h, rf}
				}
				raw, tracked = probe(w), probe(tw)
				assert.Equal(t, w, tw.(interface{ Unwrap() http.ResponseWriter }).Unwrap())
			})
			srv, client, _ := newServer(t, proto, h)
			resp, err := client.Get(srv.URL)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, raw, tracked)
			assert.True(t, tracked.flusher)
			assert.Equal(t, proto == "HTTP/1.1", tracked.hijacker)
		})
	}
	// A writer with none of them gets a wrapper with none of them.
	tw, tr := errdoc.Track(plainWriter{httptest.NewRecorder()})
	defer tr.Release()
	_, f := tw.(http.Flusher)
	_, h := tw.(http.Hijacker)
	_, rf := tw.(io.ReaderFrom)
	assert.False(t, f || h || rf)
}

// forwarder is a middleware's writer that implements the optional
// interfaces itself, forwarding them down its chain, and Unwrap.
type forwarder struct{ http.ResponseWriter }

func (f forwarder) Unwrap() http.ResponseWriter { return f.ResponseWriter }
func (f forwarder) Flush()                      { _ = http.NewResponseController(f.ResponseWriter).Flush() }
func (f forwarder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(f.ResponseWriter).Hijack()
}

// wrapperLayers puts a tracker among other middlewares' wrappers: the
// tracker must see every flush and hijack whichever path reaches net/http.
func wrapperLayers() map[string]func(w http.ResponseWriter) (http.ResponseWriter, func()) {
	track := func(w http.ResponseWriter) (http.ResponseWriter, func()) {
		tw, tr := errdoc.Track(w)
		return tw, tr.Release
	}
	return map[string]func(w http.ResponseWriter) (http.ResponseWriter, func()){
		"direct": track,
		// Wrappers with only Unwrap between the tracker and net/http: a
		// ResponseController call through the tracker used to go around it.
		"unwrap-only below": func(w http.ResponseWriter) (http.ResponseWriter, func()) {
			return track(foreignWrapper{foreignWrapper{w}})
		},
		"forwarder below": func(w http.ResponseWriter) (http.ResponseWriter, func()) {
			return track(forwarder{w})
		},
		"three layers": func(w http.ResponseWriter) (http.ResponseWriter, func()) {
			tw, release := track(forwarder{foreignWrapper{w}})
			return foreignWrapper{forwarder{foreignWrapper{tw}}}, release
		},
	}
}

// Hijack through every layering: the tracker records it (HTTP/1.1) and the
// hijacked response is left alone, or it is refused and the error document
// is still written (HTTP/2).
func TestHijackThroughLayers(t *testing.T) {
	for lname, layer := range wrapperLayers() {
		t.Run("HTTP/1.1/"+lname, func(t *testing.T) {
			done := make(chan struct{})
			var committed, hijacked bool
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				tw, release := layer(w)
				defer release()
				conn, brw, err := http.NewResponseController(tw).Hijack()
				require.NoError(t, err)
				defer conn.Close()
				_, _ = brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: demo\r\nConnection: Upgrade\r\n\r\n")
				_ = brw.Flush()
				committed, hijacked = errdoc.Committed(tw), errdoc.Hijacked(tw)
				errdoc.Write(tw, r, errdoc.New(500, "must not be written"))
			})
			srv, _, logs := newServer(t, "HTTP/1.1", h)
			conn, err := (&netDialer{}).dial(srv.Listener.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			_, _ = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: demo\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			require.NoError(t, err)
			assert.Equal(t, 101, resp.StatusCode)
			<-done
			assert.True(t, committed)
			assert.True(t, hijacked)
			assert.NotContains(t, logs.String(), "hijacked connection")
		})
		t.Run("HTTP/2/"+lname, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tw, release := layer(w)
				defer release()
				_, _, err := http.NewResponseController(tw).Hijack()
				assert.ErrorIs(t, err, http.ErrNotSupported)
				assert.False(t, errdoc.Committed(tw))
				errdoc.Write(tw, r, errdoc.New(404, "still written"))
			})
			srv, client, _ := newServer(t, "HTTP/2", h)
			resp, err := client.Get(srv.URL)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, 404, resp.StatusCode)
			assert.Contains(t, string(body), "still written")
		})
	}
}

// The tracker claims Flusher and Hijacker exactly when some writer of its
// chain has them, and its ResponseController calls fail as net/http's would
// where none does.
func TestTrackClaimsWhatTheChainSupports(t *testing.T) {
	probe := func(w http.ResponseWriter) (flusher, hijacker bool) {
		_, f := w.(http.Flusher)
		_, h := w.(http.Hijacker)
		return f, h
	}
	rec := httptest.NewRecorder() // flushes, cannot hijack
	for name, tc := range map[string]struct {
		w                 http.ResponseWriter
		flusher, hijacker bool
	}{
		"recorder":                  {rec, true, false},
		"unwrap-only over recorder": {foreignWrapper{rec}, true, false},
		"plain":                     {plainWriter{rec}, false, false},
		"unwrap-only over plain":    {foreignWrapper{plainWriter{rec}}, false, false},
		"forwarder over plain":      {forwarder{plainWriter{rec}}, true, true}, // claims, then fails
	} {
		t.Run(name, func(t *testing.T) {
			tw, tr := errdoc.Track(tc.w)
			defer tr.Release()
			f, h := probe(tw)
			assert.Equal(t, tc.flusher, f, "Flusher")
			assert.Equal(t, tc.hijacker, h, "Hijacker")
			_, _, err := http.NewResponseController(tw).Hijack()
			assert.ErrorIs(t, err, http.ErrNotSupported)
			assert.False(t, errdoc.Hijacked(tw))
			if !tc.flusher {
				assert.ErrorIs(t, http.NewResponseController(tw).Flush(), http.ErrNotSupported)
			}
		})
	}
}

type plainWriter struct{ w http.ResponseWriter }

func (p plainWriter) Header() http.Header         { return p.w.Header() }
func (p plainWriter) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p plainWriter) WriteHeader(c int)           { p.w.WriteHeader(c) }

// Tracking costs exactly one allocation, the wrapper, which is never reused
// (see TestLateWriteNeverReachesAnotherRequest); asking about it costs none.
func TestTrackAllocatesOneWrapper(t *testing.T) {
	rec := httptest.NewRecorder()
	allocs := testing.AllocsPerRun(1000, func() {
		tw, tr := errdoc.Track(rec)
		_ = errdoc.Committed(tw)
		tr.Release()
	})
	assert.Equal(t, 1.0, allocs)
	tw, tr := errdoc.Track(rec)
	defer tr.Release()
	assert.Zero(t, testing.AllocsPerRun(1000, func() {
		_, _ = errdoc.Committed(tw), errdoc.Status(tw)
		_, _ = tw.Write(nil)
	}))
}

// After Release the response is over: Committed says so, so that a late
// errdoc.Write logs instead of rendering into nothing.
func TestReleasedCountsAsCommitted(t *testing.T) {
	rec := httptest.NewRecorder()
	tw, tr := errdoc.Track(rec)
	assert.False(t, errdoc.Committed(tw))
	tr.Release()
	assert.True(t, errdoc.Committed(tw))
	assert.True(t, errdoc.Committed(foreignWrapper{tw}))
	assert.False(t, errdoc.Hijacked(tw))
	errdoc.Write(tw, httptest.NewRequest(http.MethodGet, "/", nil), errdoc.New(http.StatusNotFound, ""))
	assert.Equal(t, http.StatusOK, rec.Code, "nothing reached the recorder")
	assert.Empty(t, rec.Body.String())
	assert.Empty(t, rec.Header())
}

func TestStatus(t *testing.T) {
	rec := httptest.NewRecorder()
	tw, tr := errdoc.Track(rec)
	defer tr.Release()
	assert.Equal(t, 0, errdoc.Status(tw))
	tw.WriteHeader(http.StatusTeapot)
	assert.Equal(t, http.StatusTeapot, errdoc.Status(foreignWrapper{tw}))
	assert.Equal(t, 0, errdoc.Status(rec))
}

type netDialer struct{}

func (netDialer) dial(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }
