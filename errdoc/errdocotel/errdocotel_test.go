package errdocotel_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	noopmetric "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/errdoc/errdocotel"
	"github.com/faultline-go/faultline/middleware"
)

// rig is a real server behind otelhttp (which owns the server span), the
// adapter's Metrics and an instrumented errdoc renderer, exporting to
// memory.
type rig struct {
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	srv    *httptest.Server
}

const secret = "password=hunter2"

func newRig(t *testing.T) *rig {
	g := &rig{spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(g.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(g.reader))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	m, err := errdocotel.NewMetrics(mp, errdocotel.MetricsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rd := errdoc.NewRenderer(errdocotel.Instrument(errdoc.Options{Logger: slog.New(slog.DiscardHandler)}))
	fail := func(e error) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { errdoc.Write(w, r, e) })
	}
	mux := chi.NewRouter()
	mux.Use(m.Handler, rd.Handler)
	mux.Get("/ok", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.Method("GET", "/cached", fail(&errdoc.Error{Status: http.StatusNotModified}))
	mux.Method("GET", "/items/{id}", fail(errdoc.New(http.StatusNotFound, "No such item.")))
	mux.Method("GET", "/invalid", fail(errdoc.New(http.StatusUnprocessableEntity, "Bad quantity.").AtPointer("/quantity")))
	mux.Method("GET", "/limited", fail(&errdoc.Error{Status: http.StatusTooManyRequests}))
	mux.Method("GET", "/boom", fail(errors.New("database down: "+secret)))
	mux.Method("GET", "/unimplemented", fail(&errdoc.Error{Status: http.StatusNotImplemented}))
	mux.Method("GET", "/upstream", fail(middleware.UpstreamError(errors.New("connection reset by peer"))))
	mux.Method("GET", "/busy", fail(&errdoc.Error{Status: http.StatusServiceUnavailable}))
	mux.With(middleware.Timeout(20*time.Millisecond)).Get("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	mux.Get("/hangup", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		errdoc.Write(w, r, r.Context().Err())
	})
	h := otelhttp.NewHandler(mux, "server",
		otelhttp.WithTracerProvider(tp), otelhttp.WithMeterProvider(noopmetric.NewMeterProvider()),
		otelhttp.WithPropagators(propagation.TraceContext{}))
	g.srv = httptest.NewServer(h)
	t.Cleanup(g.srv.Close)
	return g
}

// span waits for the server span of trace tid.
func (g *rig) span(t *testing.T, tid string) tracetest.SpanStub {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		for _, s := range g.spans.GetSpans() {
			if s.SpanContext.TraceID().String() == tid {
				return s
			}
		}
	}
	t.Fatalf("no span of trace %s", tid)
	return tracetest.SpanStub{}
}

// point waits for the duration data point of the request to route with
// status, and returns its attributes.
func (g *rig) point(t *testing.T, status int) attribute.Set {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		var rm metricdata.ResourceMetrics
		if err := g.reader.Collect(context.Background(), &rm); err != nil {
			t.Fatal(err)
		}
		for _, sm := range rm.ScopeMetrics {
			for _, mt := range sm.Metrics {
				if mt.Name != "http.server.request.duration" || mt.Unit != "s" {
					continue
				}
				for _, dp := range mt.Data.(metricdata.Histogram[float64]).DataPoints {
					if v, ok := dp.Attributes.Value("http.response.status_code"); ok && v.AsInt64() == int64(status) {
						return dp.Attributes
					}
				}
			}
		}
	}
	t.Fatalf("no duration point with status %d", status)
	return attribute.Set{}
}

func attr(set []attribute.KeyValue, key string) (string, bool) {
	for _, kv := range set {
		if string(kv.Key) == key {
			return kv.Value.String(), true
		}
	}
	return "", false
}

// TestEveryStatus: for every status errdoc answers (304, 4xx, 5xx) and a
// client's hang-up, the span, the document and the duration metric say
// what the semantic conventions ask.
func TestEveryStatus(t *testing.T) {
	for i, tc := range []struct {
		path      string
		status    int    // the response's status, 499 for the hang-up
		errorType string // "" for none
		spanError bool
		exception bool
		route     string
	}{
		{"/ok", 200, "", false, false, "/ok"},
		{"/cached", 304, "", false, false, "/cached"},
		{"/items/999", 404, "not_found", false, false, "/items/{id}"},
		{"/invalid", 422, "unprocessable_entity", false, false, "/invalid"},
		{"/limited", 429, "too_many_requests", false, false, "/limited"},
		{"/hangup", 499, "client_closed_request", false, false, "/hangup"},
		{"/boom", 500, "internal_error", true, true, "/boom"},
		{"/unimplemented", 501, "not_implemented", true, false, "/unimplemented"},
		{"/upstream", 502, "bad_gateway", true, true, "/upstream"},
		{"/busy", 503, "service_unavailable", true, false, "/busy"},
		{"/slow", 504, "gateway_timeout", true, true, "/slow"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			g := newRig(t)
			tid := strings.Repeat("0", 31) + string("123456789abcdef"[i%15])
			tid = "4bf92f3577b34da6" + tid[16:]
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, g.srv.URL+tc.path, nil)
			req.Header.Set("Traceparent", "00-"+tid+"-00f067aa0ba902b7-01")
			if tc.status == 499 {
				time.AfterFunc(50*time.Millisecond, cancel)
				if _, err := g.srv.Client().Do(req); !errors.Is(err, context.Canceled) {
					t.Fatalf("the hang-up got %v", err)
				}
			} else {
				resp, err := g.srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.status {
					t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
				}
				if strings.Contains(string(body), secret) || strings.Contains(string(body), "reset by peer") {
					t.Fatalf("the cause leaked: %s", body)
				}
				if tc.errorType != "" {
					var doc struct {
						Meta struct {
							TraceID string `json:"trace_id"`
						} `json:"meta"`
					}
					if err := json.Unmarshal(body, &doc); err != nil || doc.Meta.TraceID != tid {
						t.Fatalf("the document carries trace %q (%v), want %s: %s", doc.Meta.TraceID, err, tid, body)
					}
				}
			}

			s := g.span(t, tid)
			got, ok := attr(s.Attributes, "error.type")
			if tc.errorType == "" && ok || tc.errorType != "" && got != tc.errorType {
				t.Errorf("error.type %q (%v), want %q", got, ok, tc.errorType)
			}
			if (s.Status.Code == codes.Error) != tc.spanError {
				t.Errorf("span status %v, want error=%v", s.Status, tc.spanError)
			}
			exceptions := 0
			for _, ev := range s.Events {
				if ev.Name == "exception" {
					exceptions++
				}
			}
			if tc.exception != (exceptions == 1) || exceptions > 1 {
				t.Errorf("%d exception events, want one: %v", exceptions, tc.exception)
			}

			set := g.point(t, tc.status)
			et, ok := set.Value("error.type")
			if tc.errorType == "" && ok || tc.errorType != "" && et.AsString() != tc.errorType {
				t.Errorf("metric error.type %v (%v), want %q", et.String(), ok, tc.errorType)
			}
			if route, _ := set.Value("http.route"); route.AsString() != tc.route {
				t.Errorf("metric http.route %q, want %q", route.AsString(), tc.route)
			}
			if method, _ := set.Value("http.request.method"); method.AsString() != http.MethodGet {
				t.Errorf("metric http.request.method %q", method.AsString())
			}
		})
	}
}

// Without a span in the context the hooks do nothing, and the trace ID
// falls back to the traceparent header.
func TestNoSpan(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if got := errdocotel.TraceID(req); got != "" {
		t.Fatalf("TraceID without a span: %q", got)
	}
	rd := errdoc.NewRenderer(errdocotel.Instrument(errdoc.Options{Logger: slog.New(slog.DiscardHandler)}))
	req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	rec := httptest.NewRecorder()
	rd.Write(rec, req, errdoc.New(http.StatusNotFound, ""))
	if !strings.Contains(rec.Body.String(), `"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"`) {
		t.Fatalf("no trace ID from the header: %s", rec.Body.String())
	}
}

// Instrument keeps the Observe it was given, and runs it after its own.
func TestInstrumentChainsObserve(t *testing.T) {
	var seen []int
	opts := errdocotel.Instrument(errdoc.Options{Observe: func(o errdoc.Observation) { seen = append(seen, o.Status) }, Logger: slog.New(slog.DiscardHandler)})
	errdoc.NewRenderer(opts).Write(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil), errdoc.New(http.StatusGone, ""))
	if len(seen) != 1 || seen[0] != http.StatusGone {
		t.Fatalf("the application's Observe saw %v", seen)
	}
}
