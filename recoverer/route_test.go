package recoverer_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/logbuf"
	"github.com/faultline-go/faultline/recoverer"
)

type ctxKey struct{}

// The panic record and errdoc's record name the route pattern that
// matched, "/v1/panic/{n}", though the recoverer and the renderer sit above
// the subrouter mounted at /v1, where r.Pattern says only "/v1/*".
func TestLogsNameTheMatchedRoutePattern(t *testing.T) {
	logs := new(logbuf.Buffer)
	logger := slog.New(slog.NewTextHandler(logs, nil))
	var observed []string
	rd := errdoc.NewRenderer(errdoc.Options{Logger: logger, Observe: func(o errdoc.Observation) {
		observed = append(observed, o.Route)
	}})
	r := chi.NewRouter()
	r.Use(rd.Handler, recoverer.WithOptions(recoverer.Options{Logger: logger}))
	r.Route("/v1", func(r chi.Router) {
		// A middleware that adds a context value hands the routes below a
		// copy of the request: chi sets Pattern on that copy only.
		r.Use(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, "v")))
			})
		})
		r.Get("/panic/{n}", func(http.ResponseWriter, *http.Request) { panic("boom") })
		r.Route("/items", func(r chi.Router) {
			r.Get("/{id}", func(w http.ResponseWriter, r *http.Request) {
				errdoc.Write(w, r, errdoc.Internal(assert.AnError))
			})
		})
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	for _, tc := range []struct{ path, pattern string }{{"/v1/panic/3", "/v1/panic/{n}"}, {"/v1/items/7", "/v1/items/{id}"}} {
		path, pattern := tc.path, tc.pattern
		resp, err := srv.Client().Get(srv.URL + path)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, 500, resp.StatusCode)
		records := 0
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			if strings.Contains(line, "path="+path) {
				assert.Contains(t, line, "route="+pattern, line)
				records++
			}
		}
		assert.NotZero(t, records, "no record names %s", path)
		*logs = logbuf.Buffer{}
	}
	assert.Equal(t, []string{"/v1/panic/{n}", "/v1/items/{id}"}, observed)
}
