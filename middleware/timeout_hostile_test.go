package middleware_test

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
)

// A HEAD request that Routing sends to a GET route, and that times out,
// is logged with the route it matched: the Timeout looks the request up
// again at its deadline with the method chi routes it by (GET, set by
// Routing), not with r.Method, for which no route exists. Before, the 504's
// record named only the mount, "/v1/*" (or nothing under the root's Use).
func TestTimeoutRecordOfARoutedHEADNamesItsRoute(t *testing.T) {
	for _, mount := range []string{"sub-router Use", "root Use"} {
		t.Run(mount, func(t *testing.T) {
			release := make(chan struct{})
			defer close(release)
			slow := func(w http.ResponseWriter, r *http.Request) { <-release } // ignores its context
			logs := &syncBuffer{}
			rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
			r := chi.NewRouter()
			r.Use(rd.Handler)
			middleware.Routing(r)
			timeout := middleware.Timeout(50 * time.Millisecond)
			if mount == "root Use" {
				r.Use(timeout)
				r.Get("/v1/items/{id}", slow)
			} else {
				r.Route("/v1", func(r chi.Router) {
					r.Use(timeout)
					r.Get("/items/{id}", slow)
				})
			}
			srv, c := testsrv.NewServer(t, "HTTP/1.1", r)
			resp, err := c.Head(srv.URL + "/v1/items/7")
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
			assert.Contains(t, logs.String(), "route=/v1/items/{id}")
			assert.NotContains(t, logs.String(), "route=/v1/*")
		})
	}
}
