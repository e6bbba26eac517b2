package demo

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/faultline-go/faultline/middleware/adaptive"
	"github.com/go-chi/chi/v5"
)

// Work's shape: a resource of workWorkers workers (a connection pool, say),
// each request holding one for workService, so the group serves about
// workWorkers/workService requests a second.
const (
	workWorkers = 4
	workService = 20 * time.Millisecond
)

// work is the /v1/work route group (issue 18's demo): a handler of known
// capacity guarded by an adaptive concurrency limiter, which answers 503
// with Retry-After, before the queue inside the handler makes every
// request late. Flood it (hey, vegeta, a shell loop) and watch
// /v1/work/limiter: the limit settles near the workers, the refusals go
// to /v1/work/batch first.
type work struct {
	lim     *adaptive.Limiter
	workers chan struct{}
	// hold does one request's work; tests replace it.
	hold func(r *http.Request)
}

func newWork() *work {
	w := &work{workers: make(chan struct{}, workWorkers)}
	w.hold = w.serve
	w.lim = adaptive.New(adaptive.Options{
		MaxLimit:  64,
		QueueSize: 32,
		// Batch work is refused first; the limiter's own snapshot goes
		// first and, answered without work, is not measured.
		Priority: func(r *http.Request) adaptive.Priority {
			switch r.URL.Path {
			case "/v1/work/batch":
				return adaptive.Sheddable
			case "/v1/work/limiter":
				return adaptive.Critical
			}
			return adaptive.Normal
		},
		SkipMeasure: func(r *http.Request) bool { return r.URL.Path == "/v1/work/limiter" },
	})
	return w
}

// mountWork mounts the group on the /v1 group.
func mountWork(r chi.Router) { newWork().mount(r) }

func (w *work) mount(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(w.lim.Handler)
		r.Get("/work", w.do)
		r.Get("/work/batch", w.do)
		r.Get("/work/limiter", w.snapshot)
	})
}

// serve waits for a worker, then holds it for workService; a request
// whose client goes away stops waiting.
func (w *work) serve(r *http.Request) {
	select {
	case w.workers <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	defer func() { <-w.workers }()
	t := time.NewTimer(workService)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

func (w *work) do(rw http.ResponseWriter, r *http.Request) {
	w.hold(r)
	writeJSON(rw, http.StatusOK, map[string]string{"status": "done"})
}

// snapshot answers the limiter's state.
func (w *work) snapshot(rw http.ResponseWriter, r *http.Request) {
	s := w.lim.Snapshot()
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(rw).Encode(map[string]any{
		"limit": s.Limit, "in_flight": s.InFlight, "queued": s.Queued, "rejected": s.Rejected,
		"baseline_ms": float64(s.Baseline) / float64(time.Millisecond),
		"latency_ms":  float64(s.Latency) / float64(time.Millisecond),
	})
}
