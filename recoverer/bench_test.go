package recoverer_test

import (
	"net/http"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/recoverer"
	chimw "github.com/go-chi/chi/v5/middleware"
)

// sink is a ResponseWriter that keeps nothing, so that the benchmarks
// measure the middleware and not a recorder.
type sink struct{ h http.Header }

func (s *sink) Header() http.Header         { return s.h }
func (s *sink) Write(p []byte) (int, error) { return len(p), nil }
func (s *sink) WriteHeader(int)             {}
func (s *sink) Flush()                      {}

var (
	okBody = []byte(`{"status":"ok"}`)
	okType = []string{"application/json"}
)

// okHandler is a small, typical happy-path handler.
var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header()["Content-Type"] = okType
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(okBody)
})

// BenchmarkRecoverer is the happy path (no panic), ours beside chi's
// middleware.Recoverer.
func BenchmarkRecoverer(b *testing.B) {
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"ours", recoverer.New()(okHandler)},
		{"chi", chimw.Recoverer(okHandler)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			w := &sink{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				bc.h.ServeHTTP(w, req)
			}
		})
	}
}

// BenchmarkRecovererTracked is the same below errdoc.Handler's tracking, as
// in a full stack, where the recoverer finds the response already tracked.
func BenchmarkRecovererTracked(b *testing.B) {
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"ours", recoverer.New()(okHandler)},
		{"chi", chimw.Recoverer(okHandler)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tw, tracking := errdoc.Track(&sink{h: http.Header{}})
			defer tracking.Release()
			b.ReportAllocs()
			for b.Loop() {
				bc.h.ServeHTTP(tw, req)
			}
		})
	}
}
