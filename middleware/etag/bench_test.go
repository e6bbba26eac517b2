package etag_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/faultline-go/faultline/middleware/etag"
)

// benchWriter is a minimal ResponseWriter, so that the benchmarks measure
// the middleware, not a recorder (middleware's benchmark writer, less the
// status).
type benchWriter struct{ h http.Header }

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) WriteHeader(int)             {}
func (w *benchWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *benchWriter) Flush()                      {}

// benchCase is one side of a benchmark: ours or an anchor.
type benchCase struct {
	name string
	h    http.Handler
}

// runBench serves a GET through each case as a sub-benchmark, on a writer
// whose header map is cleared, not reallocated, between requests; size is
// the body size reported per operation.
func runBench(b *testing.B, cases []benchCase, size int) {
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			w := &benchWriter{h: http.Header{}}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				c.h.ServeHTTP(w, req)
			}
		})
	}
}

// BenchmarkETag measures the ETag middleware (buffering, SHA-256, one
// write) beside the bare handler writing the same body; the difference per
// KiB is the cost of a computed ETag.
func BenchmarkETag(b *testing.B) {
	for _, size := range []int{1 << 10, 16 << 10, 64 << 10} {
		body := bytes.Repeat([]byte("a"), size)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(body)
		})
		cases := []benchCase{
			{"ours", etag.ETag(1 << 20)(h)},
			{"bare", h},
		}
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) { runBench(b, cases, size) })
	}
}
