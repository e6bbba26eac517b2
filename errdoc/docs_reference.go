package errdoc

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// The page's reference: every member of each document format, the meta
// members the library's middlewares put in documents, and the headers a
// client acts on. Meanings are prose markup (see docs_text.go); examples
// are JSON values, or header values. Keep it true: docs_reference_test.go
// checks the members against the formats' schemas, and the meta members
// against what the middlewares emit.

// docsMember is one member of a document format.
type docsMember struct {
	Name    string // its path: "errors[].source.pointer"
	Meaning string // prose markup
	Example string // a JSON value
}

// docsMeta is one member the library puts in an error's meta.
type docsMeta struct {
	Name    string
	Codes   []docsCodeRef // the codes whose documents carry it
	Meaning string        // prose markup
	Example string        // a JSON value
}

// docsHeader is one header a client acts on.
type docsHeader struct {
	Name    string
	Sent    string // prose markup: with which answers
	Meaning string // prose markup
	Example string // a header value
}

// docsCodeRef names a catalog code; Linked when the page has its row.
type docsCodeRef struct {
	Code   string
	Status int
	Linked bool
}

// exampleRequestID and exampleTraceID are the IDs of the page's examples.
const (
	exampleRequestID = "4f1c2a9e8b7d6c5a4f3e2d1c"
	exampleTraceID   = "4bf92f3577b34da6a3ce929d0e0e4736"
)

// jsonValue returns v as compact JSON, for an example.
func jsonValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// docsLink returns the docs link a document answering a client of the
// page's host would carry for code, and whether JSON:API documents carry
// it as links (they need an absolute URI). "" means none: DocsURL is "-".
func (rd *Renderer) docsLink(code string) (link string, jsonapi bool) {
	switch {
	case rd.noLinks:
		return "about:blank", false
	case rd.originLinks:
		// Each request's own origin: the example names one.
		return "https://api.example.com" + DefaultDocsPath + "#" + code, true
	}
	return rd.opts.DocsURL + "#" + code, rd.absLinks
}

// requestIDHeader is the request-ID header's name as the page spells it.
func (rd *Renderer) requestIDHeader() string {
	if rd.opts.RequestIDHeader != "" {
		return rd.opts.RequestIDHeader
	}
	return "X-Request-ID"
}

const (
	meaningDetail = "What went wrong in this request, in a sentence for people; it may name the value at fault. " +
		"Absent when the title says it all. For a 5xx it is the code's general description: " +
		"what failed inside the server is logged, never sent."
	meaningCode = "The stable code of the failure: its row in the [status codes](#http-status-codes). " +
		"Branch on it; titles and details may be reworded, a code is not."
	meaningTitle   = "A short summary of the code, the same for every occurrence. For people, not programs."
	meaningTraceID = "The W3C trace ID of the request, present when it has one: the request carried a valid `traceparent` header, " +
		"or the server's own tracing began a trace. It lets the API's operators find the request's trace."
)

// jsonapiMembers returns the members of a JSON:API errors document.
func (rd *Renderer) jsonapiMembers(ex string) []docsMember {
	hdr := rd.requestIDHeader()
	link, links := rd.docsLink(ex)
	ms := []docsMember{
		{"errors", "The errors, one object per failure: a request with several faults (three invalid values in its body, say) gets them all at once.", `[{"status": "404", ...}]`},
		{"errors[].id", "The request's ID, as in the `" + hdr + "` header. When a document holds several errors, each ID ends in `.1`, `.2` and so on, so that each error has its own.", jsonValue(exampleRequestID)},
	}
	if links {
		ms = append(ms,
			docsMember{"errors[].links", "Links about the error.", `{"about": "...", "type": "..."}`},
			docsMember{"errors[].links.about", "This page's entry for the error's code: the page's address, `#` and the code.", jsonValue(link)},
			docsMember{"errors[].links.type", "The same link, naming the error's type (JSON:API 1.1).", jsonValue(link)},
		)
	}
	return append(ms,
		docsMember{"errors[].status", "The HTTP status of the error, as a string.", `"404"`},
		docsMember{"errors[].code", meaningCode, jsonValue(ex)},
		docsMember{"errors[].title", meaningTitle, jsonValue(rd.exampleTitle(ex))},
		docsMember{"errors[].detail", meaningDetail, jsonValue("The record identified by 42 could not be found.")},
		docsMember{"errors[].source", "The part of the request the error is about: one of the three members below, when the error is about one part.", `{"pointer": "/quantity"}`},
		docsMember{"errors[].source.pointer", "A JSON Pointer (RFC 6901) to the value in the request body at fault.", `"/items/0/quantity"`},
		docsMember{"errors[].source.parameter", "The query parameter at fault.", `"limit"`},
		docsMember{"errors[].source.header", "The request header at fault.", `"Content-Type"`},
		docsMember{"errors[].meta", "More facts about this error, specific to its code: see [meta members](#meta-members).", `{"max_bytes": 1048576}`},
		docsMember{"meta", "Members about the whole response.", `{"trace_id": "` + exampleTraceID + `"}`},
		docsMember{"meta.trace_id", meaningTraceID, jsonValue(exampleTraceID)},
	)
}

// problemMembers returns the members of an RFC 9457 problem details
// document.
func (rd *Renderer) problemMembers(ex string) []docsMember {
	hdr := rd.requestIDHeader()
	link, _ := rd.docsLink(ex)
	instance := rd.opts.InstanceURI
	if instance == "" {
		instance = DefaultInstanceURI
	}
	typeMeaning := "This page's entry for the error's code: the page's address, `#` and the code."
	if rd.noLinks {
		typeMeaning = "Always `about:blank`: the `code` member names the error."
	}
	return []docsMember{
		{"type", typeMeaning, jsonValue(link)},
		{"title", meaningTitle, jsonValue(rd.exampleTitle(ex))},
		{"status", "The HTTP status of the response, as a number.", "404"},
		{"detail", meaningDetail + " A document of several errors says how many there are.", jsonValue("The record identified by 42 could not be found.")},
		{"instance", "A URI that names this occurrence: `" + instance + "` followed by the request ID, percent-encoded.", jsonValue(instance + exampleRequestID)},
		{"request_id", "The request's ID, as in the `" + hdr + "` header. Quote it when you report a problem.", jsonValue(exampleRequestID)},
		{"trace_id", meaningTraceID, jsonValue(exampleTraceID)},
		{"code", meaningCode, jsonValue(ex)},
		{"pointer", "A JSON Pointer (RFC 6901) to the value in the request body at fault.", `"/items/0/quantity"`},
		{"parameter", "The query parameter at fault.", `"limit"`},
		{"header", "The request header at fault.", `"Content-Type"`},
		{"meta", "More facts about this error, specific to its code: see [meta members](#meta-members).", `{"max_bytes": 1048576}`},
		{"errors", "Present when a request has several faults: one object per fault, each with `type`, `status`, `code` and `title`, " +
			"and `detail`, `pointer`, `parameter`, `header` and `meta` as they apply. The members above then describe the response as a whole.",
			`[{"type": "...", "status": 422, "code": "unprocessable_entity", ...}]`},
	}
}

// twitterMembers returns the members of Twitter's v1 error shape.
func (rd *Renderer) twitterMembers() []docsMember {
	return []docsMember{
		{"errors", "The errors, one object per failure.", `[{"code": 34, "message": "..."}]`},
		{"errors[].code", "Twitter's v1 number for the error where it has one (the table gives it), else the HTTP status.", "88"},
		{"errors[].message", "A sentence for people: Twitter's v1 message where the error has one, else its detail or title.", jsonValue("Rate limit exceeded")},
		{"trace_id", meaningTraceID, jsonValue(exampleTraceID)},
	}
}

// exampleTitle returns the title of the page's example code.
func (rd *Renderer) exampleTitle(code string) string {
	if e, ok := rd.catalog.Lookup(code); ok {
		return e.Title
	}
	return http.StatusText(http.StatusNotFound)
}

// metaMembers returns the meta members the library's middlewares emit.
func (rd *Renderer) metaMembers() []docsMeta {
	ref := func(codes ...string) []docsCodeRef {
		out := make([]docsCodeRef, 0, len(codes))
		for _, c := range codes {
			e, ok := rd.catalog.Lookup(c)
			if !ok {
				e, _ = builtinEntry(c)
			}
			out = append(out, docsCodeRef{Code: c, Status: e.Status, Linked: ok})
		}
		return out
	}
	return []docsMeta{
		{"available", ref("not_acceptable"), "The media types the route can answer with: send an `Accept` header that allows one of them.", `["application/json"]`},
		{"accepted", ref("unsupported_media_type"), "The media types the route accepts for a request body, as the `Accept-Post` or `Accept-Patch` header also says.", `["application/json"]`},
		{"max_bytes", ref("content_too_large"), "The largest request body the route accepts, in bytes.", "1048576"},
		{"offset", ref("unprocessable_entity", "bad_request"), "For a body that is not well-formed JSON: how many bytes of it were read before the fault.", "37"},
		{"line", ref("unprocessable_entity", "bad_request"), "For a body that is not well-formed JSON: the line of the fault, counted from 1.", "3"},
		{"column", ref("unprocessable_entity", "bad_request"), "For a body that is not well-formed JSON: the column of the fault in its line, in characters, counted from 1.", "12"},
		{"trace_id", nil, "In JSON:API documents only, and in the top-level `meta` rather than an error's: the W3C trace ID of the request, when it has one (see [JSON:API](#" + anchorJSONAPI + ")).", jsonValue(exampleTraceID)},
		{"cause", nil, "Only from a server in development mode, never in production: the internal error behind this one.", jsonValue("dial tcp 10.0.0.7:5432: connect: connection refused")},
		{"panic", ref("internal_error"), "Only from a server in development mode: the value of the panic the server recovered from.", jsonValue("runtime error: index out of range [3] with length 3")},
		{"stack", ref("internal_error"), "Only from a server in development mode: the stack of the goroutine that panicked.", jsonValue("goroutine 42 [running]:\n...")},
	}
}

// builtinEntry returns the built-in entry of code.
func builtinEntry(code string) (Entry, bool) {
	for _, e := range builtinEntries() {
		if e.Code == code {
			return e, true
		}
	}
	return Entry{}, false
}

// responseHeaders returns the headers a client acts on.
func (rd *Renderer) responseHeaders() []docsHeader {
	hdr := rd.requestIDHeader()
	return []docsHeader{
		{hdr, "Every response",
			"The request's ID: the one the client sent, when it is 1 to 128 letters, digits and characters of `-_.~+/=@:`, else one the server made. " +
				"Error documents carry the same ID. Send your own to follow a request through your logs and ours; quote it when you report a problem.",
			exampleRequestID},
		{"traceparent", "The client's requests",
			"A W3C Trace Context header. When it is valid, its trace ID is the `trace_id` of error documents; an invalid or all-zero one is ignored.",
			"00-" + exampleTraceID + "-00f067aa0ba902b7-01"},
		{"Retry-After", rd.codeLinks("enhance_your_calm", "too_many_requests", "service_unavailable"),
			"How long to wait before sending the request again: a number of seconds, or an HTTP date. See [retrying](#retrying-requests).",
			"30"},
		{"RateLimit", "Every response of a rate-limited route",
			"The quota left: `r` requests remain, and the full quota is back in `t` seconds. When `r` is 0, wait `t` seconds instead of provoking a 429.",
			`"default";r=0;t=30`},
		{"RateLimit-Policy", "Every response of a rate-limited route",
			"The quota: `q` requests per window of `w` seconds.",
			`"default";q=5;w=60`},
		{"X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset", "Rate-limited routes that also send the older fields",
			"The quota per window, the requests left in it, and when it resets (Unix seconds).",
			"5, 0, 1767225600"},
		{"Allow", rd.codeLinks("method_not_allowed") + ", and answers to `OPTIONS`",
			"The methods the resource accepts.",
			"GET, HEAD, POST"},
		{"WWW-Authenticate", rd.codeLinks("unauthorized") + ", and a bearer token's `400` or `403`",
			"The authentication scheme to use, and with a bearer token the reason it was refused (`error`, `error_description`) and the `scope` needed.",
			`Bearer realm="api", error="invalid_token"`},
		{"Accept-Post, Accept-Patch", rd.codeLinks("unsupported_media_type") + " to a `POST` or `PATCH`",
			"The media types the route accepts for the request body.",
			"application/json"},
		{"ETag", "Successful reads, and " + rd.codeLinks("not_modified"),
			"The version of the representation. Send it in `If-None-Match` to revalidate a copy (304 when it is current), and in `If-Match` to change the resource only if nobody changed it since (412 otherwise).",
			`"33a64df551425fcc"`},
		{"Deprecation", "Every response of a deprecated endpoint",
			"Since when the endpoint is deprecated: `@` and a Unix time. Plan the move to its successor.",
			"@1735689600"},
		{"Sunset", "Responses of an endpoint that is being retired, and its " + rd.codeLinks("gone"),
			"When the endpoint stops answering, or stopped: an HTTP date. After it, the endpoint answers 410.",
			"Tue, 01 Jan 2030 00:00:00 GMT"},
		{"Link", "Deprecated and retired endpoints, and " + rd.codeLinks("unavailable_for_legal_reasons"),
			"Related resources: `rel=\"successor-version\"` is the endpoint to use instead, `rel=\"deprecation\"` and `rel=\"sunset\"` explain the change, `rel=\"blocked-by\"` names who demanded a 451.",
			`</v1/items>; rel="successor-version"`},
	}
}

// codeLinks returns prose markup naming the statuses of codes, each linked
// to its row when the catalog has one.
func (rd *Renderer) codeLinks(codes ...string) string {
	var b strings.Builder
	for i, c := range codes {
		if i > 0 {
			b.WriteString(", ")
		}
		e, ok := rd.catalog.Lookup(c)
		if !ok {
			e, _ = builtinEntry(c)
		}
		st := "`" + strconv.Itoa(e.Status) + "`"
		if ok {
			st = "[" + st + "](#" + c + ")"
		}
		b.WriteString(st)
	}
	return b.String()
}

// HeaderNames returns the names a docsHeader describes.
func (h docsHeader) HeaderNames() []string {
	return strings.Split(h.Name, ", ")
}
