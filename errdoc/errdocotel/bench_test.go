package errdocotel_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric"
	noopmetric "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/errdoc/errdocotel"
)

// discardWriter keeps nothing but a fresh header map per request.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

// benchStack is a chi router answering every request with errdoc's 404
// document, under errdoc's Handler, with or without the adapter's hooks
// and Metrics, inside otelhttp or not.
func benchStack(b *testing.B, adapter, metrics, otel bool) http.Handler {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	opts := errdoc.Options{Logger: slog.New(slog.DiscardHandler)}
	if adapter {
		opts = errdocotel.Instrument(opts)
	}
	rd := errdoc.NewRenderer(opts)
	r := chi.NewRouter()
	if metrics {
		m, err := errdocotel.NewMetrics(mp, errdocotel.MetricsOptions{})
		if err != nil {
			b.Fatal(err)
		}
		r.Use(m.Handler)
	}
	r.Use(rd.Handler)
	r.Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		errdoc.Write(w, r, errdoc.New(http.StatusNotFound, "No item with this ID."))
	})
	if !otel {
		return r
	}
	// otelhttp's own duration metric, unless Metrics takes its place.
	var otelMP metric.MeterProvider = mp
	if metrics {
		otelMP = noopmetric.NewMeterProvider()
	}
	return otelhttp.NewHandler(r, "api", otelhttp.WithTracerProvider(tp), otelhttp.WithMeterProvider(otelMP),
		otelhttp.WithPropagators(propagation.TraceContext{}))
}

// BenchmarkErrorResponse is one 404 document with a traceparent: ours is
// the adapter's hooks under otelhttp, beside the same stack without them
// (otelhttp: what the adapter adds), and without otelhttp (bare: what
// otelhttp itself costs). ours_metrics adds Metrics in place of otelhttp's
// own duration metric.
func BenchmarkErrorResponse(b *testing.B) {
	for _, bc := range []struct {
		name                   string
		adapter, metrics, otel bool
	}{
		{"ours", true, false, true},
		{"ours_metrics", true, true, true},
		{"otelhttp", false, false, true},
		{"bare", false, false, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			h := benchStack(b, bc.adapter, bc.metrics, bc.otel)
			req := httptest.NewRequest(http.MethodGet, "/items/999", nil)
			req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
			w := &discardWriter{}
			b.ReportAllocs()
			for b.Loop() {
				w.h = http.Header{}
				h.ServeHTTP(w, req)
			}
		})
	}
}
