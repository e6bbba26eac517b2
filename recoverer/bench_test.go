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
// middleware.Recoverer, in three stacks:
//
//   - standalone: the recoverer alone, ours tracking the response itself
//     (one wrapper per request);
//   - under_Handler: below errdoc.Handler, built per request as in a real
//     stack (Handler's own cost is in both);
//   - tracker_built_outside_loop: below one errdoc tracker built once,
//     outside the loop, which isolates the recoverer's own cost.
func BenchmarkRecoverer(b *testing.B) {
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("X-Request-ID", "4f1c2a9e8b7d6c5a4f3e2d1c")
	rd := errdoc.NewRenderer(errdoc.Options{})
	for _, stack := range []string{"standalone", "under_Handler", "tracker_built_outside_loop"} {
		for _, bc := range []struct {
			name string
			mw   func(http.Handler) http.Handler
		}{
			{"ours", recoverer.New()},
			{"chi", chimw.Recoverer},
		} {
			b.Run(stack+"/"+bc.name, func(b *testing.B) {
				h := bc.mw(okHandler)
				var w http.ResponseWriter = &sink{h: http.Header{}}
				switch stack {
				case "under_Handler":
					h = rd.Handler(h)
				case "tracker_built_outside_loop":
					tw, tracking := errdoc.Track(w)
					defer tracking.Release()
					w = tw
				}
				b.ReportAllocs()
				for b.Loop() {
					h.ServeHTTP(w, req)
				}
			})
		}
	}
}
