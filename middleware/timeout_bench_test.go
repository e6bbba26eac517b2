package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/faultline-go/faultline/middleware"
	chimw "github.com/go-chi/chi/v5/middleware"
)

// benchWriter is a minimal ResponseWriter whose header map is reused, so the
// benchmarks measure the middlewares, not a recorder.
type benchWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) WriteHeader(code int)        { w.code = code }
func (w *benchWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
func (w *benchWriter) Flush()                      {}

var benchBody = []byte(`{"status":"ok"}`)

func benchHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(benchBody)
}

func BenchmarkTimeout(b *testing.B) {
	cases := []struct {
		name string
		h    http.Handler
	}{
		{"ours", middleware.Timeout(time.Minute)(http.HandlerFunc(benchHandler))},
		{"chi", chimw.Timeout(time.Minute)(http.HandlerFunc(benchHandler))},
		{"net_http", http.TimeoutHandler(http.HandlerFunc(benchHandler), time.Minute, "timeout")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			w := &benchWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				c.h.ServeHTTP(w, req)
			}
		})
	}
}
