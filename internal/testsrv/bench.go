package testsrv

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// BenchWriter is a minimal ResponseWriter, so that benchmarks measure the
// handler, not a recorder: it counts the bytes written and keeps the status
// sent (the first WriteHeader, else 200 at the first Write). Each benchmark
// goroutine needs its own.
type BenchWriter struct {
	H    http.Header
	Code int
	N    int
}

func (w *BenchWriter) Header() http.Header { return w.H }

func (w *BenchWriter) WriteHeader(code int) {
	if w.Code == 0 {
		w.Code = code
	}
}

func (w *BenchWriter) Write(p []byte) (int, error) {
	if w.Code == 0 {
		w.Code = http.StatusOK
	}
	w.N += len(p)
	return len(p), nil
}

func (w *BenchWriter) Flush() {}

// BenchCase is one side of a benchmark: ours or an anchor.
type BenchCase struct {
	Name string
	H    http.Handler
}

// RunBench serves a GET through each case as a sub-benchmark, on a writer
// whose header map is cleared, not reallocated, between requests; size,
// when not zero, is the body size reported per operation.
func RunBench(b *testing.B, cases []BenchCase, size int) {
	for _, c := range cases {
		b.Run(c.Name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			w := &BenchWriter{H: http.Header{}}
			if size > 0 {
				b.SetBytes(int64(size))
			}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.H)
				c.H.ServeHTTP(w, req)
			}
		})
	}
}

// Requests returns n GET requests for path from n distinct client
// addresses.
func Requests(n int, path string) []*http.Request {
	out := make([]*http.Request, n)
	for i := range out {
		r, _ := http.NewRequest(http.MethodGet, path, nil)
		r.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", i>>16&0xff, i>>8&0xff, i&0xff)
		out[i] = r
	}
	return out
}

// RunParallel serves reqs through h from every benchmark goroutine, each
// starting at its own offset.
func RunParallel(b *testing.B, h http.Handler, reqs []*http.Request) {
	var offset atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &BenchWriter{H: http.Header{}}
		i := int(offset.Add(7919))
		for pb.Next() {
			h.ServeHTTP(w, reqs[i%len(reqs)])
			i++
		}
	})
}
