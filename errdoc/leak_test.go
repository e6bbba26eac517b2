package errdoc_test

import (
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLateWriteNeverReachesAnotherRequest is the experiment of issue #8: a
// handler's goroutine writes after ServeHTTP returned, at the moment the next
// request is being served by the same server. Run under -race, it proves both
// that the late write reaches no other response and that it does not race on
// the tracker's state. Requests go one after the other, so with pooled
// wrappers request B would usually get the wrapper A's goroutine still holds;
// nothing is tolerated: every one of the tries must be clean.
func TestLateWriteNeverReachesAnotherRequest(t *testing.T) {
	const tries = 40
	mounts := map[string]func(a, b http.Handler) http.Handler{
		"Handler": func(a, b http.Handler) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("/a", a)
			mux.Handle("/b", b)
			return errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()}).Handler(mux)
		},
		"HandlerFunc": func(a, b http.Handler) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("/a", errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error { a.ServeHTTP(w, r); return nil }))
			mux.Handle("/b", errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error { b.ServeHTTP(w, r); return nil }))
			return mux
		},
	}
	for name, mount := range mounts {
		for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
			t.Run(name+"/"+proto, func(t *testing.T) {
				// One round: A's goroutine waits until B's handler runs, writes
				// into the writer A was given, then lets B write its own body.
				type round struct {
					bStarted, aWrote chan struct{}
					lateErr          error
				}
				var mu sync.Mutex
				var cur *round
				current := func() *round { mu.Lock(); defer mu.Unlock(); return cur }
				var stray sync.WaitGroup
				a := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					rd := current()
					w.Header().Set("X-Owner", "A")
					_, _ = io.WriteString(w, "A-body")
					stray.Add(1)
					go func() {
						defer stray.Done()
						defer close(rd.aWrote)
						select {
						case <-rd.bStarted:
						case <-time.After(10 * time.Second):
							return
						}
						w.Header().Set("X-Secret", "A")
						w.WriteHeader(http.StatusTeapot)
						_, err := io.WriteString(w, "SECRET-OF-A;")
						mu.Lock()
						rd.lateErr = err
						mu.Unlock()
					}()
				})
				b := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					rd := current()
					close(rd.bStarted)
					<-rd.aWrote
					_, _ = io.WriteString(w, "B-body")
				})
				srv, client, _ := newServer(t, proto, mount(a, b))
				leaks := 0
				for i := 0; i < tries; i++ {
					rd := &round{bStarted: make(chan struct{}), aWrote: make(chan struct{})}
					mu.Lock()
					cur = rd
					mu.Unlock()
					respA, err := client.Get(srv.URL + "/a")
					require.NoError(t, err)
					bodyA, _ := io.ReadAll(respA.Body)
					respA.Body.Close()
					require.Equal(t, "A-body", string(bodyA))
					respB, err := client.Get(srv.URL + "/b")
					require.NoError(t, err)
					bodyB, _ := io.ReadAll(respB.Body)
					respB.Body.Close()
					if string(bodyB) != "B-body" || respB.StatusCode != http.StatusOK ||
						respB.Header.Get("X-Secret") != "" || respB.Header.Get("X-Owner") != "" {
						leaks++
					}
					mu.Lock()
					lateErr := rd.lateErr
					mu.Unlock()
					assert.ErrorIs(t, lateErr, errdoc.ErrReleased, "the late write is refused")
				}
				stray.Wait()
				assert.Zero(t, leaks, "responses of B that carried something of A, out of %d", tries)
			})
		}
	}
}

// guardedWriter is the writer a timeout middleware gives a handler it runs
// in its own goroutine: a mutex guards it, and once the middleware answered
// in the handler's place every write is refused.
type guardedWriter struct {
	mu       sync.Mutex
	w        http.ResponseWriter
	h        http.Header
	timedOut bool
}

func (g *guardedWriter) Header() http.Header { return g.h }
func (g *guardedWriter) WriteHeader(int)     {}
func (g *guardedWriter) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.timedOut {
		return 0, http.ErrHandlerTimeout
	}
	return len(p), nil // buffered, in a real middleware
}
func (g *guardedWriter) Unwrap() http.ResponseWriter { return g.w }

// A handler that legitimately outlives ServeHTTP (run by a timeout
// middleware) keeps working with tracking on both sides: the middleware
// answers 504 through the request's tracker, and the handler, still running,
// writes through its own HandlerFunc tracker into the guarded writer, never
// into the finished response.
func TestHandlerOutlivingServeHTTPBehindGuardedWriter(t *testing.T) {
	for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
		t.Run(proto, func(t *testing.T) {
			timeout, returned, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
			var lateErr error
			slow := errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
				close(timeout) // the test's clock: the deadline passes now
				<-returned     // the middleware answered and returned
				_, lateErr = io.WriteString(w, "too late")
				return nil
			})
			withTimeout := func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					g := &guardedWriter{w: w, h: http.Header{}}
					go func() {
						defer close(done)
						next.ServeHTTP(g, r)
					}()
					<-timeout
					g.mu.Lock()
					g.timedOut = true
					g.mu.Unlock()
					errdoc.Write(w, r, errdoc.New(http.StatusGatewayTimeout, ""))
				})
			}
			rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(returned)
				rd.Handler(withTimeout(slow)).ServeHTTP(w, r)
			})
			srv, client, logs := newServer(t, proto, h)
			resp, err := client.Get(srv.URL)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			<-done
			assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
			requireJSONAPI(t, body)
			assert.ErrorIs(t, lateErr, http.ErrHandlerTimeout, "refused by the guard, not by tracking")
			assert.Empty(t, logs.String())
		})
	}
}
