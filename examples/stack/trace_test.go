package stack_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/examples/stack"
)

const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

// The README stack's missing-record 404 with a traceparent carries the
// trace ID and costs at most one allocation more than without; the 200
// path costs nothing more for it.
func TestStackTraceparentAllocations(t *testing.T) {
	h := stack.New(stack.Options{Limit: 1 << 30, Window: time.Minute})
	measure := func(path string, header ...string) float64 {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = "192.0.2.10:41000"
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		w := &sink{h: http.Header{}}
		h.ServeHTTP(w, req)
		return testing.AllocsPerRun(500, func() {
			w.h, w.status = make(http.Header), 0
			h.ServeHTTP(w, req)
		})
	}
	for _, path := range []string{stack.PathOK, stack.PathRecordMissing} {
		if raceEnabled {
			// sync.Pool drops a quarter of what is put back under the
			// race detector (chi's route contexts among them), so the
			// counts move by one from run to run: a go test without
			// -race checks them (.ci/run's Go 1.27 pass does).
			break
		}
		without, with := measure(path), measure(path, "Traceparent", traceparent)
		limit := without + 1
		if path == stack.PathOK {
			limit = without
		}
		if with > limit {
			t.Errorf("%s: %v allocations with a traceparent, %v without; want at most %v", path, with, without, limit)
		}
	}

	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, stack.PathRecordMissing, nil)
	req.RemoteAddr = "192.0.2.10:41000"
	req.Header.Set("Traceparent", traceparent)
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `"meta":{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`) {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
}
