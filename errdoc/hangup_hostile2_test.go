package errdoc_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/faultline-go/faultline/errdoc"
)

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
