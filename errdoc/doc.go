// Package errdoc renders every failure of an HTTP API as one consistent,
// machine-readable error document, and is the leaf every other package of
// this module renders through.
//
// An [Error] carries what the client sees (status, stable code, title,
// detail, source, meta, headers such as Retry-After) and an internal Cause
// that is logged with the request ID and never rendered. A [Catalog] holds
// the codes, from which a [Renderer] fills titles and documentation links,
// and from which it generates the API's response-code page: HTML for
// browsers and Markdown, negotiated by [Renderer.DocsHandler], and an
// OpenAPI 3.1 document of the error responses, their headers and the API's
// own operations ([Renderer.OpenAPI]). A catalog's translations
// ([Catalog.WithTranslation]) give titles, descriptions and details in the
// client's language; one whose [Translation].Page holds the page's own
// text ([PageTexts] lists its keys) also gives the page in that language,
// which DocsHandler picks by Accept-Language or ?lang=, with the same
// anchors in every language.
//
// Details in the client's language are [Message] values: a template key of
// the catalog and its arguments, "No route matches {path}.", made with
// [NewMessage] or [CodedMessage] (one allocation for an error and up to two
// arguments) or set with [Error.WithMessage]; every middleware of this
// module renders its details that way, and [Catalog.MessageKeys] lists
// their keys. An application adds its own with [Catalog.WithMessages]. The renderer picks
// the language by Accept-Language with RFC 4647 lookup ([MatchLanguage],
// without allocating), falls back to the catalog's default language, sets
// Content-Language and adds Accept-Language to Vary; with one language it
// reads no header and adds none. A translation must cover every code,
// message and placeholder, or [Catalog.WithTranslation] refuses it
// ([TranslationError]); package errdoc/translations holds the library's
// text in Spanish to start from. An API served in another language first
// makes it the default with [Catalog.WithDefaultLanguage], which takes that
// language's whole text. [Catalog.Detail] renders an error's detail
// for Go code that inspects it.
//
// Documents come in three formats from the same error value: JSON:API errors
// (the default), RFC 9457 problem details (when the request's Accept prefers
// application/problem+json), and Twitter's v1 legacy shape. The format is set
// per router or route group and negotiated per request; an error is never
// turned into a 406.
//
// Usage:
//
//	rd := errdoc.NewRenderer(errdoc.Options{})
//	r.Use(rd.Handler) // request IDs, format, committed-response tracking
//	r.Method("GET", "/items/{id}", errdoc.HandlerFunc(getItem)) // return errors
//
// Inside any handler, errdoc.Write(w, r, err) renders err with the renderer
// configured for the route; ordinary Go errors are classified (timeouts 504,
// unreachable upstreams 502, oversized bodies 413, bad JSON 422, anything
// else 500 without its text). 5xx documents carry a generic description
// unless the renderer runs in development mode.
//
// Every error response follows one header rule, whoever writes it: the
// representation and caching headers a handler set for the success it
// abandoned (Content-Encoding, Content-Disposition, ETag, Cache-Control,
// Location...) are dropped, Set-Cookie and Vary are kept, a negotiated
// document carries "Vary: Accept", and documents are "Cache-Control:
// no-store" unless the error sets its own caching (see [Renderer.Write] and
// [Options].CacheControl). Problem details carry the request ID in
// "request_id" and an absolute "instance" URI ([Options].InstanceURI).
//
// [Track] wraps a response so that [Committed] can tell whether a document
// may still be written; it sees every write, flush and hijack, also those
// made with http.ResponseController through wrappers that only Unwrap. Its
// wrapper is allocated per request and never reused: after the handler
// returns, a write from a goroutine it left behind is dropped
// ([ErrReleased]) and reaches no other request. Documents are built in
// pooled scratch space, but the bytes handed to a writer are the
// document's own, so a writer that keeps them (against io.Writer's rule)
// never sees another request's document written over them.
//
// Each request has one ID, whichever middleware made it: [Renderer.Handler]
// adopts the ID chi's middleware.RequestID made (mounted above it), or
// takes [Options].RequestID's; where chi's RequestID is mounted below it
// in a chi router or chain, or under this module's recoverer, Timeout,
// Throttle or adaptive limiter, Handler hands its ID down in a copy of the
// request's header and chi's adopts it. The response header, every
// document, every log record and middleware.GetReqID carry the one ID.
// A chi RequestID Handler cannot see, inside a handler it cannot look into
// (an http.ServeMux, a closure middleware wrapped by hand rather than
// mounted with Use), is learnt only when its ID first reaches a document
// or log record, and success responses until then carry Handler's ID:
// mount chi's RequestID with Use, or above Handler.
//
// A code that is not in the catalog never reaches a client: the status's
// own code answers and the log names the mistake; [Catalog.MustCode] and
// [Catalog.Check] catch it before that. Documents link to the response-code
// page on the request's own origin unless [Options].DocsURL says where it
// is; [ExposedHeaders] lists the headers a browser page needs exposed by
// CORS to act on an error.
//
// Documents and log records carry the request's W3C trace ID, from
// [Options].TraceID (the OpenTelemetry adapter, module
// github.com/faultline-go/faultline/errdoc/errdocotel, supplies the active
// span's) or a strictly valid traceparent header ([ParseTraceparent]):
// JSON:API in the top-level meta.trace_id, problem details in trace_id.
// A client that hangs up is recorded as [StatusClientClosedRequest] (499),
// written nowhere and logged below ERROR, only when the causes prove it
// ([HungUp]); a server's own failure is never hidden that way.
//
// Go clients of such APIs turn responses back into errors with
// [ParseResponse].
package errdoc
