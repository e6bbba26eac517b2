package errdocotel

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"

	"github.com/faultline-go/faultline/errdoc"
)

// ScopeName is the instrumentation scope of the meter Metrics uses.
const ScopeName = "github.com/faultline-go/faultline/errdoc/errdocotel"

// durationBuckets are the bucket boundaries, in seconds, the HTTP
// semantic conventions advise for http.server.request.duration.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// MetricsOptions configures NewMetrics. The zero value is ready to use.
type MetricsOptions struct {
	// Route returns the http.route of a request that ended without an
	// error document (errdoc reports the route of those that did, from
	// its RoutePattern), read after the handler returned. Nil means the
	// pattern chi routed the request to, when Handler is mounted on a chi
	// router (its Use, With or Group), else r.Pattern of the request the
	// middleware passed on (http.ServeMux sets it when it routes it
	// without a copy in between); "" leaves http.route out.
	Route func(*http.Request) string
}

// Metrics records http.server.request.duration, the HTTP semantic
// conventions' server metric, with error.type set to the catalog code of
// the error errdoc rendered (see ErrorTypes). It is for services that
// take the metric from here rather than from otelhttp (give otelhttp a
// no-op MeterProvider then), since otelhttp's own has no catalog codes.
type Metrics struct {
	duration metric.Float64Histogram
	route    func(*http.Request) string
}

// NewMetrics returns Metrics recording through mp's meter ScopeName; it
// fails only when mp refuses the instrument.
func NewMetrics(mp metric.MeterProvider, opts MetricsOptions) (*Metrics, error) {
	h, err := mp.Meter(ScopeName).Float64Histogram("http.server.request.duration",
		metric.WithUnit("s"),
		metric.WithDescription("Duration of HTTP server requests."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	if err != nil {
		return nil, err
	}
	return &Metrics{duration: h, route: opts.Route}, nil
}

// Handler is the middleware that times every request below it. Mount it
// above errdoc's Handler (beside otelhttp's), with a renderer built from
// Instrument's options so that it learns the errors:
//
//	r.Use(m.Handler, rd.Handler)
//
// Each request's record carries http.request.method,
// http.response.status_code (499 for a client's hang-up, which gets no
// response), http.route when known, and error.type for a response that
// carried an error document or a hang-up, or, for a 5xx written without
// errdoc, the status itself as the conventions say. It costs an
// allocation for its record and the request's copy.
func (m *Metrics) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := new(record)
		tw, tracking := errdoc.Track(w)
		defer tracking.Release()
		r = r.WithContext(context.WithValue(r.Context(), recordKey{}, rec))
		next.ServeHTTP(tw, r)
		m.record(r, rec, errdoc.Status(tw), time.Since(start))
	})
}

func (m *Metrics) record(r *http.Request, rec *record, written int, d time.Duration) {
	rec.mu.Lock()
	status, code, route := rec.status, rec.code, rec.route
	rec.mu.Unlock()
	switch {
	case status == errdoc.StatusClientClosedRequest:
		// Nothing was written: the client was gone.
	case written != 0:
		status = written
	case status == 0:
		status = http.StatusOK // net/http's answer to a handler that wrote nothing
	}
	if code == "" && status >= 500 {
		code = strconv.Itoa(status)
	}
	if route == "" {
		switch rctx := chi.RouteContext(r.Context()); {
		case m.route != nil:
			route = m.route(r)
		case rctx != nil:
			// chi's route context is its own until its router returns,
			// which is after this middleware, mounted on it, returned.
			route = rctx.RoutePattern()
		default:
			route = r.Pattern
		}
	}
	attrs := make([]attribute.KeyValue, 0, 4)
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(r.Method), semconv.HTTPResponseStatusCode(status))
	if route != "" {
		attrs = append(attrs, semconv.HTTPRoute(route))
	}
	if code != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(code))
	}
	m.duration.Record(context.WithoutCancel(r.Context()), d.Seconds(), metric.WithAttributes(attrs...))
}

// record is what Observe tells Metrics about a request: the first error
// rendered for it. A goroutine of the handler may still render after the
// middleware read it, hence the lock.
type record struct {
	mu     sync.Mutex
	status int
	code   string
	route  string
}

type recordKey struct{}

func (rec *record) observe(o errdoc.Observation) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.code != "" {
		return
	}
	rec.status, rec.code, rec.route = o.ResponseStatus, o.Code, o.Route
}
