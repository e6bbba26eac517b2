package middleware_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/etag"
)

// The tests of this file are the audit of goroutines that outlive a
// request (see the package documentation): one per finding.

// A late handler reads its request body after the deadline, while the next
// request arrives on the same HTTP/1.1 connection: net/http reads both
// from one buffered reader, and the late handler must never get a byte of
// the next request. (net/http closes the body when the router returns,
// and limits it to its own length before that.) And the 504 is sent at
// the deadline although the handler is blocked reading a body whose end
// has not arrived: before, the read held net/http's lock on the body,
// which the server takes before it answers, and the 504 waited for the
// client's next bytes (for ever, here, where the client waits for it).
func TestTimeoutLateHandlerReadsOnlyItsOwnBody(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	read := make(chan string, 1)
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler)
	r.With(middleware.Timeout(30*time.Millisecond)).Post("/late", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		time.Sleep(50 * time.Millisecond) // the next request is on its way
		var got strings.Builder
		buf := make([]byte, 64)
		for range 50 {
			n, err := r.Body.Read(buf)
			got.Write(buf[:n])
			if err != nil {
				break
			}
			time.Sleep(time.Millisecond)
		}
		read <- got.String()
	})
	r.Get("/next", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "next answered")
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second))) // a failure, not a hang
	br := bufio.NewReader(conn)
	// The first request's body is announced as 12 bytes; 6 arrive now, the
	// other 6 after its 504, pipelined with the next request, whose secret
	// the late handler must never read.
	_, err = io.WriteString(conn, "POST /late HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\nmine-1")
	require.NoError(t, err)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "the 504 never came")
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
	_, err = io.WriteString(conn, "mine-2GET /next HTTP/1.1\r\nHost: x\r\nX-Secret: SECRET-OF-THE-NEXT\r\n\r\n")
	require.NoError(t, err)
	resp, err = http.ReadResponse(br, nil)
	if err == nil { // net/http may close the connection after a body left unread
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, "next answered", string(body))
	}
	select {
	case got := <-read:
		assert.NotContains(t, got, "SECRET")
		assert.NotContains(t, got, "GET /next")
		assert.True(t, strings.HasPrefix("mine-1mine-2", got), "the late handler read %q", got)
	case <-time.After(30 * time.Second):
		t.Fatal("the late handler never finished reading")
	}
}

// DoUpstream's call cut by the request's deadline leaves nothing for the
// next call on the same client: the transport closes the connection that
// still owes the late reply instead of pooling it, so the next call gets
// its own answer. The upstream answers each request with its own ID, the
// first one late.
func TestDoUpstreamCutCallLeavesNoLateReply(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("slow") != "" {
			time.Sleep(200 * time.Millisecond)
		}
		_, _ = io.WriteString(w, "reply for "+r.URL.Query().Get("id"))
	}))
	defer upstream.Close()
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1}}
	defer client.CloseIdleConnections()

	h := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler(middleware.Timeout(50 * time.Millisecond)(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, upstream.URL+"?"+r.URL.RawQuery, nil)
			require.NoError(t, err)
			resp, err := middleware.DoUpstream(client, req)
			if err != nil {
				errdoc.Write(w, r, err)
				return
			}
			defer resp.Body.Close()
			_, _ = io.Copy(w, resp.Body)
		})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?id=A&slow=1", nil))
	assert.Equal(t, http.StatusGatewayTimeout, rec.Code)
	for _, id := range []string{"B", "C"} {
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?id="+id, nil))
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, "reply for "+id, rec.Body.String())
	}
}

// ETag buffers the body of the request it serves; mounted above or below a
// Timeout, what a late handler writes never reaches the buffer, the body
// or the ETag of another request. Late handlers keep writing their own
// mark while other requests are served through the same server.
func TestETagBesideTimeoutKeepsBodiesApart(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for _, order := range []string{"ETag above Timeout", "ETag below Timeout"} {
		t.Run(order, func(t *testing.T) {
			var ended atomic.Int64
			h := func(w http.ResponseWriter, r *http.Request) {
				defer ended.Add(1)
				id := chi.URLParam(r, "id")
				if strings.HasPrefix(id, "late") {
					<-r.Context().Done()
					for range 20 {
						_, _ = io.WriteString(w, "MARK-"+id+";")
						time.Sleep(time.Millisecond)
					}
					return
				}
				_, _ = io.WriteString(w, "body of "+id)
			}
			tmo, et := middleware.Timeout(20*time.Millisecond), etag.ETag(64<<10)
			r := chi.NewRouter()
			r.Use(errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler)
			if order == "ETag above Timeout" {
				r.With(et, tmo).Get("/items/{id}", h)
			} else {
				r.With(tmo, et).Get("/items/{id}", h)
			}
			srv, c := testsrv.NewServer(t, "HTTP/1.1", r)
			var wg sync.WaitGroup
			const n = 60
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					id := fmt.Sprint("fast", i)
					if i%5 == 0 {
						id = fmt.Sprint("late", i)
					}
					resp, err := c.Get(srv.URL + "/items/" + id)
					if !assert.NoError(t, err) {
						return
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					assert.NotContains(t, string(body), "MARK-", id)
					if resp.StatusCode == http.StatusOK {
						assert.Equal(t, "body of "+id, string(body))
						assert.Equal(t, etag.StrongETag(resp.Header, body), resp.Header.Get("ETag"), id)
					}
				}()
			}
			wg.Wait()
			waitEnded(t, &ended, n)
		})
	}
}

// A request that Timeout answered in time keeps the context it ended
// with: the shared deadline timer, firing later for other requests, never
// reaches it (its context was taken off the timer's queue on return).
func TestTimeoutFinishedContextIsNeverExpiredLater(t *testing.T) {
	var got context.Context
	h := middleware.Timeout(20 * time.Millisecond)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Context()
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	require.NotNil(t, got)
	// Another request keeps the timer busy past the first one's deadline.
	slow := middleware.Timeout(20 * time.Millisecond)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	slow.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	time.Sleep(30 * time.Millisecond)
	assert.ErrorIs(t, got.Err(), context.Canceled)
	assert.Same(t, middleware.ErrHandlerReturned, context.Cause(got))
}

// A 504 for a request whose body the handler had read to its end: the
// connection stays usable, and the requests that follow on it start with
// live contexts. (A read deadline set at the 504, as Timeout once did to
// free a handler blocked reading its body, fails net/http's background
// read and cancels the context of every later request on the connection.)
func TestTimeoutKeepAliveAfterA504WithABody(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	var ended atomic.Int64
	var cancelled atomic.Int64
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler)
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Context().Err() != nil {
				cancelled.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	})
	r.With(middleware.Timeout(30*time.Millisecond)).Post("/slow", func(w http.ResponseWriter, r *http.Request) {
		defer ended.Add(1)
		_, _ = io.ReadAll(r.Body)
		// Outlive the deadline whatever the machine's load: return only
		// once Timeout has given up on this handler.
		<-r.Context().Done()
		time.Sleep(10 * time.Millisecond)
	})
	r.Get("/fast", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	srv := httptest.NewServer(r)
	defer srv.Close()
	client := srv.Client()
	defer client.CloseIdleConnections()
	for range 3 {
		resp, err := client.Post(srv.URL+"/slow", "text/plain", strings.NewReader("hello"))
		require.NoError(t, err)
		got := testsrv.Read(t, resp)
		assert.Equal(t, http.StatusGatewayTimeout, got.Resp.StatusCode)
		for range 3 {
			resp, err := client.Get(srv.URL + "/fast")
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "ok", string(body))
		}
	}
	assert.Zero(t, cancelled.Load(), "requests that started with a cancelled context")
	waitEnded(t, &ended, 3)
}

// chi routing below a Timeout (in a sub-router's Use, behind a slow
// middleware, so that it happens after the deadline) writes the path
// values of the handler's own request, never those of the request the
// middlewares above hold and read once the router returns: -race
// finds a shared map, which a concurrent read and write would turn into a
// fatal error. The handler reads its own values; the access log above, the
// values its router set.
func TestTimeoutLateRoutingOwnsItsPathValues(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	var ended atomic.Int64
	var handlerID, aboveID, aboveStar atomic.Value
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler)
	r.Use(func(next http.Handler) http.Handler { // an access log
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			for range 200 {
				aboveID.Store(r.PathValue("id"))
				aboveStar.Store(r.PathValue("*"))
				time.Sleep(50 * time.Microsecond)
			}
		})
	})
	r.Route("/api", func(r chi.Router) {
		r.Use(middleware.Timeout(20 * time.Millisecond))
		r.Use(func(next http.Handler) http.Handler { // slow authentication
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done() // routing happens after the deadline
				time.Sleep(5 * time.Millisecond)
				next.ServeHTTP(w, r)
			})
		})
		r.Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) {
			defer ended.Add(1)
			handlerID.Store(r.PathValue("id"))
		})
	})
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			srv, c := testsrv.NewServer(t, proto, r)
			resp, err := c.Get(srv.URL + "/api/items/7")
			require.NoError(t, err)
			got := testsrv.Read(t, resp)
			assert.Equal(t, http.StatusGatewayTimeout, got.Resp.StatusCode)
		})
	}
	waitEnded(t, &ended, 2)
	time.Sleep(20 * time.Millisecond) // the access log's last reads
	assert.Equal(t, "7", handlerID.Load())
	assert.Equal(t, "", aboveID.Load(), "the router above never routed {id}")
	assert.Equal(t, "items/7", aboveStar.Load())
}

// A context deadline an application sets between two Timeouts ends the
// inner one alone: it answers the 504 (before, it stayed silent, waiting
// for an outer Timeout that had not ended, and the client got a 200 with
// an empty body).
func TestTimeoutUnderAForeignDeadline(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			done := make(chan struct{}, 1)
			r := chi.NewRouter()
			r.Use(errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler)
			r.Use(middleware.Timeout(5 * time.Second))
			r.With(func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					ctx, cancel := context.WithTimeout(r.Context(), 30*time.Millisecond)
					defer cancel()
					next.ServeHTTP(w, r.WithContext(ctx))
				})
			}, middleware.Timeout(2*time.Second)).Get("/slow", func(w http.ResponseWriter, r *http.Request) {
				defer func() { done <- struct{}{} }()
				time.Sleep(100 * time.Millisecond)
				_, _ = w.Write([]byte("late"))
			})
			srv, c := testsrv.NewServer(t, proto, r)
			resp, err := c.Get(srv.URL + "/slow")
			require.NoError(t, err)
			got := testsrv.Read(t, resp)
			assert.Equal(t, http.StatusGatewayTimeout, got.Resp.StatusCode, "%s", got.Body)
			<-done
		})
	}
}

// Nested Timeouts whose deadlines fall close together (the outer's
// timer may fire while the inner one writes its 504, or first): every
// client gets one whole 504, and the log one record of it. Run at gaps
// of 0, 100 µs and 300 µs, 20 requests each.
func TestTimeoutNestedCloseDeadlines(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for _, gap := range []time.Duration{0, 100 * time.Microsecond, 300 * time.Microsecond} {
		t.Run(gap.String(), func(t *testing.T) {
			logs := &syncBuffer{}
			lg := slog.New(slog.NewTextHandler(logs, nil))
			var ended atomic.Int64
			r := chi.NewRouter()
			r.Use(errdoc.NewRenderer(errdoc.Options{Logger: lg}).Handler)
			r.Use(middleware.TimeoutWithOptions(middleware.TimeoutOptions{Timeout: 20*time.Millisecond + gap, Logger: lg}))
			r.With(middleware.TimeoutWithOptions(middleware.TimeoutOptions{Timeout: 20 * time.Millisecond, Logger: lg})).Get("/slow", func(w http.ResponseWriter, r *http.Request) {
				defer ended.Add(1)
				// Past both deadlines whenever their timers fire, on a
				// loaded machine too.
				<-r.Context().Done()
				time.Sleep(20 * time.Millisecond)
			})
			srv, c := testsrv.NewServer(t, "HTTP/1.1", r)
			const n = 20
			for range n {
				resp, err := c.Get(srv.URL + "/slow")
				require.NoError(t, err)
				got := testsrv.Read(t, resp)
				assert.Equal(t, http.StatusGatewayTimeout, got.Resp.StatusCode)
				assert.Len(t, got.Errors, 1, "a whole document: %s", got.Body)
			}
			waitEnded(t, &ended, n)
			out := logs.String()
			assert.Equal(t, n, strings.Count(out, "level="), "one record per request:\n%s", out)
			assert.NotContains(t, out, "abort")
		})
	}
}
