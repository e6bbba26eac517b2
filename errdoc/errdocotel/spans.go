package errdocotel

import (
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/faultline-go/faultline/errdoc"
)

// Instrument returns opts with the two hooks errdoc needs for
// OpenTelemetry: TraceID (the active span's trace ID goes into documents
// and log records) and Observe (the span, and Metrics, learn about every
// error). An Observe that opts already had still runs, after. A TraceID
// opts already had is kept.
//
//	rd := errdoc.NewRenderer(errdocotel.Instrument(errdoc.Options{}))
func Instrument(opts errdoc.Options) errdoc.Options {
	if opts.TraceID == nil {
		opts.TraceID = TraceID
	}
	if next := opts.Observe; next != nil {
		opts.Observe = func(o errdoc.Observation) { Observe(o); next(o) }
	} else {
		opts.Observe = Observe
	}
	return opts
}

// TraceID returns the trace ID of the span in r's context, as 32 lowercase
// hex digits, or "" when there is none: errdoc.Options.TraceID.
func TraceID(r *http.Request) string {
	sc := trace.SpanContextFromContext(r.Context())
	if !sc.HasTraceID() {
		return ""
	}
	return sc.TraceID().String()
}

// Observe records one error errdoc rendered, as errdoc.Options.Observe,
// on the span in the request's context (it creates none: otelhttp, or
// another server instrumentation, owns the server span), following
// OpenTelemetry's HTTP semantic conventions:
//
//   - error.type is the error's catalog code (see ErrorTypes), on every
//     error: 4xx, 5xx and a client's hang-up (client_closed_request);
//   - the span's status is Error, described by the code, for a response
//     status of 5xx only: never for a 4xx, nor for a hang-up, which is the
//     client's doing (errdoc.HungUp proves it before calling it one);
//   - a 5xx with an internal cause gets an "exception" event carrying the
//     cause's type and text, for operators: the client's document never
//     shows it.
//
// When Metrics' middleware is above, it also learns the error for
// http.server.request.duration.
//
// A 304, which errdoc renders without a document, is no error: nothing is
// set for it.
func Observe(o errdoc.Observation) {
	if o.Request == nil || o.ResponseStatus < 400 {
		return
	}
	ctx := o.Request.Context()
	if rec, ok := ctx.Value(recordKey{}).(*record); ok {
		rec.observe(o)
	}
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(semconv.ErrorTypeKey.String(o.Code))
	if !serverFailure(o.ResponseStatus) {
		return
	}
	span.SetStatus(codes.Error, o.Code)
	if o.Cause != nil && serverFailure(o.Status) {
		span.RecordError(o.Cause, trace.WithAttributes(attribute.String("faultline.error.code", o.Code)))
	}
}

// serverFailure reports whether status marks a server span as failed: a
// 5xx. StatusClientClosedRequest (499) is below it anyway.
func serverFailure(status int) bool { return status >= 500 && status <= 599 }
