// Package middleware holds the chi-compatible handlers and middlewares that
// turn routing and request failures into errdoc documents: unknown routes
// (404) and methods (405, with an Allow header computed from the router).
//
// Usage:
//
//	r := chi.NewRouter()
//	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
//	middleware.Routing(r) // 404 and 405 as error documents
//
// On the response side, each configured per route group:
//
//   - Timeout: 504 at the deadline even when the handler ignores its
//     context; nothing buffered; a response already started is aborted,
//     never left truncated as if complete; nested timeouts take the
//     earliest deadline.
//
//   - ProxyErrorHandler, DoUpstream and UpstreamError: upstream failures as
//     504 (timeouts) or 502 (refused, reset, DNS, TLS, malformed), with the
//     upstream's address and raw error only in the log.
//
//   - Throttle: a concurrency limiter (limit, bounded backlog, wait
//     timeout) answering 503 with Retry-After.
//
//   - Maintenance: a switch, toggled at run time, answering 503 with
//     Retry-After.
//
//   - Conditional and ETag: RFC 9110 preconditions, 304 and 412, from the
//     handler's validators or a strong ETag computed from the body.
//
//     r.Group(func(r chi.Router) {
//     r.Use(middleware.Timeout(2*time.Second), middleware.Throttle(100))
//     r.With(middleware.Conditional(), middleware.ETag(64<<10)).Get("/items", listItems)
//     })
//
// Every document is written through errdoc, so the request's renderer,
// format and request ID apply.
package middleware
