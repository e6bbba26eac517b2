package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/failsafe-go/failsafe-go/adaptivelimiter"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/adaptive"
)

// admissionCase is one limiter's admission path, not overloaded: a free
// slot, the handler, the release.
type admissionCase struct {
	name string // the sub-benchmark's name in benchtable's pairs format
	h    http.Handler
}

func admissionCases() []admissionCase {
	noop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	return []admissionCase{
		{"ours", adaptive.New(adaptive.Options{}).Handler(noop)},
		{"Throttle", middleware.Throttle(20)(noop)},
		{"failsafe-go", failsafeHandler(adaptivelimiter.NewWithDefaults[any](), noop)},
	}
}

// benchWriter is a minimal ResponseWriter, so the benchmark measures the
// limiter, not a recorder.
type benchWriter struct{ h http.Header }

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) WriteHeader(int)             {}
func (w *benchWriter) Write(p []byte) (int, error) { return len(p), nil }

// benchAdmission serves a GET through h, b.N times.
func benchAdmission(b *testing.B, h http.Handler) {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	w := &benchWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, req)
	}
}
