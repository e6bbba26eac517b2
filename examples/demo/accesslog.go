package demo

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/go-chi/chi/v5"
)

// accessLog logs one record per request at info level: method, route
// pattern, status, duration, the request ID errdoc's Handler assigned and
// the trace ID of a valid traceparent, so a client quoting either ID of an
// error document finds its request (and, for a 5xx, the renderer's record
// of the cause under the same IDs). It is
// mounted inside errdoc's Handler, whose tracking gives it the status.
func accessLog(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			defer func() {
				l := logger
				if l == nil {
					l = slog.Default()
				}
				attrs := []slog.Attr{
					slog.String("request_id", errdoc.RequestIDFrom(r.Context())),
					slog.String("method", r.Method),
					slog.String("route", routePattern(r)),
					slog.Int("status", errdoc.Status(w)),
					slog.Duration("duration", time.Since(start)),
				}
				if tid := errdoc.TraceIDFrom(r); tid != "" {
					attrs = append(attrs, slog.String("trace_id", tid))
				}
				l.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// routePattern is the pattern chi matched, complete once routing is done
// (subrouters add their part to the shared route context).
func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		return rc.RoutePattern()
	}
	return ""
}
