package errdoc

import "strings"

// The response-code page's own text, every sentence of it that is not a
// catalog entry's, by key. A Translation's Page holds the same keys in its
// language, with the same placeholders: {api}, {code}, {header} and so on,
// which the page fills in. The texts are prose markup (docs_text.go):
// `code` spans and [label](#anchor) links to the page's anchors, which are
// the same in every language.

// builtinPageTexts returns the page's English text, a new map each call.
func builtinPageTexts() map[string]string {
	return map[string]string{
		"title": "Response Codes",
		"api":   "The API",
		"intro": "{api} answers every request with an HTTP status that says how it went: 2xx or 3xx when it succeeded, " +
			"4xx when the request has to change before it can succeed, 5xx when the server failed. " +
			"Every error answer carries a small JSON document that names the failure with a stable `code`: " +
			"branch on the code, show the `detail` to people, and quote the request ID when you report a problem. " +
			"This page lists every code and whether retrying can help; it explains each member of the documents " +
			"and the headers that come with them, and how to retry. " +
			"Each code has an anchor of its own: documents link to this page followed by `#` and their code.",
		"intro.endpoints": "{api} answers every request with an HTTP status that says how it went: 2xx or 3xx when it succeeded, " +
			"4xx when the request has to change before it can succeed, 5xx when the server failed. " +
			"Every error answer carries a small JSON document that names the failure with a stable `code`: " +
			"branch on the code, show the `detail` to people, and quote the request ID when you report a problem. " +
			"This page lists every code, whether retrying can help and which endpoints answer with it; it explains each member of the documents " +
			"and the headers that come with them, and how to retry. " +
			"Each code has an anchor of its own: documents link to this page followed by `#` and their code.",
		"contents": "Contents",

		"section.codes":       "HTTP Status Codes",
		"section.endpoints":   "Endpoints",
		"section.documents":   "Error Messages",
		"section.jsonapi":     "JSON:API",
		"section.problem":     "Problem Details",
		"section.twitter":     "Twitter v1",
		"section.meta":        "Meta Members",
		"section.headers":     "Response Headers",
		"section.retry":       "Retrying Requests",
		"section.waiting":     "How Long to Wait",
		"section.idempotency": "Which Requests to Repeat",

		"codes.intro": "The `code` of an error document is stable and safe to branch on. " +
			"The Retry column says whether sending the request again can help: see [Retrying Requests](#retrying-requests).",
		"column.status":      "Status",
		"column.status_md":   "Code",
		"column.text":        "Text",
		"column.code":        "Error code",
		"column.description": "Description",
		"column.retry":       "Retry",
		"column.endpoint":    "Endpoint",
		"column.summary":     "Summary",
		"column.codes":       "Error codes",
		"column.member":      "Member",
		"column.meaning":     "Meaning",
		"column.example":     "Example",
		"column.meta_codes":  "Codes",
		"column.header":      "Header",
		"column.sent":        "Sent with",

		"row.ok.text":               "OK",
		"row.ok.description":        "Success.",
		"row.not_an_error":          "Not an error code.",
		"row.error_code":            "Error code: {code}.",
		"row.legacy_code":           "Twitter v1 code: {legacy_code}.",
		"row.server_side":           "Not your fault.",
		"row.every_endpoint":        "Any endpoint can answer with it.",
		"row.endpoints":             "Returned by {endpoints}.",
		"row.endpoints_all_but":     "Returned by every endpoint but {endpoints}.",
		"endpoints.intro":           "The error codes each endpoint can answer with.",
		"endpoints.intro_router":    "The error codes each endpoint can answer with. Any endpoint can also answer with {codes}: the router's answers to a path or a method that nothing serves.",
		"endpoints.deprecated":      "Deprecated.",
		"documents.intro":           "Every error answer carries a JSON document in one of three formats: JSON:API by default, problem details when the request's `Accept` header prefers them, and Twitter's v1 shape on routes that keep it. A client should ignore members it does not know: new ones may be added, existing ones keep their meaning.",
		"jsonapi.intro":             "Errors are returned as a JSON:API errors document (`application/vnd.api+json` when requested, `application/json` otherwise). For example:",
		"problem.intro":             "A request whose `Accept` header prefers `application/problem+json` gets RFC 9457 problem details instead:",
		"twitter.intro":             "Routes that keep Twitter's v1 shape answer:",
		"meta.intro":                "An error's `meta` holds facts specific to its code. These are the members the server's error handling sends where it knows them, and the codes whose documents carry them:",
		"meta.any":                  "Any",
		"headers.intro":             "Besides the document, these headers tell a client what to do next. A browser's script can read them when the API allows its origin.",
		"retry.intro":               "The Retry column of the [status codes](#http-status-codes) answers whether the same request can succeed later:",
		"example.detail":            "The record identified by {id} could not be found.",
		"reference.errors":          "The errors, one object per failure: a request with several faults (three invalid values in its body, say) gets them all at once.",
		"reference.id":              "The request's ID, as in the `{header}` header. When a document holds several errors, each ID ends in `.1`, `.2` and so on, so that each error has its own, and the top-level `meta.request_id` is the request's ID as it is.",
		"reference.links":           "Links about the error.",
		"reference.links.about":     "This page's entry for the error's code: the page's address, `#` and the code.",
		"reference.links.type":      "The same link, naming the error's type (JSON:API 1.1).",
		"reference.status":          "The HTTP status of the error, as a string.",
		"reference.code":            "The stable code of the failure: its row in the [status codes](#http-status-codes). Branch on it; titles and details may be reworded, a code is not.",
		"reference.title":           "A short summary of the code, the same for every occurrence. For people, not programs.",
		"reference.detail":          "What went wrong in this request, in a sentence for people; it may name the value at fault. Absent when the title says it all. For a 5xx it is the code's general description: what failed inside the server is logged, never sent.",
		"reference.source":          "The part of the request the error is about: one of the three members below, when the error is about one part.",
		"reference.pointer":         "A JSON Pointer (RFC 6901) to the value in the request body at fault.",
		"reference.parameter":       "The query parameter at fault.",
		"reference.header":          "The request header at fault.",
		"reference.meta":            "More facts about this error, specific to its code: see [meta members](#meta-members).",
		"reference.document_meta":   "Members about the whole response.",
		"reference.meta_request_id": "In a document that holds several errors, whose IDs end in `.1`, `.2`...: the request's ID as it is, as in the `{header}` header and the logs.",
		"reference.trace_id": "The W3C trace ID of the request, present when it has one: the request carried a valid `traceparent` header, " +
			"or the server's own tracing began a trace. It lets the API's operators find the request's trace.",
		"reference.problem.type":       "This page's entry for the error's code: the page's address, `#` and the code.",
		"reference.problem.type_blank": "Always `about:blank`: the `code` member names the error.",
		"reference.problem.status":     "The HTTP status of the response, as a number.",
		"reference.problem.detail":     "What went wrong in this request, in a sentence for people; it may name the value at fault. Absent when the title says it all. For a 5xx it is the code's general description: what failed inside the server is logged, never sent. A document of several errors says how many there are.",
		"reference.problem.instance":   "A URI that names this occurrence: `{instance}` followed by the request ID, percent-encoded.",
		"reference.problem.request_id": "The request's ID, as in the `{header}` header. Quote it when you report a problem.",
		"reference.problem.errors": "Present when a request has several faults: one object per fault, each with `type`, `status`, `code` and `title`, " +
			"and `detail`, `pointer`, `parameter`, `header` and `meta` as they apply. The members above then describe the response as a whole.",
		"reference.twitter.errors":  "The errors, one object per failure.",
		"reference.twitter.code":    "Twitter's v1 number for the error where it has one (the table gives it), else the HTTP status.",
		"reference.twitter.message": "A sentence for people: Twitter's v1 message where the error has one, else its detail or title.",

		"meta.available": "The media types the route can answer with: send an `Accept` header that allows one of them.",
		"meta.accepted":  "The media types the route accepts for a request body, as the `Accept-Post` or `Accept-Patch` header also says.",
		"meta.max_bytes": "The largest request body the route accepts, in bytes.",
		"meta.offset":    "For a body that is not well-formed JSON: how many bytes of it were read before the fault.",
		"meta.line":      "For a body that is not well-formed JSON: the line of the fault, counted from 1.",
		"meta.column":    "For a body that is not well-formed JSON: the column of the fault in its line, in characters, counted from 1.",
		"meta.trace_id":  "In JSON:API documents only, and in the top-level `meta` rather than an error's: the W3C trace ID of the request, when it has one (see [JSON:API](#json-api-members)).",
		"meta.cause":     "Only from a server in development mode, never in production: the internal error behind this one.",
		"meta.panic":     "Only from a server in development mode: the value of the panic the server recovered from.",
		"meta.stack":     "Only from a server in development mode: the stack of the goroutine that panicked.",

		"header.request_id.sent": "Every response",
		"header.request_id": "The request's ID: the one the client sent, when it is 1 to 128 letters, digits and characters of `-_.~+/=@:`, else one the server made. " +
			"Error documents carry the same ID. Send your own to follow a request through your logs and ours; quote it when you report a problem.",
		"header.traceparent.sent":      "The client's requests",
		"header.traceparent":           "A W3C Trace Context header. When it is valid, its trace ID is the `trace_id` of error documents; an invalid or all-zero one is ignored.",
		"header.retry_after.sent":      "{statuses}",
		"header.retry_after":           "How long to wait before sending the request again: a number of seconds, or an HTTP date. See [retrying](#retrying-requests).",
		"header.ratelimit.sent":        "Every response of a rate-limited route",
		"header.ratelimit":             "The quota left: `r` requests remain, and the full quota is back in `t` seconds. When `r` is 0, wait `t` seconds instead of provoking a 429.",
		"header.ratelimit_policy.sent": "Every response of a rate-limited route",
		"header.ratelimit_policy":      "The quota: `q` requests per window of `w` seconds.",
		"header.x_ratelimit.sent":      "Rate-limited routes that also send the older fields",
		"header.x_ratelimit":           "The quota per window, the requests left in it, and when it resets (Unix seconds).",
		"header.allow.sent":            "{statuses}, and answers to `OPTIONS`",
		"header.allow":                 "The methods the resource accepts.",
		"header.www_authenticate.sent": "{statuses}, and a bearer token's `400` or `403`",
		"header.www_authenticate":      "The authentication scheme to use, and with a bearer token the reason it was refused (`error`, `error_description`) and the `scope` needed.",
		"header.accept_post.sent":      "{statuses} to a `POST` or `PATCH`",
		"header.accept_post":           "The media types the route accepts for the request body.",
		"header.etag.sent":             "Successful reads, and {statuses}",
		"header.etag":                  "The version of the representation. Send it in `If-None-Match` to revalidate a copy (304 when it is current), and in `If-Match` to change the resource only if nobody changed it since (412 otherwise).",
		"header.deprecation.sent":      "Every response of a deprecated endpoint",
		"header.deprecation":           "Since when the endpoint is deprecated: `@` and a Unix time. Plan the move to its successor.",
		"header.sunset.sent":           "Responses of an endpoint that is being retired, and its {statuses}",
		"header.sunset":                "When the endpoint stops answering, or stopped: an HTTP date. After it, the endpoint answers 410.",
		"header.link.sent":             "Deprecated and retired endpoints, and {statuses}",
		"header.link":                  "Related resources: `rel=\"successor-version\"` is the endpoint to use instead, `rel=\"deprecation\"` and `rel=\"sunset\"` explain the change, `rel=\"blocked-by\"` names who demanded a 451.",

		"retry.no":                   "No",
		"retry.no.meaning":           "The answer will not change by sending the request again: the resource is not there, not yours, or gone for good.",
		"retry.after_fix":            "After a fix",
		"retry.after_fix.meaning":    "The same request gets the same answer. Change what the `detail` and `source` point at (or the account, for 402), then send the corrected request.",
		"retry.after_auth":           "After authenticating",
		"retry.after_auth.meaning":   "Credentials are missing or wrong: for the API itself (401, whose `WWW-Authenticate` names the scheme), a proxy on the way (407) or the network (511). Get valid ones, then send the request again.",
		"retry.after_reread":         "After re-reading",
		"retry.after_reread.meaning": "The resource changed since the client read it, or changes must be conditional. Read it again, redo the change on its current state, and send that with the new `ETag` in `If-Match`.",
		"retry.after_wait":           "Yes, after Retry-After",
		"retry.after_wait.meaning":   "The request was turned away before it was processed: send it again, unchanged, once the wait in `Retry-After` is over.",
		"retry.backoff":              "Yes, with backoff",
		"retry.backoff.meaning":      "The server failed, or something it depends on did, or the resource is locked for now: this is usually brief. Send the request again after a wait that grows with each attempt.",
		"retry.soon":                 "Yes, once",
		"retry.soon.meaning":         "The request did not get through as sent: its body arrived too slowly (408), it reached a server that does not serve its host (421: use a new connection), or it came as TLS early data (425: wait for the handshake). Send it again at once, one time.",

		"waiting.retry_after": "When the answer has a `Retry-After` header, wait at least that long: the number of seconds it gives, or until the date it names. A request sent earlier is refused again.",
		"waiting.backoff":     "Otherwise back off exponentially: wait about 1 second, then 2, 4, 8 and so on up to a minute, each time adding or taking away a random part of the wait, so that clients do not all come back at once. Give up after about five attempts, and report the request ID.",
		"waiting.ratelimit":   "Watch the `RateLimit` header on every answer: when its `r` reaches 0, wait its `t` seconds before the next request instead of provoking a 429.",
		"waiting.no_loops":    "Never retry in a tight loop, and never more than a few times: each retry adds load to a server that may already be struggling.",

		"idempotency.idempotent":     "`GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE` are idempotent (RFC 9110, section 9.2.2): sending one twice has the effect of sending it once, so after a failure that retrying can cure they may simply be sent again.",
		"idempotency.not_idempotent": "`POST` and `PATCH` are not. After a 500, 502 or 504, or a connection that broke before the answer came, the server may have done the work before it failed: read the resource (or the list it would have joined) to find out before sending the request again.",
		"idempotency.any_method":     "Answers that refuse a request before it is processed can be retried whatever the method: 408, 420, 421, 425 and 429, and usually 503 (the server was too busy, or in maintenance, to start).",
	}
}

// PageTexts returns the response-code page's own text in English, by key:
// the keys a Translation's Page must hold, each with the same
// placeholders. It is a new map each call, a starting point for
// translators.
func PageTexts() map[string]string { return builtinPageTexts() }

// checkPage adds page's problems to te: keys it lacks, keys the page has
// not, placeholders that differ from the English text's. It returns the
// checked texts.
func checkPage(page map[string]string, te *TranslationError) msgTable {
	def := builtinPageTexts()
	out := make(msgTable, len(def))
	for key, en := range def {
		t, ok := page[key]
		if !ok || t == "" {
			te.Missing = append(te.Missing, "page."+key)
			continue
		}
		want, _ := parseTemplate(en)
		got, err := parseTemplate(t)
		if err != nil || !sameNames(want, got) {
			te.Mismatched = append(te.Mismatched, "page."+key)
			continue
		}
		out[key] = t
	}
	for key := range page {
		if _, ok := def[key]; !ok {
			te.Unknown = append(te.Unknown, "page."+key)
		}
	}
	return out
}

// pageText renders the page's texts in one language.
type pageText struct {
	lang string
	src  msgTable
}

// s returns the text of key with its placeholders filled.
func (p pageText) s(key string, args ...Arg) string {
	return string(appendMessage(nil, &Message{Key: key, Args: args}, p.src, nil, 0))
}

// split returns the text of key before and after its placeholder name,
// whose value the page renders itself (an API's name, a list of links),
// and the other placeholders filled with args.
func (p pageText) split(key, name string, args ...Arg) (before, after string) {
	const mark = "\x00"
	s := p.s(key, append(args, Str(name, mark))...)
	before, after, _ = strings.Cut(s, mark)
	return before, strings.ReplaceAll(after, mark, "")
}
