package main

import (
	"log/slog"
	"net/http"

	"github.com/failsafe-go/failsafe-go/adaptivelimiter"
	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/adaptive"
)

// contender is one way of guarding the backend.
type contender struct {
	name string
	// wrap guards next; it is called once per run, so a limiter's state
	// carries over from step to step as it would in a server.
	wrap func(next http.Handler) http.Handler
	// limit reports the current limit, -1 when there is none to report.
	limit func() int
}

// contenders returns the run's contenders for a backend of workers
// workers: no limiter; Throttle tuned (workers) and mistuned (half, twice);
// ours; failsafe-go's adaptive limiter. Every limiter answers its 503
// through the same errdoc renderer.
func contenders(workers int) []contender {
	// The renderer logs nothing: a log line per refusal would cost the
	// limiters more than their refusals do.
	rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.DiscardHandler)})
	fixed := func(name string, limit int) contender {
		return contender{name: name,
			wrap:  func(next http.Handler) http.Handler { return rd.Handler(middleware.Throttle(limit)(next)) },
			limit: func() int { return limit }}
	}
	var ours *adaptive.Limiter
	var fs adaptivelimiter.AdaptiveLimiter[any]
	return []contender{
		{name: "none", wrap: func(next http.Handler) http.Handler { return next }, limit: func() int { return -1 }},
		fixed("Throttle tuned", workers),
		fixed("Throttle 0.5x", max(1, workers/2)),
		fixed("Throttle 2x", 2*workers),
		{name: "adaptive (ours)",
			wrap: func(next http.Handler) http.Handler {
				ours = adaptive.New(adaptive.Options{})
				return rd.Handler(ours.Handler(next))
			},
			limit: func() int { return ours.Snapshot().Limit }},
		{name: "failsafe-go",
			wrap: func(next http.Handler) http.Handler {
				fs = adaptivelimiter.NewWithDefaults[any]()
				return rd.Handler(failsafeHandler(fs, next))
			},
			limit: func() int { return fs.Limit() }},
	}
}

// failsafeHandler guards next with failsafe-go's limiter as its
// documentation has it used: a permit or a refusal at once (its default,
// non-queueing mode), the permit recorded when the handler returns and
// dropped when it panics. A refusal is the same 503 as ours.
func failsafeHandler(l adaptivelimiter.AdaptiveLimiter[any], next http.Handler) http.Handler {
	header := http.Header{"Retry-After": {"1"}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := l.TryAcquirePermit()
		if !ok {
			errdoc.Write(w, r, &errdoc.Error{Status: http.StatusServiceUnavailable, Detail: "The server is at capacity. Try again after Retry-After.",
				Public: true, Header: header, Cause: adaptivelimiter.ErrExceeded})
			return
		}
		recorded := false
		defer func() {
			if !recorded {
				p.Drop()
			}
		}()
		next.ServeHTTP(w, r)
		recorded = true
		p.Record()
	})
}
