package stack_test

import (
	"bufio"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
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

// benchStack runs one path through the README stack (ours), the bare chi
// router (chi), and three anchors that put the ratio in context: bare chi
// with a middleware that only adds a context value (context_copy: the
// least any middleware carrying a request ID in the context costs), with
// chi's own RequestID (chi.RequestID), and with chi's RequestID, Recoverer
// and httprate (chi_middleware: what a team mounts without faultline). All with serveLoop. The limiters admit 2^30 requests a
// minute, far above what a run sends: the benchmarks measure their counting
// and headers, never a 429 (benchStack fails on any other status than
// want).
func benchStack(b *testing.B, path string, want int) {
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"ours", stack.New(stack.Options{Limit: 1 << 30, Window: time.Minute})},
		{"chi", stack.Bare()},
		{"context_copy", stack.ContextCopy()},
		{"chi.RequestID", stack.ChiRequestID()},
		{"chi_middleware", stack.ChiMiddleware(stack.Options{Limit: 1 << 30, Window: time.Minute})},
	} {
		b.Run(bc.name, func(b *testing.B) { serveLoop(b, bc.h, path, want) })
	}
}

// serveLoop serves GET path through h in the benchmark loop, each request
// with a fresh header map as net/http gives every response (so that the
// headers the stack adds cost what they cost on a server), and fails unless
// the status is want.
func serveLoop(b *testing.B, h http.Handler, path string, want int) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = "192.0.2.10:41000"
	w := &sink{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		w.h, w.status = make(http.Header), 0
		h.ServeHTTP(w, req)
	}
	if w.status != want {
		b.Fatalf("%s answered %d; want %d", path, w.status, want)
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

// BenchmarkStackLayers prices each layer of the stack on the 200 and the
// missing-record paths: BenchmarkStackLayers/200/limiter/ours is the stack
// up to and including the limiter, in the README's order, beside
// .../limiter/without, the same stack without it. make bench pairs them,
// so the difference of each pair is what that layer costs, measured
// beside its baseline in the same rounds.
func BenchmarkStackLayers(b *testing.B) {
	steps := []struct {
		name string
		add  stack.Layer
	}{
		{"Handler", stack.LayerHandler},
		{"recoverer", stack.LayerRecoverer},
		{"Routing", stack.LayerRouting},
		{"limiter", stack.LayerLimiter},
		{"HandlerFunc", stack.LayerHandlerFunc},
	}
	opts := stack.Options{Limit: 1 << 30, Window: time.Minute}
	for _, path := range []struct {
		name   string
		path   string
		status int
	}{
		{"200", stack.PathOK, http.StatusOK},
		{"404record", stack.PathRecordMissing, http.StatusNotFound},
	} {
		var below stack.Layer
		for _, step := range steps {
			with, without := stack.Build(opts, below|step.add), stack.Build(opts, below)
			b.Run(path.name+"/"+step.name+"/ours", func(b *testing.B) { serveLoop(b, with, path.path, path.status) })
			b.Run(path.name+"/"+step.name+"/without", func(b *testing.B) { serveLoop(b, without, path.path, path.status) })
			below |= step.add
		}
	}
}

// The stack allocates at most one value more per request than bare chi on
// each measured path: Handler's one per-request value (context node,
// request copy, request ID and tracking wrapper) on the 200; on the 404s
// the document's own bytes, which are never pooled (a writer that kept
// pooled bytes would see another request's document). Counted with
// testing.AllocsPerRun over the benchmarks' fresh header maps.
func TestStackAllocationsBesideBareChi(t *testing.T) {
	ours := stack.New(stack.Options{Limit: 1 << 30, Window: time.Minute})
	bare := stack.Bare()
	for _, tc := range []struct {
		path  string
		want  int
		extra float64
	}{
		{stack.PathOK, http.StatusOK, 1},
		{stack.PathRecordMissing, http.StatusNotFound, 1},
		{stack.PathUnknownRoute, http.StatusNotFound, 1},
	} {
		t.Run(tc.path, func(t *testing.T) {
			count := func(h http.Handler) float64 {
				req := httptest.NewRequest(http.MethodGet, tc.path, nil)
				req.RemoteAddr = "192.0.2.10:41000"
				w := &sink{}
				return testing.AllocsPerRun(1000, func() {
					w.h, w.status = make(http.Header), 0
					h.ServeHTTP(w, req)
					if w.status != tc.want {
						t.Fatalf("%s answered %d; want %d", tc.path, w.status, tc.want)
					}
				})
			}
			o, b := count(ours), count(bare)
			if raceEnabled {
				tc.extra++ // errdoc's buffer pool drops a quarter of its buffers
			}
			if o > b+tc.extra {
				t.Fatalf("the stack allocates %v times on %s, bare chi %v; want at most %v more", o, tc.path, b, tc.extra)
			}
		})
	}
}

// BenchmarkHeaderFields is what net/http does per response with the header
// fields each router sets on a path, measured apart from the routers: the
// handler's map filled, cloned as http.Server does when a handler that
// called Header() writes its status, and written out in wire format (what
// the server's chunkWriter does). The fields are those each router really
// sends on that path (served once through a recorder first). On sockets
// this cost is paid per field, so it shows how much of the stack's gap to
// bare chi is its headers: X-Request-Id and the limiter's RateLimit and
// RateLimit-Policy on every response, and on error documents also Vary,
// Cache-Control and X-Content-Type-Options.
func BenchmarkHeaderFields(b *testing.B) {
	ours := stack.New(stack.Options{Limit: 1 << 30, Window: time.Minute})
	bare := stack.Bare()
	for _, path := range []struct{ name, path string }{
		{"200", stack.PathOK},
		{"404record", stack.PathRecordMissing},
		{"404route", stack.PathUnknownRoute},
	} {
		for _, side := range []struct {
			name string
			h    http.Handler
		}{{"ours", ours}, {"chi", bare}} {
			sent := fieldsSent(side.h, path.path)
			b.Run(path.name+"/"+side.name, func(b *testing.B) {
				bw := bufio.NewWriter(io.Discard)
				b.ReportAllocs()
				for b.Loop() {
					h := make(http.Header)
					for _, kv := range sent {
						h[kv.key] = kv.values
					}
					_ = h.Clone().Write(bw)
					bw.Reset(io.Discard)
				}
			})
		}
	}
}

type field struct {
	key    string
	values []string
}

// fieldsSent serves path through h once and returns the header fields of
// its response, in a fixed order.
func fieldsSent(h http.Handler, path string) []field {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = "192.0.2.10:41000"
	h.ServeHTTP(rec, req)
	var out []field
	for _, k := range slices.Sorted(maps.Keys(rec.Result().Header)) {
		out = append(out, field{k, rec.Result().Header[k]})
	}
	return out
}
