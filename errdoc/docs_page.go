package errdoc

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// docsPage is the content of the response-code page, shared by its Markdown
// and HTML forms: the catalog's rows, the endpoints, the example documents,
// the reference and the retry guide, resolved once when the page is
// generated.
type docsPage struct {
	Lang  string // its language's tag
	Title string
	API   string
	// IntroBefore and IntroAfter are the prose markup around the API's
	// name in the introduction.
	IntroBefore, IntroAfter string
	// T holds the page's texts in its language, by key, placeholders
	// empty: the headings, column names and the short prose.
	T        map[string]string
	Contents []docsSection
	Rows     []docsRow
	// Endpoints are the API's operations, when DocsOptions.OpenAPI
	// describes them; RouterCodes the codes any endpoint can answer.
	Endpoints   []docsEndpoint
	RouterCodes []docsCodeRef
	// EndpointsBefore and EndpointsAfter are the prose markup of the
	// endpoints' introduction around the list of RouterCodes.
	EndpointsBefore, EndpointsAfter string
	Examples                        docsExamples
	JSONAPI                         []docsMember
	Problem                         []docsMember
	Twitter                         []docsMember
	Meta                            []docsMeta
	Headers                         []docsHeader
	Retry                           []docsRetryKind
	Waiting                         []string // prose markup: how long to wait
	Idempotency                     []string // prose markup: which requests are safe to repeat
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
	ErrorCode   string // prose markup: "Error code: `code`." (Markdown's table has no column for it)
	LegacyCode  int    // Twitter's v1 code, 0 when none
	LegacyNote  string // "Twitter v1 code: 34.", when it has one
	ServerSide  bool   // 5xx: not the client's fault
	Retry       string // the Retry column
	RetryClass  string // "yes", "no", "cond" or "none", for its style
	// Endpoints are the endpoints that list the code, or those that do
	// not when EndpointsAllBut is set; EveryEndpoint is set for a code
	// every endpoint lists, or the router answers on any path.
	Endpoints       []docsEndpointRef
	EndpointsAllBut bool
	EveryEndpoint   bool
	// EndpointsBefore and EndpointsAfter are the text around the list of
	// Endpoints.
	EndpointsBefore, EndpointsAfter string
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

// page gathers the page's content from the catalog and opts, in the
// language opts.Language names (the catalog's default when empty).
func (rd *Renderer) page(opts DocsOptions) (*docsPage, error) {
	li := 0
	if opts.Language != "" {
		li = rd.catalog.languageIndex(opts.Language)
		if li < 0 || rd.pageTexts(li) == nil {
			return nil, fmt.Errorf("%w: %q", ErrNoPageLanguage, opts.Language)
		}
	}
	return rd.pageIn(opts, li)
}

// ErrNoPageLanguage is returned for a DocsOptions.Language the catalog has
// no page texts in: not one of its languages, or a translation without a
// Page.
var ErrNoPageLanguage = errors.New("errdoc: the catalog has no response-code page in this language")

// pageTexts returns the page texts of language index li, nil when that
// language has none.
func (rd *Renderer) pageTexts(li int) msgTable {
	if li == 0 {
		if rd.catalog.page != nil {
			return rd.catalog.page // the default language's own (WithDefaultLanguage)
		}
		return msgTable(builtinPageTexts())
	}
	if li > 0 && li <= len(rd.catalog.translations) {
		return rd.catalog.translations[li-1].page
	}
	return nil
}

// pageLanguages returns the language indexes that have page texts, the
// default first, and their tags.
func (rd *Renderer) pageLanguages() (idx []int, tags []string) {
	for li, tag := range rd.langTags {
		if rd.pageTexts(li) != nil {
			idx, tags = append(idx, li), append(tags, tag)
		}
	}
	return idx, tags
}

// pageIn gathers the page's content in language index li, which has page
// texts.
func (rd *Renderer) pageIn(opts DocsOptions, li int) (*docsPage, error) {
	tx := pageText{lang: rd.langTags[li], src: rd.pageTexts(li)}
	p := &docsPage{Lang: tx.lang, T: map[string]string{}}
	if li == 0 { // a translation names them in its page texts
		p.Title, p.API = opts.Title, opts.API
	}
	for k := range tx.src {
		p.T[k] = tx.s(k)
	}
	if p.Title == "" {
		p.Title = tx.s("title")
	}
	if p.API == "" {
		p.API = tx.s("api")
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

	if len(eps) > 0 {
		p.IntroBefore, p.IntroAfter = tx.split("intro.endpoints", "api")
	} else {
		p.IntroBefore, p.IntroAfter = tx.split("intro", "api")
	}
	if len(router) > 0 {
		p.EndpointsBefore, p.EndpointsAfter = tx.split("endpoints.intro_router", "codes")
	} else {
		p.EndpointsBefore = tx.s("endpoints.intro")
	}

	p.Contents = []docsSection{{Anchor: anchorCodes, Title: tx.s("section.codes")}}
	if len(eps) > 0 {
		p.Contents = append(p.Contents, docsSection{Anchor: anchorEndpoints, Title: tx.s("section.endpoints")})
	}
	p.Contents = append(p.Contents,
		docsSection{Anchor: anchorDocuments, Title: tx.s("section.documents"), Sub: []docsSection{
			{Anchor: anchorJSONAPI, Title: tx.s("section.jsonapi")},
			{Anchor: anchorProblem, Title: tx.s("section.problem")},
			{Anchor: anchorTwitter, Title: tx.s("section.twitter")},
			{Anchor: anchorMeta, Title: tx.s("section.meta")},
		}},
		docsSection{Anchor: anchorHeaders, Title: tx.s("section.headers")},
		docsSection{Anchor: anchorRetry, Title: tx.s("section.retry"), Sub: []docsSection{
			{Anchor: anchorWaiting, Title: tx.s("section.waiting")},
			{Anchor: anchorIdempotency, Title: tx.s("section.idempotency")},
		}},
	)

	ok := retryFor(http.StatusOK)
	p.Rows = append(p.Rows, docsRow{Status: http.StatusOK, Text: tx.s("row.ok.text"), Description: tx.s("row.ok.description"),
		Retry: ok.label(tx), RetryClass: ok.class()})
	kinds := map[retryAdvice][]docsCodeRef{}
	for _, e := range rd.catalog.entries {
		advice := retryFor(e.Status)
		txt, _ := rd.catalog.Text(tx.lang, e.Code)
		row := docsRow{
			Status: e.Status, Text: txt.Title, Code: e.Code, Description: txt.Description,
			ErrorCode:  tx.s("row.error_code", Str("code", "`"+e.Code+"`")),
			LegacyCode: e.LegacyCode, ServerSide: e.Status >= 500,
			Retry: advice.label(tx), RetryClass: advice.class(),
			Endpoints: byCode[e.Code].Refs, EndpointsAllBut: byCode[e.Code].AllBut,
			EveryEndpoint: every[e.Code] || byCode[e.Code].Every,
		}
		if e.LegacyCode != 0 {
			row.LegacyNote = tx.s("row.legacy_code", Str("legacy_code", strconv.Itoa(e.LegacyCode)))
		}
		if row.EndpointsAllBut {
			row.EndpointsBefore, row.EndpointsAfter = tx.split("row.endpoints_all_but", "endpoints")
		} else {
			row.EndpointsBefore, row.EndpointsAfter = tx.split("row.endpoints", "endpoints")
		}
		p.Rows = append(p.Rows, row)
		if st := kinds[advice]; len(st) == 0 || st[len(st)-1].Status != e.Status {
			kinds[advice] = append(st, docsCodeRef{Code: e.Code, Status: e.Status, Linked: true})
		}
	}
	for _, k := range retryGuide {
		if st := kinds[k]; len(st) > 0 {
			p.Retry = append(p.Retry, docsRetryKind{Label: k.label(tx), Meaning: tx.s("retry." + k.key() + ".meaning"), Statuses: st})
		}
	}
	for _, k := range retryWaiting {
		p.Waiting = append(p.Waiting, tx.s(k))
	}
	for _, k := range retryIdempotency {
		p.Idempotency = append(p.Idempotency, tx.s(k))
	}

	ex := rd.exampleError(tx)
	p.Examples = docsExamples{
		JSONAPI: string(rd.exampleDocument(JSONAPI, ex, li)),
		Problem: string(rd.exampleDocument(Problem, ex, li)),
		Twitter: string(rd.exampleDocument(Twitter, &Error{Status: http.StatusTooManyRequests}, li)),
	}
	exCode := rd.resolve(ex, li).code
	p.JSONAPI = rd.jsonapiMembers(tx, exCode)
	p.Problem = rd.problemMembers(tx, exCode)
	p.Twitter = rd.twitterMembers(tx)
	p.Meta = rd.metaMembers(tx)
	p.Headers = rd.responseHeaders(tx)
	return p, nil
}

// retryGuide lists the answers of the Retry column in the guide's order.
var retryGuide = [...]retryAdvice{retryAfterWait, retryBackoff, retrySoon, retryAfterReread, retryAfterAuth, retryAfterFix, retryNo}

// retryWaiting are the keys of the guide's advice on how long to wait.
var retryWaiting = [...]string{"waiting.retry_after", "waiting.backoff", "waiting.ratelimit", "waiting.no_loops"}

// retryIdempotency are the keys of the guide's advice on which requests may
// be repeated.
var retryIdempotency = [...]string{"idempotency.idempotent", "idempotency.not_idempotent", "idempotency.any_method"}
