package errdoc

import (
	"net/http"
)

// docsPage is the content of the response-code page, shared by its Markdown
// and HTML forms: the catalog's rows, the endpoints, the example documents,
// the reference and the retry guide, resolved once when the page is
// generated.
type docsPage struct {
	Title    string
	API      string
	Intro    string // prose markup that follows the API's name
	Contents []docsSection
	Rows     []docsRow
	// Endpoints are the API's operations, when DocsOptions.OpenAPI
	// describes them; RouterCodes the codes any endpoint can answer.
	Endpoints   []docsEndpoint
	RouterCodes []docsCodeRef
	Examples    docsExamples
	JSONAPI     []docsMember
	Problem     []docsMember
	Twitter     []docsMember
	Meta        []docsMeta
	Headers     []docsHeader
	Retry       []docsRetryKind
	Waiting     []string // prose markup: how long to wait
	Idempotency []string // prose markup: which requests are safe to repeat
}

// The page's section anchors. Each holds a '-', which no code does, so a
// section never takes a code's anchor.
const (
	anchorCodes       = "http-status-codes"
	anchorEndpoints   = "api-endpoints"
	anchorDocuments   = "error-messages"
	anchorJSONAPI     = "json-api-members"
	anchorProblem     = "problem-details-members"
	anchorTwitter     = "twitter-v1-members"
	anchorMeta        = "meta-members"
	anchorHeaders     = "response-headers"
	anchorRetry       = "retrying-requests"
	anchorWaiting     = "retry-waiting"
	anchorIdempotency = "retry-idempotency"
)

// docsSection is an entry of the table of contents.
type docsSection struct {
	Anchor, Title string
	Sub           []docsSection
}

// docsRow is one row of the page's table.
type docsRow struct {
	Status      int
	Text        string // the entry's title
	Code        string // the anchor and the documents' code; "" for 200
	Description string
	LegacyCode  int    // Twitter's v1 code, 0 when none
	ServerSide  bool   // 5xx: not the client's fault
	Retry       string // the Retry column
	RetryClass  string // "yes", "no", "cond" or "none", for its style
	// Endpoints are the endpoints that list the code, or those that do
	// not when EndpointsAllBut is set; EveryEndpoint is set for a code
	// every endpoint lists, or the router answers on any path.
	Endpoints       []docsEndpointRef
	EndpointsAllBut bool
	EveryEndpoint   bool
}

// docsExamples are the example documents of the page, indented.
type docsExamples struct {
	JSONAPI, Problem, Twitter string
}

// docsRetryKind is one answer of the Retry column, explained, with the
// statuses of the page's codes that get it (the first code of each).
type docsRetryKind struct {
	Label, Meaning string
	Statuses       []docsCodeRef
}

// page gathers the page's content from the catalog and opts.
func (rd *Renderer) page(opts DocsOptions) (*docsPage, error) {
	p := &docsPage{Title: opts.Title, API: opts.API}
	if p.Title == "" {
		p.Title = "Response Codes"
	}
	if p.API == "" {
		p.API = "The API"
	}
	eps, router, err := rd.endpoints(opts.OpenAPI)
	if err != nil {
		return nil, err
	}
	p.Endpoints, p.RouterCodes = eps, router
	byCode := endpointsByCode(eps)
	every := map[string]bool{}
	for _, c := range router {
		every[c.Code] = true
	}

	p.Intro = " answers every request with an HTTP status that says how it went: 2xx or 3xx when it succeeded, " +
		"4xx when the request has to change before it can succeed, 5xx when the server failed. " +
		"Every error answer carries a small JSON document that names the failure with a stable `code`: " +
		"branch on the code, show the `detail` to people, and quote the request ID when you report a problem. " +
		"This page lists every code and whether retrying can help"
	if len(eps) > 0 {
		p.Intro += ", which endpoints answer with it"
	}
	p.Intro += "; it explains each member of the documents and the headers that come with them, and how to retry. " +
		"Each code has an anchor of its own: documents link to this page followed by `#` and their code."

	p.Contents = []docsSection{{Anchor: anchorCodes, Title: "HTTP Status Codes"}}
	if len(eps) > 0 {
		p.Contents = append(p.Contents, docsSection{Anchor: anchorEndpoints, Title: "Endpoints"})
	}
	p.Contents = append(p.Contents,
		docsSection{Anchor: anchorDocuments, Title: "Error Messages", Sub: []docsSection{
			{Anchor: anchorJSONAPI, Title: "JSON:API"},
			{Anchor: anchorProblem, Title: "Problem Details"},
			{Anchor: anchorTwitter, Title: "Twitter v1"},
			{Anchor: anchorMeta, Title: "Meta Members"},
		}},
		docsSection{Anchor: anchorHeaders, Title: "Response Headers"},
		docsSection{Anchor: anchorRetry, Title: "Retrying Requests", Sub: []docsSection{
			{Anchor: anchorWaiting, Title: "How Long to Wait"},
			{Anchor: anchorIdempotency, Title: "Which Requests to Repeat"},
		}},
	)

	ok := retryFor(http.StatusOK)
	p.Rows = append(p.Rows, docsRow{Status: http.StatusOK, Text: "OK", Description: "Success.", Retry: ok.label(), RetryClass: ok.class()})
	kinds := map[retryAdvice][]docsCodeRef{}
	for _, e := range rd.catalog.entries {
		advice := retryFor(e.Status)
		p.Rows = append(p.Rows, docsRow{
			Status: e.Status, Text: e.Title, Code: e.Code, Description: e.Description,
			LegacyCode: e.LegacyCode, ServerSide: e.Status >= 500,
			Retry: advice.label(), RetryClass: advice.class(),
			Endpoints: byCode[e.Code].Refs, EndpointsAllBut: byCode[e.Code].AllBut,
			EveryEndpoint: every[e.Code] || byCode[e.Code].Every,
		})
		if st := kinds[advice]; len(st) == 0 || st[len(st)-1].Status != e.Status {
			kinds[advice] = append(st, docsCodeRef{Code: e.Code, Status: e.Status, Linked: true})
		}
	}
	for _, k := range retryGuide {
		if st := kinds[k.advice]; len(st) > 0 {
			p.Retry = append(p.Retry, docsRetryKind{Label: k.advice.label(), Meaning: k.meaning, Statuses: st})
		}
	}
	p.Waiting, p.Idempotency = retryWaiting, retryIdempotency

	ex := rd.exampleError()
	p.Examples = docsExamples{
		JSONAPI: string(rd.exampleDocument(JSONAPI, ex)),
		Problem: string(rd.exampleDocument(Problem, ex)),
		Twitter: string(rd.exampleDocument(Twitter, &Error{Status: http.StatusTooManyRequests})),
	}
	exCode := rd.resolve(ex, 0).code
	p.JSONAPI = rd.jsonapiMembers(exCode)
	p.Problem = rd.problemMembers(exCode)
	p.Twitter = rd.twitterMembers()
	p.Meta = rd.metaMembers()
	p.Headers = rd.responseHeaders()
	return p, nil
}

// retryGuide explains each answer of the Retry column, in the guide's
// order.
var retryGuide = [...]struct {
	advice  retryAdvice
	meaning string
}{
	{retryAfterWait, "The request was turned away before it was processed: send it again, unchanged, once the wait in `Retry-After` is over."},
	{retryBackoff, "The server failed, or something it depends on did, or the resource is locked for now: this is usually brief. Send the request again after a wait that grows with each attempt."},
	{retrySoon, "The request did not get through as sent: its body arrived too slowly (408), it reached a server that does not serve its host (421: use a new connection), or it came as TLS early data (425: wait for the handshake). Send it again at once, one time."},
	{retryAfterReread, "The resource changed since the client read it, or changes must be conditional. Read it again, redo the change on its current state, and send that with the new `ETag` in `If-Match`."},
	{retryAfterAuth, "Credentials are missing or wrong: for the API itself (401, whose `WWW-Authenticate` names the scheme), a proxy on the way (407) or the network (511). Get valid ones, then send the request again."},
	{retryAfterFix, "The same request gets the same answer. Change what the `detail` and `source` point at (or the account, for 402), then send the corrected request."},
	{retryNo, "The answer will not change by sending the request again: the resource is not there, not yours, or gone for good."},
}

// retryWaiting is the guide's advice on how long to wait.
var retryWaiting = []string{
	"When the answer has a `Retry-After` header, wait at least that long: the number of seconds it gives, or until the date it names. A request sent earlier is refused again.",
	"Otherwise back off exponentially: wait about 1 second, then 2, 4, 8 and so on up to a minute, each time adding or taking away a random part of the wait, so that clients do not all come back at once. Give up after about five attempts, and report the request ID.",
	"Watch the `RateLimit` header on every answer: when its `r` reaches 0, wait its `t` seconds before the next request instead of provoking a 429.",
	"Never retry in a tight loop, and never more than a few times: each retry adds load to a server that may already be struggling.",
}

// retryIdempotency is the guide's advice on which requests may be repeated.
var retryIdempotency = []string{
	"`GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE` are idempotent (RFC 9110, section 9.2.2): sending one twice has the effect of sending it once, so after a failure that retrying can cure they may simply be sent again.",
	"`POST` and `PATCH` are not. After a 500, 502 or 504, or a connection that broke before the answer came, the server may have done the work before it failed: read the resource (or the list it would have joined) to find out before sending the request again.",
	"Answers that refuse a request before it is processed can be retried whatever the method: 408, 420, 421, 425 and 429, and usually 503 (the server was too busy, or in maintenance, to start).",
}
