package errdoc

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
)

// log records server errors, errors with a cause, and errors that could not
// be written because the response was committed. 501 Not Implemented is the
// one 5xx logged as a client error is (debug, and only with a cause): it
// answers a method no route knows, which scanners send by the thousand, not
// a failure of the server. A client's hang-up (StatusClientClosedRequest,
// see HungUp) is logged at debug level, committed or not: nothing failed on
// the server's side. Records carry the trace ID when there is one. A
// cause that reports Logged() true is not logged again, nor is the
// request context's end rendered to a committed response once whoever
// ended the context recorded it (recordedEnd).
func (rd *Renderer) log(r *http.Request, id, tid string, status int, items []item, dropped int, committed bool) {
	for i := range items {
		it := &items[i]
		if it.mistake != 0 {
			rd.logMistake(r, id, it)
		}
		level := slog.LevelDebug
		hungUp := it.status == StatusClientClosedRequest
		switch {
		case hungUp:
		case committed || it.status >= 500 && it.status != http.StatusNotImplemented:
			level = slog.LevelError
		case it.e.Cause == nil:
			continue
		}
		if l, ok := it.e.Cause.(Logged); ok && l.Logged() {
			continue
		}
		ctx := r.Context()
		if committed && isRecordedEnd(ctx, it.e.Cause) {
			continue
		}
		lg := rd.logger()
		if !lg.Enabled(ctx, level) {
			continue
		}
		msg := "request failed"
		switch {
		case hungUp:
			msg = "client closed the request before its answer; nothing written"
		case committed:
			msg = "request failed after the response was committed; no error document written"
		}
		attrs := make([]slog.Attr, 0, 10)
		attrs = append(attrs, slog.String("request_id", id))
		if tid != "" {
			attrs = append(attrs, slog.String("trace_id", tid))
		}
		attrs = append(attrs,
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", rd.route(r)),
			slog.Int("status", it.status),
			slog.Int("response_status", status),
			slog.String("code", it.code),
		)
		if it.e.Cause != nil {
			attrs = append(attrs, slog.String("cause", causeText(it.e.Cause)))
		}
		if i == 0 && dropped > 0 {
			attrs = append(attrs, slog.Int("errors_dropped", dropped))
		}
		lg.LogAttrs(ctx, level, msg, attrs...)
	}
}

func (rd *Renderer) observe(r *http.Request, id, tid string, status int, items []item, f Format) {
	if rd.opts.Observe == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			rd.logger().LogAttrs(r.Context(), slog.LevelError, "errdoc: Observe panicked",
				slog.String("request_id", id))
		}
	}()
	route := rd.route(r)
	for i := range items {
		rd.opts.Observe(Observation{
			Status:         items[i].status,
			ResponseStatus: status,
			Code:           items[i].code,
			Route:          route,
			RequestID:      id,
			TraceID:        tid,
			Format:         f,
			Cause:          items[i].e.Cause,
			Request:        r,
		})
	}
}

// logMistake records, at error level, an error that named a code or a status
// the catalog lacks: the client got the status's own code instead, and the
// application has a bug to fix (see Catalog.MustCode and Catalog.Check).
func (rd *Renderer) logMistake(r *http.Request, id string, it *item) {
	msg := "errdoc: code not in the catalog; rendered as " + it.code
	attr := slog.String("unknown_code", it.e.Code)
	if it.mistake == mistakeStatus {
		msg = "errdoc: status has no catalog entry; rendered as " + it.code
		attr = slog.Int("unknown_status", it.e.Status)
	}
	rd.logger().LogAttrs(r.Context(), slog.LevelError, msg,
		slog.String("request_id", id),
		slog.String("method", r.Method),
		slog.String("route", rd.route(r)),
		slog.Int("status", it.status),
		attr)
}

// recordedEnd returns the error of ctx, the request's context, once it
// ended with a cause that reports Logged() true, as a Timeout's deadline
// does (middleware.ErrTimeout: its 504, or its record of the response it
// aborted, is the request's record of it); else nil.
func recordedEnd(ctx context.Context) error {
	end := ctx.Err()
	if end == nil {
		return nil
	}
	if l, ok := context.Cause(ctx).(Logged); !ok || !l.Logged() {
		return nil
	}
	return end
}

// isRecordedEnd reports whether cause is the recorded end of ctx: a
// handler rendering its context's error once the Timeout that ended it
// took the writer back and recorded the deadline.
func isRecordedEnd(ctx context.Context, cause error) bool {
	end := recordedEnd(ctx)
	return end != nil && errors.Is(cause, end)
}

// endRecorded reports whether r's request has ended and whoever ended it
// recorded that already: its context's recorded end (recordedEnd), or its
// client's hang-up, recorded by a layer of the request (firstHangUp) and
// still proven by HungUp. Write asks it for an error rendered to a
// committed response; the Timeout's own answer goes to a writer nobody
// took back, and a 5xx other than the end itself is always logged.
func endRecorded(w http.ResponseWriter, r *http.Request) bool {
	ctx := r.Context()
	return recordedEnd(ctx) != nil || hangUpRecorded(ctx) && HungUp(w, r)
}
