package middleware_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
)

// rig is one hang-up case's server side: the renderer's observations and
// log, a signal that the handler (or the middleware under test) holds the
// request, and what the handler could still send after its Write.
type rig struct {
	obs     chan errdoc.Observation
	logs    syncBuffer
	started chan struct{}
	// sent receives errdoc.Status of the handler's writer after its
	// Write: 0 when nothing was written.
	sent     chan int
	handlers sync.WaitGroup
}

// newRig returns a rig whose handlers the test waits for when it ends,
// after its servers closed.
func newRig(t *testing.T) *rig {
	g := &rig{obs: make(chan errdoc.Observation, 8), started: make(chan struct{}, 8), sent: make(chan int, 8)}
	t.Cleanup(g.handlers.Wait)
	return g
}

func (g *rig) renderer() *errdoc.Renderer {
	return errdoc.NewRenderer(errdoc.Options{
		Logger:  slog.New(slog.NewJSONHandler(&g.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Observe: func(o errdoc.Observation) { o.Request = nil; g.obs <- o },
	})
}

// waiter is the handler of most cases: it says it started, waits for its
// request's context to end, renders the context's error, and reports
// whether anything was sent.
func (g *rig) waiter() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.handlers.Add(1)
		defer g.handlers.Done()
		g.started <- struct{}{}
		<-r.Context().Done()
		errdoc.Write(w, r, r.Context().Err())
		g.sent <- errdoc.Status(w)
	})
}

func (g *rig) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-g.started:
	case <-time.After(30 * time.Second):
		t.Fatal("the handler never started")
	}
}

func (g *rig) observation(t *testing.T) errdoc.Observation {
	t.Helper()
	select {
	case o := <-g.obs:
		return o
	case <-time.After(30 * time.Second):
		t.Fatal("nothing was observed")
	}
	return errdoc.Observation{}
}

// logRecords returns the JSON records logged so far.
func (g *rig) logRecords(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(g.logs.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		out = append(out, rec)
	}
	return out
}

// serveReal starts h on a real server speaking proto; configure may set the
// server up before it starts.
func serveReal(t *testing.T, proto string, h http.Handler, configure func(*http.Server)) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if configure != nil {
		configure(srv.Config)
	}
	if proto == "HTTP/2" {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

// hangUpHTTP1 sends a GET over a raw HTTP/1.1 connection and closes it once
// the server holds the request.
func hangUpHTTP1(t *testing.T, g *rig, srv *httptest.Server, path string) {
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: example.com\r\n\r\n", path)
	require.NoError(t, err)
	g.waitStarted(t)
	require.NoError(t, conn.Close())
}

// resetHTTP2 sends a GET with Go's HTTP/2 client and cancels it once the
// server holds the request: the client resets the stream (RST_STREAM
// CANCEL) and keeps the connection.
func resetHTTP2(t *testing.T, g *rig, srv *httptest.Server, path string) {
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("got a response: %s", resp.Status)
		}
		done <- err
	}()
	g.waitStarted(t)
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}

// goAwayHTTP2 opens an HTTP/2 connection by hand, sends a GET, and once
// the server holds it sends GOAWAY and closes the connection, as a client
// that shuts down does.
func goAwayHTTP2(t *testing.T, g *rig, srv *httptest.Server, path string) {
	conf := srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	conf.NextProtos = []string{"h2"}
	conn, err := tls.Dial("tcp", srv.Listener.Addr().String(), conf)
	require.NoError(t, err)
	readerDone := make(chan struct{})
	go func() { defer close(readerDone); _, _ = io.Copy(io.Discard, conn) }()
	_, err = io.WriteString(conn, http2.ClientPreface)
	require.NoError(t, err)
	fr := http2.NewFramer(conn, conn)
	require.NoError(t, fr.WriteSettings())
	var block bytes.Buffer
	enc := hpack.NewEncoder(&block)
	for _, f := range [][2]string{{":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"}, {":path", path}} {
		require.NoError(t, enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]}))
	}
	require.NoError(t, fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: block.Bytes(), EndStream: true, EndHeaders: true}))
	g.waitStarted(t)
	require.NoError(t, fr.WriteGoAway(0, http2.ErrCodeNo, nil))
	require.NoError(t, conn.Close())
	<-readerDone
}

// getReal sends a GET and returns the status and body the client received, or
// the error.
func getReal(srv *httptest.Server, path string) (int, string, error) {
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// requireHungUp checks a hang-up's record: one 499 observation, nothing
// sent by the handler when it wrote (sent < 0 skips that check), a debug
// record with the request ID, and no ERROR record.
func requireHungUp(t *testing.T, g *rig, sent int) {
	t.Helper()
	o := g.observation(t)
	assert.Equal(t, errdoc.StatusClientClosedRequest, o.Status)
	assert.Equal(t, errdoc.StatusClientClosedRequest, o.ResponseStatus)
	assert.Equal(t, "client_closed_request", o.Code)
	assert.NotEmpty(t, o.RequestID)
	assert.ErrorIs(t, o.Cause, context.Canceled)
	if sent >= 0 {
		assert.Equal(t, sent, <-g.sent, "a hang-up writes nothing")
	}
	recs := g.logRecords(t)
	require.NotEmpty(t, recs)
	for _, rec := range recs {
		assert.NotEqual(t, "ERROR", rec["level"], "a hang-up is logged below ERROR: %v", rec)
	}
	found := false
	for _, rec := range recs {
		if rec["code"] == "client_closed_request" {
			found = true
			assert.Equal(t, "DEBUG", rec["level"])
			assert.Equal(t, o.RequestID, rec["request_id"])
			assert.EqualValues(t, 499, rec["status"])
		}
	}
	assert.True(t, found, "no record of the hang-up: %v", recs)
}

// requireServerFailure checks that the request was recorded as the server
// failure status want, logged at ERROR.
func requireServerFailure(t *testing.T, g *rig, want int) errdoc.Observation {
	t.Helper()
	o := g.observation(t)
	assert.Equal(t, want, o.Status)
	assert.Equal(t, want, o.ResponseStatus)
	errorRecords := 0
	for _, rec := range g.logRecords(t) {
		assert.NotEqual(t, "client_closed_request", rec["code"])
		if rec["level"] == "ERROR" {
			errorRecords++
			assert.Equal(t, o.RequestID, rec["request_id"])
		}
	}
	assert.Equal(t, 1, errorRecords, "one ERROR record: %s", g.logs.String())
	return o
}

// TestClientHangUps: a request whose client went away (HTTP/1.1 close,
// HTTP/2 stream reset, HTTP/2 GOAWAY and close), while the handler, a
// Timeout, a DoUpstream call or a Throttle backlog waits, is recorded as
// 499 below ERROR, and nothing is written.
func TestClientHangUps(t *testing.T) {
	for _, hang := range []struct {
		name  string
		proto string
		do    func(*testing.T, *rig, *httptest.Server, string)
	}{
		{"HTTP/1.1 close", "HTTP/1.1", hangUpHTTP1},
		{"HTTP/2 stream reset", "HTTP/2", resetHTTP2},
		{"HTTP/2 GOAWAY", "HTTP/2", goAwayHTTP2},
	} {
		t.Run(hang.name+"/handler", func(t *testing.T) {
			g := newRig(t)
			srv := serveReal(t, hang.proto, g.renderer().Handler(g.waiter()), nil)
			hang.do(t, g, srv, "/")
			requireHungUp(t, g, 0)
		})
		t.Run(hang.name+"/handler under a server WriteTimeout", func(t *testing.T) {
			// A WriteTimeout far away does not hide the client's hang-up.
			g := newRig(t)
			srv := serveReal(t, hang.proto, g.renderer().Handler(g.waiter()), func(s *http.Server) { s.WriteTimeout = time.Hour })
			hang.do(t, g, srv, "/")
			requireHungUp(t, g, 0)
		})
		t.Run(hang.name+"/Timeout", func(t *testing.T) {
			g := newRig(t)
			release := make(chan struct{})
			h := g.renderer().Handler(middleware.Timeout(time.Hour)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				g.handlers.Add(1)
				defer g.handlers.Done()
				g.started <- struct{}{}
				<-release // ignores its context: the Timeout answers
			})))
			srv := serveReal(t, hang.proto, h, nil)
			defer close(release)
			hang.do(t, g, srv, "/")
			requireHungUp(t, g, -1)
		})
		t.Run(hang.name+"/Timeout above a handler rendering its end", func(t *testing.T) {
			// The Timeout and its handler both render the request's end:
			// one record and one observation of the hang-up, not two.
			g := newRig(t)
			returned := make(chan struct{}, 1)
			timed := middleware.Timeout(time.Hour)(g.waiter())
			h := g.renderer().Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer func() { returned <- struct{}{} }()
				timed.ServeHTTP(w, r)
			}))
			srv := serveReal(t, hang.proto, h, nil)
			hang.do(t, g, srv, "/")
			requireHungUp(t, g, -1)
			<-g.sent // the handler's Write is done
			select {
			case <-returned: // and the Timeout's
			case <-time.After(30 * time.Second):
				t.Fatal("the Timeout never returned")
			}
			select {
			case o := <-g.obs:
				t.Fatalf("a second observation of one hang-up: %+v", o)
			default:
			}
			n := 0
			for _, rec := range g.logRecords(t) {
				if rec["code"] == "client_closed_request" {
					n++
				}
			}
			assert.Equal(t, 1, n, "records of the hang-up: %s", g.logs.String())
		})
		t.Run(hang.name+"/every request under a BaseContext renderer", func(t *testing.T) {
			// A renderer in the server's BaseContext is shared by every
			// request: one client's hang-up never silences the next's.
			g := newRig(t)
			rd := g.renderer()
			srv := serveReal(t, hang.proto, rd.Handler(g.waiter()), func(s *http.Server) {
				s.BaseContext = func(net.Listener) context.Context { return errdoc.NewContext(context.Background(), rd) }
			})
			ids := map[string]bool{}
			for range 3 {
				hang.do(t, g, srv, "/")
				o := g.observation(t)
				assert.Equal(t, errdoc.StatusClientClosedRequest, o.Status)
				assert.Equal(t, 0, <-g.sent, "a hang-up writes nothing")
				ids[o.RequestID] = true
			}
			assert.Len(t, ids, 3, "one observation per request")
			n := 0
			for _, rec := range g.logRecords(t) {
				if rec["code"] == "client_closed_request" {
					n++
					assert.True(t, ids[rec["request_id"].(string)], "%v", rec)
				}
			}
			assert.Equal(t, 3, n, "one record per request: %s", g.logs.String())
		})
		t.Run(hang.name+"/DoUpstream", func(t *testing.T) {
			g := newRig(t)
			upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			}))
			defer upstream.Close()
			h := g.renderer().Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				g.handlers.Add(1)
				defer g.handlers.Done()
				req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, upstream.URL, nil)
				g.started <- struct{}{}
				resp, err := middleware.DoUpstreamWithin(upstream.Client(), req, time.Hour)
				if err == nil {
					resp.Body.Close()
					err = errors.New("the upstream answered")
				}
				errdoc.Write(w, r, err)
				g.sent <- errdoc.Status(w)
			}))
			srv := serveReal(t, hang.proto, h, nil)
			hang.do(t, g, srv, "/")
			requireHungUp(t, g, 0)
		})
		t.Run(hang.name+"/Throttle backlog", func(t *testing.T) {
			g := newRig(t)
			hold, holding := make(chan struct{}), make(chan struct{}, 1)
			throttled := middleware.ThrottleBacklog(1, 1, time.Hour)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				holding <- struct{}{}
				<-hold // the first request holds the only slot
			}))
			h := g.renderer().Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/waits" {
					g.handlers.Add(1)
					defer g.handlers.Done()
					g.started <- struct{}{}
				}
				throttled.ServeHTTP(w, r)
			}))
			srv := serveReal(t, hang.proto, h, nil)
			holder := make(chan error, 1)
			go func() { _, _, err := getReal(srv, "/holds"); holder <- err }()
			defer func() { close(hold); assert.NoError(t, <-holder) }()
			select {
			case <-holding:
			case <-time.After(30 * time.Second):
				t.Fatal("the first request never got its slot")
			}
			hang.do(t, g, srv, "/waits")
			requireHungUp(t, g, -1)
		})
	}
}
