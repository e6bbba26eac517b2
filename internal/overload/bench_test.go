package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// BenchmarkAdmission is the cost of admission when not overloaded (a free
// slot) for ours beside Throttle and failsafe-go's adaptive limiter, in
// internal/benchtable's pairs format (make bench runs it). Issue 18's bar:
// ours at most 150 ns and no allocation. failsafe-go allocates its permit.
func BenchmarkAdmission(b *testing.B) {
	for _, c := range admissionCases() {
		b.Run(c.name, func(b *testing.B) { benchAdmission(b, c.h) })
	}
}

// Ours and Throttle admit without allocating.
func TestAdmissionAllocs(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	w := &benchWriter{h: http.Header{}}
	for _, c := range admissionCases() {
		if c.name == "failsafe-go" {
			continue
		}
		assert.Zero(t, testing.AllocsPerRun(1000, func() { c.h.ServeHTTP(w, req) }), c.name)
	}
}
