package middleware_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
)

// TestServerEndsAreNotHangUps: every way the server itself ends a request,
// a deadline, an upstream's failure, a shutdown, a handler's own
// cancellation, the server's write deadline resetting an HTTP/2 stream,
// stays a server failure: a 5xx, logged at ERROR, never 499.
func TestServerEndsAreNotHangUps(t *testing.T) {
	for _, proto := range protos {
		t.Run(proto+"/Timeout", func(t *testing.T) {
			g := newRig(t)
			release := make(chan struct{})
			h := g.renderer().Handler(middleware.Timeout(100 * time.Millisecond)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				g.handlers.Add(1)
				defer g.handlers.Done()
				<-release
			})))
			srv := serveReal(t, proto, h, nil)
			defer close(release)
			status, body, err := getReal(srv, "/")
			require.NoError(t, err)
			assert.Equal(t, http.StatusGatewayTimeout, status)
			assert.Contains(t, body, "gateway_timeout")
			o := requireServerFailure(t, g, http.StatusGatewayTimeout)
			var terr *middleware.TimeoutError
			require.ErrorAs(t, o.Cause, &terr)
			assert.Same(t, middleware.ErrTimeout, terr.Cause)
		})
		t.Run(proto+"/upstream deadline", func(t *testing.T) {
			g := newRig(t)
			upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
			defer upstream.Close()
			srv := serveReal(t, proto, g.renderer().Handler(upstreamCaller(upstream, 100*time.Millisecond)), nil)
			status, body, err := getReal(srv, "/")
			require.NoError(t, err)
			assert.Equal(t, http.StatusGatewayTimeout, status)
			assert.NotContains(t, body, upstream.URL, "the upstream stays in the log")
			o := requireServerFailure(t, g, http.StatusGatewayTimeout)
			assert.ErrorIs(t, o.Cause, middleware.ErrUpstreamTimeout)
		})
		t.Run(proto+"/upstream reset", func(t *testing.T) {
			g := newRig(t)
			upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					conn.Close()
				}
			}))
			defer upstream.Close()
			srv := serveReal(t, proto, g.renderer().Handler(upstreamCaller(upstream, time.Minute)), nil)
			status, _, err := getReal(srv, "/")
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadGateway, status)
			requireServerFailure(t, g, http.StatusBadGateway)
		})
		for _, end := range []struct {
			name  string
			cause error
			do    func(*middleware.ServerShutdown) error
		}{
			{"Server.Shutdown past its deadline", middleware.ErrServerShutdown, func(s *middleware.ServerShutdown) error {
				ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
				defer cancel()
				return s.Shutdown(ctx)
			}},
			{"Server.Close", middleware.ErrServerClosed, (*middleware.ServerShutdown).Close},
		} {
			t.Run(proto+"/"+end.name, func(t *testing.T) {
				g := newRig(t)
				causes := make(chan error, 1)
				h := g.renderer().Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					g.handlers.Add(1)
					defer g.handlers.Done()
					g.started <- struct{}{}
					<-r.Context().Done()
					causes <- context.Cause(r.Context())
					errdoc.Write(w, r, r.Context().Err())
				}))
				var stop *middleware.ServerShutdown
				srv := serveReal(t, proto, h, func(s *http.Server) { stop = middleware.NewServerShutdown(s) })
				clientDone := make(chan error, 1)
				go func() { _, _, err := getReal(srv, "/"); clientDone <- err }()
				g.waitStarted(t)
				err := end.do(stop)
				if end.cause == middleware.ErrServerShutdown {
					assert.ErrorIs(t, err, context.DeadlineExceeded)
				}
				assert.Same(t, end.cause, <-causes)
				assert.Same(t, end.cause, context.Cause(stop.Context()))
				o := requireServerFailure(t, g, http.StatusInternalServerError)
				assert.ErrorIs(t, o.Cause, context.Canceled)
				<-clientDone // the 500, or the closed connection: the race is net/http's
			})
		}
		t.Run(proto+"/a handler's own cancel", func(t *testing.T) {
			g := newRig(t)
			h := g.renderer().Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctx, cancel := context.WithCancel(r.Context())
				cancel()
				errdoc.Write(w, r.WithContext(ctx), ctx.Err())
			}))
			srv := serveReal(t, proto, h, nil)
			status, body, err := getReal(srv, "/")
			require.NoError(t, err)
			assert.Equal(t, http.StatusInternalServerError, status)
			assert.Contains(t, body, "internal_error")
			requireServerFailure(t, g, http.StatusInternalServerError)
		})
		t.Run(proto+"/a handler's own cancel, no errdoc.Handler", func(t *testing.T) {
			g := newRig(t)
			rd := g.renderer()
			srv := serveReal(t, proto, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctx, cancel := context.WithCancel(r.Context())
				cancel()
				rd.Write(w, r.WithContext(ctx), ctx.Err())
			}), nil)
			status, _, err := getReal(srv, "/")
			require.NoError(t, err)
			assert.Equal(t, http.StatusInternalServerError, status)
			requireServerFailure(t, g, http.StatusInternalServerError)
		})
	}
	// net/http resets an HTTP/2 stream at the server's WriteTimeout, or at
	// a write deadline a handler set, and cancels its context exactly as a
	// client's RST_STREAM does: errdoc.HungUp refuses to call either a
	// hang-up.
	t.Run("HTTP/2/server WriteTimeout", func(t *testing.T) {
		g := newRig(t)
		srv := serveReal(t, "HTTP/2", g.renderer().Handler(g.waiter()), func(s *http.Server) { s.WriteTimeout = 400 * time.Millisecond })
		_, _, err := getReal(srv, "/")
		assert.Error(t, err, "the stream was reset")
		g.waitStarted(t)
		requireServerFailure(t, g, http.StatusInternalServerError)
		assert.NotZero(t, <-g.sent, "the document was written, to a stream already gone")
	})
	t.Run("HTTP/2/a handler's write deadline", func(t *testing.T) {
		g := newRig(t)
		h := g.renderer().Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			g.handlers.Add(1)
			defer g.handlers.Done()
			if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
				t.Error(err)
			}
			<-r.Context().Done()
			errdoc.Write(w, r, r.Context().Err())
		}))
		srv := serveReal(t, "HTTP/2", h, nil)
		_, _, err := getReal(srv, "/")
		assert.Error(t, err, "the stream was reset")
		requireServerFailure(t, g, http.StatusInternalServerError)
	})
}

// upstreamCaller calls upstream within d with the request's context and
// renders the failure.
func upstreamCaller(upstream *httptest.Server, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, upstream.URL, nil)
		resp, err := middleware.DoUpstreamWithin(upstream.Client(), req, d)
		if err == nil {
			resp.Body.Close()
			err = errors.New("the upstream answered")
		}
		errdoc.Write(w, r, err)
	})
}
