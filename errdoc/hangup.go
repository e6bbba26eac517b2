package errdoc

import (
	"context"
	"net/http"
	"time"
)

// StatusClientClosedRequest is the status recorded, never sent, for a
// request whose client went away before its answer: nginx's 499 "Client
// Closed Request". No RFC defines it. Observe sees it, logs carry it below
// ERROR, and the OpenTelemetry adapter leaves the span's status unset for
// it: a client hanging up is no failure of the server.
const StatusClientClosedRequest = 499

// ClientClosedEntry returns the entry of a client's hang-up, which no
// catalog lists: no client ever reads it, so the response-code page and the
// OpenAPI document leave it out (an error a handler renders with status 499
// itself is an ordinary 4xx of the catalog). Its code is what logs,
// Observe and the OpenTelemetry adapter's error.type say of a hang-up.
func ClientClosedEntry() Entry {
	return Entry{Status: StatusClientClosedRequest, Code: "client_closed_request", Title: "Client Closed Request",
		Description: "The client closed its connection or cancelled its HTTP/2 stream before the server answered. Nothing is written (nobody would read it); it is recorded in logs and metrics only."}
}

// HungUp reports whether r's client went away before its answer, as far as
// the causes prove it. net/http cancels a request's context with a plain
// context.Canceled, with no cause, when the client closes the connection
// (HTTP/1.x), resets its stream or closes the connection (HTTP/2), but
// also when the server itself ends the request: Server.Close, a
// BaseContext cancelled plainly, or a stream reset by the server's own
// WriteTimeout (golang/go issues 64465 and 75939 ask for a cause). So a
// hang-up needs all of:
//
//   - an errdoc Handler in r's chain: it keeps the context it received,
//     the server's, so that a context a handler cancelled on its own is
//     never taken for the client's;
//   - that context done with context.Canceled as its cause, no other:
//     every cancellation this module makes has a cause of its own (see
//     package middleware's Timeout, DoUpstream and Throttle), and so does a
//     server shut down through middleware.ServerShutdown;
//   - the response not released: a write after the handler returned is a
//     late goroutine's, whose context net/http ended;
//   - no deadline of the server's that may have ended the request instead:
//     no write deadline set through w with http.ResponseController, and,
//     when the server has a WriteTimeout (or, for HTTP/1.x, a
//     ReadTimeout), less than half of the shorter elapsed since the
//     Handler started. net/http cancels a request's context plainly when
//     a write fails at its deadline (an HTTP/2 stream reset, or a failed
//     HTTP/1.x write such as a 100 Continue) and when an HTTP/1.x read
//     fails at its deadline, exactly as when the client goes away; the two
//     cannot be told apart, so a request past half the deadline is left a
//     server failure. The half is slack for the time between the server's
//     timer starting and the Handler running: mount Handler outermost, so
//     that no slow middleware runs before it (one that takes more than the
//     other half hides a deadline's cancel as a hang-up).
//
// What it cannot see: a middleware mounted above the outermost Handler
// that cancels the request's context plainly (mount Handler first, or give
// such cancellations a cause), and a server closed without a cause
// (Server.Close, or a BaseContext cancelled plainly: close it through
// middleware.ServerShutdown). Both look exactly like the client going
// away.
//
// Renderer.Write calls it when every error it renders is a 5xx with
// context.Canceled in its chain; the middlewares of this module call it for
// the answers they abort. Write records and observes a request's hang-up
// once, however many of its layers render that end (a Timeout and the
// handler below it, say): the first of them.
func HungUp(w http.ResponseWriter, r *http.Request) bool {
	s := stateFrom(r.Context())
	if s == nil || s.in == nil {
		return false
	}
	in := s.in
	if in.Err() != context.Canceled || context.Cause(in) != context.Canceled {
		return false
	}
	if responseState(w)&stReleased != 0 {
		return false
	}
	if writeDeadlineSet(w) {
		return false
	}
	if srv, _ := in.Value(http.ServerContextKey).(*http.Server); srv != nil {
		// net/http cancels the context plainly when a write fails at the
		// WriteTimeout (HTTP/1.x and HTTP/2 alike) and, in HTTP/1.x, when
		// a read fails at the ReadTimeout: past half of the shorter, the
		// server's own deadline may be the cause.
		limit := srv.WriteTimeout
		if r.ProtoMajor < 2 && srv.ReadTimeout > 0 && (limit <= 0 || srv.ReadTimeout < limit) {
			limit = srv.ReadTimeout
		}
		if limit > 0 && (s.start == 0 || time.Duration(monoNow()-s.start) >= limit/2) {
			return false
		}
	}
	return true
}

// hangUp reports whether every item is a 5xx caused by a context's
// cancellation and r's client hung up (HungUp); if so it turns each into
// StatusClientClosedRequest, keeping the original error as its cause. A
// 5xx of any other cause stays what it is, hang-up or not: the server's
// failure is never hidden as client noise.
func (rd *Renderer) hangUp(w http.ResponseWriter, r *http.Request, items []item) bool {
	for i := range items {
		if items[i].status < 500 || !walkChain(items[i].e.Cause, isCanceled) {
			return false
		}
	}
	if !HungUp(w, r) {
		return false
	}
	// No document is written: the items need what the log and Observe
	// read, not what an encoder would.
	ce := rd.clientClosed
	for i := range items {
		items[i] = item{e: &Error{Status: StatusClientClosedRequest, Cause: items[i].e}, ce: ce,
			status: StatusClientClosedRequest, code: ce.Code, title: ce.Title}
	}
	return true
}

// firstHangUp reports whether this is the first record of the client's
// hang-up for the request of ctx, and marks it recorded. HungUp needs
// Handler's state, so a hang-up always has one to mark.
func firstHangUp(ctx context.Context) bool {
	s := stateFrom(ctx)
	return s == nil || s.root == nil || s.root.hungUp.CompareAndSwap(false, true)
}

// hangUpRecorded reports whether a layer of the request of ctx recorded
// its client's hang-up (firstHangUp).
func hangUpRecorded(ctx context.Context) bool {
	s := stateFrom(ctx)
	return s != nil && s.root != nil && s.root.hungUp.Load()
}

func isCanceled(e error) bool { return e == context.Canceled }

// monoBase is the moment monoNow counts from; set once, when the package
// is initialised, and never changed.
var monoBase = time.Now()

// monoNow returns the nanoseconds of the monotonic clock since monoBase,
// plus one, so that a start it gives is never 0 (none). A state keeps a
// start in 8 bytes where a time.Time takes 24: Handler's allocation stays
// in its size class.
func monoNow() int64 { return int64(time.Since(monoBase)) + 1 }
