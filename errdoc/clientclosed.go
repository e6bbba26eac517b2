package errdoc

import (
	"context"
	"net/http"
)

// StatusClientClosedRequest is the status recorded for a request whose
// client went away (closed its connection, or cancelled its HTTP/2 stream)
// before the server answered: nginx's 499 "Client Closed Request". No RFC
// defines it. It is the client's doing, not a failure of the server: it is
// logged as a client error is, and never counted as a 5xx. Its document is
// still written when the response allows one, though nobody may read it.
const StatusClientClosedRequest = 499

// ClientClosed reports whether err is the cancellation of ctx, a request's
// context (or one derived from it, such as an upstream call's), by the
// request's client: context.Canceled is in err's chain, and ctx is done
// with context.Canceled as its cause, as net/http cancels a request's
// context when the connection closes or the HTTP/2 stream is reset. When
// ctx went through Handler, the context the outermost Handler received
// (the server's) must be cancelled that way too, so that a handler
// cancelling a context of its own is not taken for its client.
//
// It reports false for a deadline (context.DeadlineExceeded: a timeout is
// the server's answer), for an error of another kind while ctx is
// cancelled (an upstream's own reset), for a context.Canceled that ctx did
// not cause (an upstream call cancelled by its own context), and for a
// context cancelled with a cause of its own (context.WithCancelCause: the
// application's decision, not the client's).
//
// Renderer.Write applies it to the errors it classifies, and the
// middlewares of this module to the failures they turn into statuses, so
// that a hang-up is recorded as StatusClientClosedRequest rather than a
// 500, 502 or 504.
func ClientClosed(ctx context.Context, err error) bool {
	if ctx == nil || err == nil || !walkChain(err, isCanceled) {
		return false
	}
	if !cancelledPlainly(ctx) {
		return false
	}
	if s := stateFrom(ctx); s != nil && s.in != nil {
		return cancelledPlainly(s.in)
	}
	return true
}

// cancelledPlainly reports whether ctx is done with context.Canceled as
// its cause.
func cancelledPlainly(ctx context.Context) bool {
	return ctx.Err() != nil && walkChain(context.Cause(ctx), isCanceled)
}

func isCanceled(e error) bool { return e == context.Canceled }

// classifyFor is Classify for an error rendered for a request: an error
// that Classify answers with its 500 for "anything else" (no *Error or
// StatusCoder in its chain) and that is the client's cancellation of r
// (see ClientClosed) is StatusClientClosedRequest.
func classifyFor(r *http.Request, err error) *Error {
	e, other := classify(err)
	if other && r != nil && ClientClosed(r.Context(), err) {
		e = &Error{Status: StatusClientClosedRequest, Cause: err}
	}
	return e
}
