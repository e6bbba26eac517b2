package errdoc_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/faultline-go/faultline/errdoc"
)

// HungUp's verdict for each way a request's context can end, under a
// Handler (the wire cases are proved on real servers in package
// middleware's TestClientHangUps and TestServerEndsAreNotHangUps).
func TestHungUp(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler bool
		end     func(cancel context.CancelCauseFunc)
		proto   int
		want    bool
	}{
		{"plain cancel under Handler", true, func(c context.CancelCauseFunc) { c(nil) }, 1, true},
		{"no Handler: nothing proves whose cancel", false, func(c context.CancelCauseFunc) { c(nil) }, 1, false},
		{"a cause of the server's", true, func(c context.CancelCauseFunc) { c(errors.New("shutting down")) }, 1, false},
		{"context.Canceled itself as the cause", true, func(c context.CancelCauseFunc) { c(context.Canceled) }, 1, true},
		{"not ended", true, func(context.CancelCauseFunc) {}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			var got bool
			inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tc.end(cancel)
				got = errdoc.HungUp(w, r)
			})
			var h http.Handler = inner
			if tc.handler {
				h = errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()}).Handler(inner)
			}
			req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
			h.ServeHTTP(httptest.NewRecorder(), req)
			assert.Equal(t, tc.want, got)
		})
	}
}

// A hang-up writes nothing and is observed as 499; the same 5xx with a
// cause of another kind, or a 4xx, is written as it is.
func TestWriteHangUp(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int // observed; 0 also means nothing written
	}{
		{"canceled 500", context.Canceled, errdoc.StatusClientClosedRequest},
		{"canceled 504", &errdoc.Error{Status: http.StatusGatewayTimeout, Cause: context.Canceled}, errdoc.StatusClientClosedRequest},
		{"a real failure", errors.New("database down"), http.StatusInternalServerError},
		{"a 4xx", &errdoc.Error{Status: http.StatusNotFound, Cause: context.Canceled}, http.StatusNotFound},
		{"a list, one failure real", errdoc.List{
			&errdoc.Error{Status: http.StatusBadGateway, Cause: context.Canceled},
			&errdoc.Error{Status: http.StatusInternalServerError, Cause: errors.New("disk full")},
		}, http.StatusInternalServerError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen []errdoc.Observation
			rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger(), Observe: func(o errdoc.Observation) { seen = append(seen, o) }})
			ctx, cancel := context.WithCancel(context.Background())
			rec := httptest.NewRecorder()
			rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				cancel()
				errdoc.Write(w, r, tc.err)
			})).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
			if assert.NotEmpty(t, seen) {
				assert.Equal(t, tc.status, seen[0].ResponseStatus)
			}
			if tc.status == errdoc.StatusClientClosedRequest {
				assert.Empty(t, rec.Body.String())
				assert.Equal(t, "client_closed_request", seen[0].Code)
			} else {
				assert.Equal(t, tc.status, rec.Code)
				assert.NotEmpty(t, rec.Body.String())
			}
		})
	}
}

// 499 is no catalog entry: no client ever reads it, so no page lists it.
func TestClientClosedEntryIsNotCatalogued(t *testing.T) {
	for _, e := range errdoc.DefaultCatalog().Entries() {
		assert.NotEqual(t, errdoc.StatusClientClosedRequest, e.Status)
	}
	assert.Equal(t, "client_closed_request", errdoc.ClientClosedEntry().Code)
}

// A client goes away once: however many layers of its request render
// that end (a Timeout and its handler, writing with the requests they
// hold; a route group's inner Handler; NewContext below), it is observed
// and recorded once.
func TestHangUpObservedOncePerRequest(t *testing.T) {
	for _, tc := range []struct {
		name  string
		below func(rd *errdoc.Renderer, h http.Handler) http.Handler // between the outer Handler and the handler
	}{
		{"one Handler", func(_ *errdoc.Renderer, h http.Handler) http.Handler { return h }},
		{"an inner Handler", func(rd *errdoc.Renderer, h http.Handler) http.Handler {
			return errdoc.NewRenderer(rd.Options()).Handler(h)
		}},
		{"NewContext below", func(rd *errdoc.Renderer, h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(w, r.WithContext(errdoc.NewContext(r.Context(), rd)))
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen []errdoc.Observation
			rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger(), Observe: func(o errdoc.Observation) { seen = append(seen, o) }})
			ctx, cancel := context.WithCancel(context.Background())
			var outer *http.Request // as the layer below the outer Handler holds it
			handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				cancel()
				errdoc.Write(w, r, r.Context().Err())
				errdoc.Write(w, outer, &errdoc.Error{Status: http.StatusGatewayTimeout, Cause: context.Canceled})
			})
			inner := tc.below(rd, handler)
			rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				outer = r
				inner.ServeHTTP(w, r)
			})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
			if assert.Len(t, seen, 1) {
				assert.Equal(t, errdoc.StatusClientClosedRequest, seen[0].Status)
			}
		})
	}
}

// A server's BaseContext (or any context every request derives from) may
// carry a renderer (NewContext) or an ID (WithRequestID), so that code
// outside Handler renders with it. That state is shared by every request:
// it must not be where a request's hang-up is marked, or the first client
// that hangs up silences the records and observations of every later one.
func TestHangUpOfEachRequestUnderASharedBaseState(t *testing.T) {
	for _, tc := range []struct {
		name string
		base func(rd *errdoc.Renderer) context.Context
	}{
		{"NewContext", func(rd *errdoc.Renderer) context.Context { return errdoc.NewContext(context.Background(), rd) }},
		{"WithRequestID", func(*errdoc.Renderer) context.Context { return errdoc.WithRequestID(context.Background(), "") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen []errdoc.Observation
			rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger(), Observe: func(o errdoc.Observation) { seen = append(seen, o) }})
			base := tc.base(rd) // as a Server's BaseContext gives it to every request
			const n = 3
			for range n {
				ctx, cancel := context.WithCancel(base)
				h := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					cancel() // the client goes away
					errdoc.Write(w, r, r.Context().Err())
				}))
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx))
			}
			if assert.Len(t, seen, n, "one observation per request") {
				for _, o := range seen {
					assert.Equal(t, errdoc.StatusClientClosedRequest, o.Status)
				}
			}
		})
	}
}
