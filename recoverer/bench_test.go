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
// middleware.Recoverer: standalone, where ours tracks the response itself,
// and below errdoc's tracking (errdoc.Handler in a full stack), where it
// finds the response already tracked.
func BenchmarkRecoverer(b *testing.B) {
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	for _, stack := range []string{"standalone", "tracked"} {
		for _, bc := range []struct {
			name string
			h    http.Handler
		}{
			{"ours", recoverer.New()(okHandler)},
			{"chi", chimw.Recoverer(okHandler)},
		} {
			b.Run(stack+"/"+bc.name, func(b *testing.B) {
				var w http.ResponseWriter = &sink{h: http.Header{}}
				if stack == "tracked" {
					tw, tracking := errdoc.Track(w)
					defer tracking.Release()
					w = tw
				}
				b.ReportAllocs()
				for b.Loop() {
					bc.h.ServeHTTP(w, req)
				}
			})
		}
	}
}
