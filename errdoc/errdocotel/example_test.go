package errdocotel_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/errdoc/errdocotel"
)

// A chi API behind otelhttp: the 404 document carries the trace ID, and
// the server span gets error.type with its status left unset (a 4xx is
// the client's error).
func Example() {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	rd := errdoc.NewRenderer(errdocotel.Instrument(errdoc.Options{Logger: slog.New(slog.DiscardHandler)}))
	r := chi.NewRouter()
	r.Use(rd.Handler)
	r.Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		errdoc.Write(w, r, errdoc.New(http.StatusNotFound, "No item "+chi.URLParam(r, "id")+"."))
	})
	h := otelhttp.NewHandler(r, "api", otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(propagation.TraceContext{}))

	req := httptest.NewRequest(http.MethodGet, "/items/999", nil)
	req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	fmt.Println(rec.Code, string(body[len(body)-55:]))

	s := spans.GetSpans()[0]
	for _, kv := range s.Attributes {
		if kv.Key == "error.type" {
			fmt.Println("error.type:", kv.Value.AsString())
		}
	}
	fmt.Println("span status:", s.Status.Code)
	// Output:
	// 404 "meta":{"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}}
	// error.type: not_found
	// span status: Unset
}
