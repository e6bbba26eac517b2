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

// jsonapiMembers returns the members of a JSON:API errors document.
func (rd *Renderer) jsonapiMembers(tx pageText, ex string) []docsMember {
	hdr := rd.requestIDHeader()
	link, links := rd.docsLink(ex)
	ms := []docsMember{
		{"errors", tx.s("reference.errors"), `[{"status": "404", ...}]`},
		{"errors[].id", tx.s("reference.id", Str("header", hdr)), jsonValue(exampleRequestID)},
	}
	if links {
		ms = append(ms,
			docsMember{"errors[].links", tx.s("reference.links"), `{"about": "...", "type": "..."}`},
			docsMember{"errors[].links.about", tx.s("reference.links.about"), jsonValue(link)},
			docsMember{"errors[].links.type", tx.s("reference.links.type"), jsonValue(link)},
		)
	}
	return append(ms,
		docsMember{"errors[].status", tx.s("reference.status"), `"404"`},
		docsMember{"errors[].code", tx.s("reference.code"), jsonValue(ex)},
		docsMember{"errors[].title", tx.s("reference.title"), jsonValue(rd.exampleTitle(tx, ex))},
		docsMember{"errors[].detail", tx.s("reference.detail"), jsonValue(tx.s("example.detail", Str("id", "42")))},
		docsMember{"errors[].source", tx.s("reference.source"), `{"pointer": "/quantity"}`},
		docsMember{"errors[].source.pointer", tx.s("reference.pointer"), `"/items/0/quantity"`},
		docsMember{"errors[].source.parameter", tx.s("reference.parameter"), `"limit"`},
		docsMember{"errors[].source.header", tx.s("reference.header"), `"Content-Type"`},
		docsMember{"errors[].meta", tx.s("reference.meta"), `{"max_bytes": 1048576}`},
		docsMember{"meta", tx.s("reference.document_meta"), `{"trace_id": "` + exampleTraceID + `"}`},
		docsMember{"meta.request_id", tx.s("reference.meta_request_id", Str("header", hdr)), jsonValue(exampleRequestID)},
		docsMember{"meta.trace_id", tx.s("reference.trace_id"), jsonValue(exampleTraceID)},
	)
}

// problemMembers returns the members of an RFC 9457 problem details
// document.
func (rd *Renderer) problemMembers(tx pageText, ex string) []docsMember {
	hdr := rd.requestIDHeader()
	link, _ := rd.docsLink(ex)
	instance := rd.opts.InstanceURI
	if instance == "" {
		instance = DefaultInstanceURI
	}
	typeMeaning := tx.s("reference.problem.type")
	if rd.noLinks {
		typeMeaning = tx.s("reference.problem.type_blank")
	}
	return []docsMember{
		{"type", typeMeaning, jsonValue(link)},
		{"title", tx.s("reference.title"), jsonValue(rd.exampleTitle(tx, ex))},
		{"status", tx.s("reference.problem.status"), "404"},
		{"detail", tx.s("reference.problem.detail"), jsonValue(tx.s("example.detail", Str("id", "42")))},
		{"instance", tx.s("reference.problem.instance", Str("instance", instance)), jsonValue(instance + exampleRequestID)},
		{"request_id", tx.s("reference.problem.request_id", Str("header", hdr)), jsonValue(exampleRequestID)},
		{"trace_id", tx.s("reference.trace_id"), jsonValue(exampleTraceID)},
		{"code", tx.s("reference.code"), jsonValue(ex)},
		{"pointer", tx.s("reference.pointer"), `"/items/0/quantity"`},
		{"parameter", tx.s("reference.parameter"), `"limit"`},
		{"header", tx.s("reference.header"), `"Content-Type"`},
		{"meta", tx.s("reference.meta"), `{"max_bytes": 1048576}`},
		{"errors", tx.s("reference.problem.errors"), `[{"type": "...", "status": 422, "code": "unprocessable_entity", ...}]`},
	}
}

// twitterMembers returns the members of Twitter's v1 error shape.
func (rd *Renderer) twitterMembers(tx pageText) []docsMember {
	// The 429's legacy message in the page's language, from whichever
	// entry answers 429: the catalog's or the built-in one.
	message := "Rate limit exceeded"
	for li, tag := range rd.langTags {
		if strings.EqualFold(tag, tx.lang) {
			if _, _, _, legacy := rd.entryFor(http.StatusTooManyRequests).text(li); legacy != "" {
				message = legacy
			}
		}
	}
	return []docsMember{
		{"errors", tx.s("reference.twitter.errors"), `[{"code": 34, "message": "..."}]`},
		{"errors[].code", tx.s("reference.twitter.code"), "88"},
		{"errors[].message", tx.s("reference.twitter.message"), jsonValue(message)},
		{"trace_id", tx.s("reference.trace_id"), jsonValue(exampleTraceID)},
	}
}

// exampleTitle returns the title of the page's example code in tx's
// language.
func (rd *Renderer) exampleTitle(tx pageText, code string) string {
	if e, ok := rd.catalog.Text(tx.lang, code); ok {
		return e.Title
	}
	return http.StatusText(http.StatusNotFound)
}

// metaMembers returns the meta members the library's middlewares emit.
func (rd *Renderer) metaMembers(tx pageText) []docsMeta {
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
		{"available", ref("not_acceptable"), tx.s("meta.available"), `["application/json"]`},
		{"accepted", ref("unsupported_media_type"), tx.s("meta.accepted"), `["application/json"]`},
		{"max_bytes", ref("content_too_large"), tx.s("meta.max_bytes"), "1048576"},
		{"offset", ref("unprocessable_entity", "bad_request"), tx.s("meta.offset"), "37"},
		{"line", ref("unprocessable_entity", "bad_request"), tx.s("meta.line"), "3"},
		{"column", ref("unprocessable_entity", "bad_request"), tx.s("meta.column"), "12"},
		{"trace_id", nil, tx.s("meta.trace_id"), jsonValue(exampleTraceID)},
		{"cause", nil, tx.s("meta.cause"), jsonValue("dial tcp 10.0.0.7:5432: connect: connection refused")},
		{"panic", ref("internal_error"), tx.s("meta.panic"), jsonValue("runtime error: index out of range [3] with length 3")},
		{"stack", ref("internal_error"), tx.s("meta.stack"), jsonValue("goroutine 42 [running]:\n...")},
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
func (rd *Renderer) responseHeaders(tx pageText) []docsHeader {
	h := func(name, key, example string, codes ...string) docsHeader {
		var args []Arg
		if len(codes) > 0 {
			args = []Arg{Str("statuses", rd.codeLinks(codes...))}
		}
		return docsHeader{Name: name, Sent: tx.s("header."+key+".sent", args...), Meaning: tx.s("header." + key), Example: example}
	}
	return []docsHeader{
		h(rd.requestIDHeader(), "request_id", exampleRequestID),
		h("traceparent", "traceparent", "00-"+exampleTraceID+"-00f067aa0ba902b7-01"),
		h("Retry-After", "retry_after", "30", "enhance_your_calm", "too_many_requests", "service_unavailable"),
		h("RateLimit", "ratelimit", `"default";r=0;t=30`),
		h("RateLimit-Policy", "ratelimit_policy", `"default";q=5;w=60`),
		h("X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset", "x_ratelimit", "5, 0, 1767225600"),
		h("Allow", "allow", "GET, HEAD, POST", "method_not_allowed"),
		h("WWW-Authenticate", "www_authenticate", `Bearer realm="api", error="invalid_token"`, "unauthorized"),
		h("Accept-Post, Accept-Patch", "accept_post", "application/json", "unsupported_media_type"),
		h("ETag", "etag", `"33a64df551425fcc"`, "not_modified"),
		h("Deprecation", "deprecation", "@1735689600"),
		h("Sunset", "sunset", "Tue, 01 Jan 2030 00:00:00 GMT", "gone"),
		h("Link", "link", `</v1/items>; rel="successor-version"`, "unavailable_for_legal_reasons"),
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
