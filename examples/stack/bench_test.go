package stack_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/faultline-go/faultline/examples/stack"
)

// sink is a ResponseWriter that keeps nothing but the status, so that the
// benchmarks measure the routers and not a recorder.
type sink struct {
	h      http.Header
	status int
}

func (s *sink) Header() http.Header { return s.h }
func (s *sink) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}

func (s *sink) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return len(p), nil
}

// benchStack runs one path through the README stack (ours) and the bare chi
// router (chi), each request with an emptied header map. The limiter admits
// 2^30 requests a minute, far above what a run sends: the benchmarks measure
// its counting and headers, never a 429 (benchStack fails on any other
// status than want).
func benchStack(b *testing.B, path string, want int) {
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"ours", stack.New(stack.Options{Limit: 1 << 30, Window: time.Minute})},
		{"chi", stack.Bare()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.RemoteAddr = "192.0.2.10:41000"
			w := &sink{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.status = 0
				bc.h.ServeHTTP(w, req)
			}
			if w.status != want {
				b.Fatalf("%s answered %d; want %d", path, w.status, want)
			}
		})
	}
}

// BenchmarkStack200 is an item served with 200: the README stack beside bare
// chi. The target is at most 1.3x.
func BenchmarkStack200(b *testing.B) {
	benchStack(b, stack.PathOK, http.StatusOK)
}

// BenchmarkStack404Record is a missing item: errdoc.Coded("record_not_found")
// rendered by the stack beside the bare router's hand-written encoding/json
// document.
func BenchmarkStack404Record(b *testing.B) {
	benchStack(b, stack.PathRecordMissing, http.StatusNotFound)
}

// BenchmarkStack404Route is a path no route matches: middleware.Routing's
// document beside chi's default text/plain 404.
func BenchmarkStack404Route(b *testing.B) {
	benchStack(b, stack.PathUnknownRoute, http.StatusNotFound)
}
