package rediscounter_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
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

// serve runs one request from remoteAddr through h.
func serve(h http.Handler, remoteAddr string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/v1/limited", nil)
	req.RemoteAddr = remoteAddr
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// hammer3 sends each requests from each of goroutines goroutines, spread
// over the handlers in turn, and counts the 200s, 429s and 503s (a
// FailClosed counter failure).
func hammer3(t testing.TB, goroutines, each int, hs ...http.Handler) (admitted, refused, unavailable int) {
	var ok, no, down atomic.Int32
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(h http.Handler) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				switch code := serve(h, "192.0.2.1:1").Code; code {
				case 200:
					ok.Add(1)
				case 429:
					no.Add(1)
				case 503:
					down.Add(1)
				default:
					t.Errorf("unexpected status %d", code)
				}
			}
		}(hs[g%len(hs)])
	}
	wg.Wait()
	return int(ok.Load()), int(no.Load()), int(down.Load())
}

// serveRouter runs one GET of path through h, from httptest's client
// address.
func serveRouter(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}
