package rediscounter_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/ratelimit"
)

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })

func limiter(t testing.TB, opts ratelimit.Options) func(http.Handler) http.Handler {
	t.Helper()
	l, err := ratelimit.NewLimiter(opts)
	require.NoError(t, err)
	return l.Handler
}

// serveRouter runs one GET of path through h, from httptest's client
// address.
func serveRouter(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}
