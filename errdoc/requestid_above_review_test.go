package errdoc_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/logbuf"
)

// chi's RequestID above Handler while Handler takes its ID from elsewhere:
// Options.RequestID (another ID middleware), or a client's ID in a custom
// RequestIDHeader. The request has one ID: the header's, the document's,
// the log record's and GetReqID's below Handler.
func TestReviewChiAboveWhileHandlerTakesAnotherID(t *testing.T) {
	for name, tc := range map[string]struct {
		opts errdoc.Options
		hdr  []string // the client's header lines
	}{
		"Options.RequestID": {opts: errdoc.Options{RequestID: func(r *http.Request) string {
			return r.Header.Get("X-Other-Id") // another middleware's ID, where it made one
		}}, hdr: []string{"X-Other-Id", "other-mw-id-7"}},
		"custom RequestIDHeader": {opts: errdoc.Options{RequestIDHeader: "X-Correlation-Id"},
			hdr: []string{"X-Correlation-Id", "client-corr-9"}},
	} {
		t.Run(name, func(t *testing.T) {
			var logs logbuf.Buffer
			tc.opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			rd := errdoc.NewRenderer(tc.opts)
			hdrName := "X-Request-Id"
			if tc.opts.RequestIDHeader != "" {
				hdrName = tc.opts.RequestIDHeader
			}
			p := &idProbe{}
			r := chi.NewRouter()
			r.Use(chimw.RequestID, rd.Handler)
			r.Get("/ok", p.handler)
			r.Get("/fail", p.handler)
			srv := httptest.NewServer(r)
			defer srv.Close()
			// A first request without the other ID: Handler adopts chi's
			// (and learns chi's key).
			getID(t, srv, "/ok", hdrName)
			for i, path := range []string{"/fail", "/ok"} {
				id, body := getID(t, srv, path, hdrName, tc.hdr...)
				assert.Equal(t, tc.hdr[1], id)
				chiID, ours := p.last()
				assert.Equal(t, id, ours, "request %d %s: the header and RequestIDFrom", i, path)
				assert.Equal(t, id, chiID, "request %d %s: the header and GetReqID", i, path)
				if path == "/fail" {
					assert.Contains(t, body, `"id":"`+id+`"`, "the document")
					assert.Contains(t, logs.String(), "request_id="+id, "the log record")
				}
			}
		})
	}
}

// A renderer whose requests met chi's RequestID only above its Handlers
// (with Options.RequestID, or through NewContext without a Handler) has
// learnt nothing about chi below: another of its Handlers, with no chi
// anywhere, still hands the caller's header map down as it is, at no cost.
func TestReviewChiAboveTeachesNoChiBelow(t *testing.T) {
	for name, teach := range map[string]func(rd *errdoc.Renderer) http.Handler{
		"Options.RequestID": func(rd *errdoc.Renderer) http.Handler {
			return chimw.RequestID(rd.Handler(errdoc.HandlerFunc(func(http.ResponseWriter, *http.Request) error {
				return errdoc.Internal(assert.AnError)
			})))
		},
		"NewContext": func(rd *errdoc.Renderer) http.Handler {
			return chimw.RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				errdoc.Write(w, r.WithContext(errdoc.NewContext(r.Context(), rd)), errdoc.Internal(assert.AnError))
			}))
		},
	} {
		t.Run(name, func(t *testing.T) {
			rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger(),
				RequestID: func(r *http.Request) string { return r.Header.Get("X-Other-Id") }})
			for _, other := range []string{"", "other-mw-id-7"} {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				if other != "" {
					req.Header.Set("X-Other-Id", other)
				}
				teach(rd).ServeHTTP(rec, req)
				require.Equal(t, http.StatusInternalServerError, rec.Code)
			}

			req := httptest.NewRequest(http.MethodGet, "/", nil)
			var same bool
			plain := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				same = reflect.ValueOf(r.Header).UnsafePointer() == reflect.ValueOf(req.Header).UnsafePointer()
			}))
			plain.ServeHTTP(httptest.NewRecorder(), req)
			assert.True(t, same, "no chi below: the caller's header map is handed down, not a copy")
		})
	}
}
