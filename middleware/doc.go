// Package middleware holds the chi-compatible handlers and middlewares that
// turn routing and request failures into errdoc documents.
//
// [Routing] answers what a router's routes do not take, as RFC 9110 asks:
// HEAD on every GET route (the GET handler runs, net/http drops the body),
// 404 for a path no route matches whatever the method, 204 with Allow for
// OPTIONS on a path that exists, 405 with a truthful Allow header for a
// method the server recognises that the path does not serve, and 501 for a
// method the server does not recognise at all. It serves the renderer's
// response-code page at /docs/errors, where documents link by default.
//
// Usage:
//
//	r := chi.NewRouter()
//	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
//	middleware.Routing(r) // after r.Use, before the routes: 404, 405, OPTIONS, 501 and HEAD
//
// # The request side
//
// Everything a client can get wrong about a request has a helper or a
// middleware here, each answering with an errdoc document whose source
// names the part of the request at fault:
//
//   - jsonbody.Bind (package github.com/faultline-go/faultline/middleware/jsonbody)
//     decodes a JSON body into a typed value: 415 for a Content-Type
//     other than JSON, 413 past the size limit, 422 with an RFC 6901
//     source.pointer for every malformed body or invalid value;
//     jsonbody.JSONBodies configures it per route group. It is a package
//     of its own so that its JSON decoder and validator are linked only
//     into programs that use it.
//   - [NewParams] reads typed query, path and header parameters and reports
//     every bad one in one 400 document.
//   - [Auth] calls your authenticate and authorize functions: 401 with a
//     WWW-Authenticate challenge (RFC 6750 for Bearer), 403.
//   - [Produces] answers 406 when Accept allows none of a route group's
//     media types.
//   - [Retired] answers 410 with Sunset and Link headers; [Deprecated]
//     announces the retirement (Deprecation, Sunset) and turns 410 at the
//     sunset.
//   - [ServeMux] does for http.ServeMux what Routing does for chi.
//
// No detail ever repeats a value the client sent: it says what is wrong
// with /quantity, not what /quantity held.
//
//	r.Route("/v1", func(r chi.Router) {
//		r.Use(middleware.Produces("application/json"))
//		r.With(jsonbody.JSONBodies(jsonbody.BindOptions{})).Post("/items", create)
//		r.With(middleware.Auth(middleware.AuthOptions{Realm: "api", Authenticate: check})).Delete("/items/{id}", del)
//	})
//
//	func create(w http.ResponseWriter, r *http.Request) {
//		item, err := jsonbody.Bind[Item](r)
//		if err != nil {
//			errdoc.Write(w, r, err)
//			return
//		}
//		// ...
//	}
//
// # The response side
//
// Each configured per route group:
//
//   - [Timeout]: 504 at the deadline even when the handler ignores its
//     context; nothing buffered; a response already started is aborted,
//     never left truncated as if complete; nested timeouts take the
//     earliest deadline.
//   - [ProxyErrorHandler], [DoUpstream], [DoUpstreamWithin] and
//     [UpstreamError]: upstream failures as 504 (timeouts) or 502 (refused,
//     reset, DNS, TLS, malformed), with the upstream's address and raw
//     error only in the log.
//   - [Throttle]: a concurrency limiter (limit, bounded backlog, wait
//     timeout) answering 503 with Retry-After. Its adaptive mode is
//     package middleware/adaptive: a limit that follows measured latency,
//     a CoDel queue and priority classes (OVERLOAD.md measures both).
//   - [Maintenance]: a switch, toggled at run time, answering 503 with
//     Retry-After.
//   - [Conditional]: RFC 9110 preconditions, 304 and 412, from the
//     handler's validators, or from a strong ETag computed from the body by
//     etag.ETag (package github.com/faultline-go/faultline/middleware/etag,
//     of its own so that its hash is linked only where it is used).
//
// For example:
//
//	r.Group(func(r chi.Router) {
//		r.Use(middleware.Timeout(2*time.Second), middleware.Throttle(100))
//		r.With(middleware.Conditional(), etag.ETag(64<<10)).Get("/items", listItems)
//	})
//
// Every document is written through errdoc, so the request's renderer,
// format, request ID and trace ID apply.
//
// # Causes, and clients that hang up
//
// Every context this package cancels ends with a cause of its own
// (context.Cause): [ErrTimeout] and [ErrHandlerReturned] for a Timeout's,
// [ErrUpstreamTimeout] for DoUpstreamWithin's call, [ErrBacklogTimeout]
// for a Throttle's backlog wait; [ServerShutdown] gives the server's
// requests [ErrServerShutdown] or [ErrServerClosed]. What ends with
// net/http's plain context.Canceled and none of these was ended by the
// client going away, and errdoc.HungUp says when that is proved: the
// middlewares then write nothing, and errdoc logs the hang-up below ERROR
// and counts it as 499. A server's own end (a deadline, a shutdown, an
// HTTP/2 stream reset at the server's WriteTimeout) stays a 5xx.
//
// This package's name is chi's middleware package's too: import one of
// them under another name where both are used, say
// chimw "github.com/go-chi/chi/v5/middleware".
//
// # Goroutines that outlive a request
//
// Nothing a goroutine of a handler may still hold is pooled or handed to
// another request. The goroutines of this package that can run after the
// router's ServeHTTP has returned, what each may hold, and why that is
// safe (each has a test, named):
//
//   - [Timeout]'s handler goroutine, after the deadline. It holds its own
//     writer (never reused; its writes are dropped once sealed, and it
//     never touches net/http's writer, whose buffers net/http pools), its
//     own copy of chi's route context (chi puts its pooled *chi.Context
//     back when the router returns: TestTimeoutLateHandlerKeepsItsRoute),
//     its own context (values from the request's, which are immutable),
//     and a copy of the request with path values of its own, which chi's
//     routing below the Timeout writes without touching the request the
//     middlewares above read (TestTimeoutLateRoutingOwnsItsPathValues);
//     its URL, Header and Body are the request's, which net/http
//     allocates per request and never pools (the handler must not modify
//     them, as net/http asks of every handler). Its body reads stop at the
//     body's own length, and fail once net/http has closed the body after
//     the router returned, so it never reads the next request of a
//     kept-alive connection; and a 504 for an HTTP/1.x request with a body
//     closes the connection, so that a body read the handler is blocked in
//     cannot hold it back (TestTimeoutLateHandlerReadsOnlyItsOwnBody), and
//     sets no read deadline, whose expiry would cancel the context of the
//     requests that follow on the connection
//     (TestTimeoutKeepAliveAfterA504WithABody). A panic after the deadline
//     is logged, nothing more.
//   - Timeout's shared deadline timer (one per core). It expires only
//     contexts still queued; a Timeout takes its context off the queue
//     before it returns (TestTimeoutFinishedContextIsNeverExpiredLater).
//   - The body deadline timer of JSONBodies (package
//     middleware/jsonbody). It holds the request's writer and
//     touches it only while armed, under a lock; the body's end, Close, and
//     the middleware's return disarm it, so it never sets a deadline on a
//     connection that serves the next request
//     (TestBodyDeadlineDisarmedTouchesNothing); should it fire just as the
//     body ends, the response closes the connection
//     (TestBodyDeadlineExpiredAtTheEndClosesTheConnection).
//   - [DoUpstream] and [ProxyErrorHandler] start no goroutine; the
//     http.Transport's own goroutines hold the upstream connection, which
//     the transport closes, rather than pools, when a request's context
//     cuts a call that still owes its reply
//     (TestDoUpstreamCutCallLeavesNoLateReply). [DoUpstreamWithin]'s
//     deadline is the context package's timer, stopped when the call fails
//     or its body is closed; at the deadline it cancels the call's own
//     context, which nothing else holds.
//   - [ServerShutdown]: for a server whose BaseContext it wraps, one
//     context.AfterFunc per listener, holding only that listener's base
//     context; it runs once, when Close or an overdue Shutdown cancels
//     them all.
//   - [Throttle]'s waiters are the requests' own goroutines; a waiter whose
//     request ends leaves the queue then, and a slot is released when its
//     handler returns or panics (TestThrottleBacklogTimeoutAndCancel,
//     TestThrottleReleasesTheSlotOnPanic). The wait's deadline is a
//     context.WithTimeoutCause derived from the request's, cancelled when
//     the wait ends.
//   - The adaptive limiter (package middleware/adaptive) starts no
//     goroutine either: its waiters are the requests' own goroutines. Each
//     wait has a context derived from the request's, whose deadline timer
//     (the queue's time cap) and cancel (eviction by a critical request)
//     end it with ErrQueueTimeout or ErrEvicted as the cause; both are
//     stopped when the wait ends, and the timer's function only cancels
//     that context. A waiter is handed a slot under the queue's lock or
//     not at all, holds nothing of another request, and leaves the queue
//     when its request ends (TestHangUpsAndConcurrencyOverTheWire); a slot
//     is released when the handler returns or panics
//     (TestPanicReleasesTheSlot). The limiter's window counters are
//     statistics only: a request never reads another's.
//   - The buffer of ETag (package middleware/etag) belongs to one request: below a Timeout it is the
//     late handler's own, above it the late handler's writes never reach it
//     (TestETagBesideTimeoutKeepsBodiesApart).
//
// errdoc builds documents in pooled scratch space but hands writers bytes
// of their own; the Redis counter (package ratelimit/rediscounter) calls
// Redis on the request's goroutine, and go-redis closes a connection whose
// call was cut short instead of pooling it (see those packages).
package middleware
