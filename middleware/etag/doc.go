// Package etag gives responses a strong ETag computed from the
// representation they send (RFC 9110 section 8.8.3), for the conditional
// requests of middleware.Conditional to answer: 304 to If-None-Match, 412
// to a failed If-Match.
//
// Usage (mount ETag below Conditional):
//
//	r.With(middleware.Conditional(), etag.ETag(64<<10)).Get("/items", listItems)
//
// [ETag] buffers a 200 response to GET or HEAD up to a size and sends it
// with its ETag and Content-Length; [StrongETag] is the same tag for a
// body and headers a handler holds, so that handlers of unsafe methods can
// check If-Match before changing anything. It is a package of its own,
// beside middleware, because it is the one that needs a hash
// (github.com/zeebo/xxh3): programs that set their own validators link none.
package etag
