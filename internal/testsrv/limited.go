package testsrv

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// Serve runs one GET /v1/limited through h from remoteAddr, with the
// header fields given as name, value pairs: a rate limiter's request.
func Serve(h http.Handler, remoteAddr string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/v1/limited", nil)
	req.RemoteAddr = remoteAddr
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// Hammer sends each requests (Serve, from one client) from each of
// goroutines goroutines, spread over the handlers in turn, and counts the
// 200s, 429s and 503s (a FailClosed counter failure); any other status is
// an error of t.
func Hammer(t testing.TB, goroutines, each int, hs ...http.Handler) (admitted, refused, unavailable int) {
	var ok, no, down atomic.Int32
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(h http.Handler) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				switch code := Serve(h, "192.0.2.1:1").Code; code {
				case http.StatusOK:
					ok.Add(1)
				case http.StatusTooManyRequests:
					no.Add(1)
				case http.StatusServiceUnavailable:
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
