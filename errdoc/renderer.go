package errdoc

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// Options configures a Renderer. The zero value is ready to use; each field
// documents what its zero value means.
type Options struct {
	// Catalog holds the entries errors are rendered from. Nil means
	// DefaultCatalog().
	Catalog *Catalog

	// Format is the document format used when the request's Accept header
	// does not prefer another one. The zero value is JSONAPI.
	Format Format

	// Strict renders every document in Format whatever the request's Accept
	// header asks for (a legacy route group that must keep Twitter's shape,
	// say). False means Accept is honoured, q-values included.
	Strict bool

	// DocsURL is the address of the response-code page; each code's
	// documentation link is DocsURL + "#" + code. It is the problem "type",
	// and, when DocsURL is absolute (JSON:API requires absolute link URIs),
	// JSON:API's links.about and links.type. Empty means the page at
	// DefaultDocsPath ("/docs/errors") on the request's own origin,
	// "http(s)://" + Host + "/docs/errors#" + code, which middleware.Routing
	// serves (a Host of an unusual shape gets the path alone, and no
	// JSON:API links). Behind a proxy that changes the scheme or the host,
	// set DocsURL to the public address. "-" renders no links and the
	// problem type "about:blank".
	DocsURL string

	// Logger receives every 5xx error with its internal cause at error
	// level, and 4xx errors with a cause at debug level. 501 Not Implemented
	// (a method no route knows: scanners send them by the thousand) is logged
	// as a 4xx is. Nil means slog.Default() at the time of logging.
	Logger *slog.Logger

	// Development shows the details of 5xx errors and their causes (in meta
	// "cause") to clients. Never enable it in production. False means 5xx
	// documents carry only the catalog's generic description.
	Development bool

	// Observe, if set, is called once for every error rendered, after the
	// response is written, so that errors can be counted without parsing
	// logs. A panic in Observe is recovered and logged. Nil means no call.
	Observe func(Observation)

	// RequestIDHeader is the header the request ID is read from and echoed
	// in by Handler. Empty means "X-Request-ID".
	RequestIDHeader string

	// RequestID returns the ID another request-ID middleware, mounted above
	// Handler, gave a request: Handler adopts it when it is valid (see
	// ValidRequestID), so the response header, every document and every log
	// record carry that one ID. chi's middleware.RequestID needs no option
	// (see Handler). Nil means Handler's own choice.
	RequestID func(*http.Request) string

	// TraceID returns the trace ID of a request's trace, for tracing
	// libraries that know it better than the request's traceparent header
	// (the active OpenTelemetry span's, through the errdocotel module, say).
	// An answer that is not 32 lowercase hex digits, or is all zero, is
	// ignored. Nil, or an ignored answer, means the trace ID of a valid W3C
	// traceparent header, if any (see Renderer.TraceID).
	TraceID func(*http.Request) string

	// RoutePattern returns the route pattern reported to Observe and the
	// logger. Nil means the package's RoutePattern: chi's whole pattern,
	// else r.Pattern, which http.ServeMux sets.
	RoutePattern func(*http.Request) string

	// InstanceURI is the absolute URI that problem details' "instance" starts
	// with; the request ID, percent-encoded, completes it, and the ID itself
	// is the "request_id" member. Set it to where occurrences can be looked
	// up, if anywhere ("https://api.example.com/requests/", say). Empty
	// means "urn:faultline:request:": an absolute URI that names the
	// occurrence without pretending to be fetchable, which no client
	// resolves against the request's URL.
	InstanceURI string

	// CacheControl is the Cache-Control of every error document whose error
	// sets neither Cache-Control nor Expires in its Header. Empty means
	// "no-store": error documents carry a per-request ID and describe a
	// moment (a 404 until the item exists, a 503 until the outage ends), and
	// 404, 405, 410, 414 and 501 are otherwise heuristically cacheable, so a
	// shared cache would serve one client's error to another. "-" sends no
	// Cache-Control, leaving caches to their heuristics.
	CacheControl string

	// MaxMetaBytes bounds the encoded size of an error's Meta; larger meta is
	// dropped and logged. Zero means 16 KiB.
	MaxMetaBytes int
}

// DefaultInstanceURI is the start of problem details' "instance" when
// Options.InstanceURI is empty.
const DefaultInstanceURI = "urn:faultline:request:"

// Observation describes one rendered error, for Options.Observe.
type Observation struct {
	Status         int    // the error's own status
	ResponseStatus int    // the status of the response that carried it
	Code           string // the error's code
	Route          string // the route pattern, if known
	RequestID      string
	TraceID        string // the trace ID documents carry, "" for none (see Renderer.TraceID)
	Format         Format
	Cause          error // the internal cause, if any
	// Request is the request the error was rendered for: its context
	// holds what tracing libraries keep there (the span, say). Observe
	// must not keep it once it returns.
	Request *http.Request
}

// Renderer writes error documents. It is immutable and safe for concurrent
// use. Build one with New per router or route group and mount its Handler.
type Renderer struct {
	opts    Options
	catalog *Catalog
	byCode  map[string]*centry
	status  [600]*centry // the entry of every status, see entryFor
	noLinks bool
	// originLinks: DocsURL is unset, so links point at DefaultDocsPath on
	// each request's own origin; absLinks: DocsURL is absolute.
	originLinks, absLinks bool
	reqIDHdr              string
	maxMeta               int
	kinds                 kindCache // writer types Handler has tracked
	chi                   chiKeyCache
	// chiBelow: chi's RequestID below one of the Handlers gave a request
	// an ID of its own (requestid_below.go).
	chiBelow atomic.Bool
	// defaultDocs builds defaultDocsHandler once (see ServeDefaultDocs).
	defaultDocs        sync.Once
	defaultDocsHandler http.Handler
	// qInstance is InstanceURI quoted as a JSON string, without its
	// closing quote.
	qInstance string
	// cacheControl is the Cache-Control value of documents, nil for none.
	cacheControl []string
	// clientClosed is the entry of a hang-up (hangup.go): no status's,
	// since no document is ever written with it.
	clientClosed *centry
	// langTags are the catalog's languages, the default first; langHdr
	// their Content-Language values, shared by every response and never
	// written; msgs their templates.
	langTags []string
	langHdr  [][]string
	msgs     []msgTable
	// compiled are msgs' templates, split and escaped once.
	compiled []map[string]*ctmpl
}

// centry is a catalog entry with its JSON strings quoted once per renderer.
type centry struct {
	Entry
	qCode    string // Code, quoted as a JSON string
	qTitle   string // Title, quoted
	qProblem string // the problem "type": DocsURL#code or about:blank, quoted
	// texts are the entry's text in the catalog's translations (the
	// default language's is Entry's), nil for a built-in entry the
	// catalog lacks.
	texts []ltext
}

// ltext is an entry's text in one translation, with its title quoted.
type ltext struct {
	EntryText
	qTitle string
}

// text returns the entry's title, quoted title, description and legacy
// message in language li.
func (ce *centry) text(li int) (title, qTitle, desc, legacy string) {
	if li > 0 && li <= len(ce.texts) {
		t := &ce.texts[li-1]
		return t.Title, t.qTitle, t.Description, t.LegacyMessage
	}
	return ce.Title, ce.qTitle, ce.Description, ce.LegacyMessage
}

// NewRenderer returns a Renderer configured by opts.
//
// NewRenderer panics if opts.Validate reports an error: DocsURL that is not a
// valid URI reference, RequestIDHeader that is not a valid header name,
// InstanceURI that is not an absolute URI, or CacheControl that is not a
// valid header value.
// Both are start-up configuration.
func NewRenderer(opts Options) *Renderer {
	r, err := newRenderer(opts)
	if err != nil {
		panic(err)
	}
	return r
}

// Validate reports the configuration errors NewRenderer panics on.
func (o Options) Validate() error {
	_, err := newRenderer(o)
	return err
}

func newRenderer(opts Options) (*Renderer, error) {
	cat := opts.Catalog
	if cat == nil {
		cat = DefaultCatalog()
	}
	docs := opts.DocsURL
	if docs == "" {
		docs = "/docs/errors"
	}
	r := &Renderer{
		opts:     opts,
		catalog:  cat,
		byCode:   make(map[string]*centry, len(cat.entries)),
		noLinks:  docs == "-",
		reqIDHdr: "X-Request-Id", // canonical, for direct map access
		maxMeta:  16 << 10,
	}
	r.originLinks = opts.DocsURL == ""
	if !r.noLinks {
		u, err := url.Parse(docs)
		if err != nil {
			return nil, fmt.Errorf("errdoc: DocsURL %q: %w", docs, err)
		}
		r.absLinks = u.IsAbs()
	}
	if opts.RequestIDHeader != "" {
		if !validHeaderName(opts.RequestIDHeader) {
			return nil, fmt.Errorf("errdoc: RequestIDHeader %q is not a valid header name", opts.RequestIDHeader)
		}
		r.reqIDHdr = textproto.CanonicalMIMEHeaderKey(opts.RequestIDHeader)
	}
	if opts.MaxMetaBytes > 0 {
		r.maxMeta = opts.MaxMetaBytes
	}
	instance := opts.InstanceURI
	if instance == "" {
		instance = DefaultInstanceURI
	} else if u, err := url.Parse(instance); err != nil || !u.IsAbs() || strings.Contains(instance, "#") || !validHeaderValue(instance) {
		return nil, fmt.Errorf("errdoc: InstanceURI %q is not an absolute URI without a fragment", instance)
	}
	r.qInstance = strings.TrimSuffix(quote(instance), `"`)
	switch cc := opts.CacheControl; cc {
	case "":
		r.cacheControl = []string{"no-store"}
	case "-":
	default:
		if !validHeaderValue(cc) {
			return nil, fmt.Errorf("errdoc: CacheControl %q is not a valid header value", cc)
		}
		r.cacheControl = []string{cc}
	}
	compile := func(e Entry) *centry {
		ce := &centry{Entry: e, qCode: quote(e.Code), qTitle: quote(e.Title), qProblem: quote("about:blank")}
		if !r.noLinks {
			link := docs + "#" + e.Code
			ce.qProblem = quote(link)
		}
		return ce
	}
	// Every status the library can emit resolves to an entry, even with a
	// custom catalog that leaves some out: built-in entries first, then the
	// catalog's (the first of each status wins), then for a status no one
	// describes its class's entry, 400 or 500 (the error keeps its status).
	for _, en := range builtinEntries() {
		// A built-in entry answers for a status the catalog lacks, in
		// the catalog's languages when they give its text, else in the
		// library's English.
		e := en
		if txt, ok := cat.builtin[e.Code]; ok {
			e.Title, e.Description = txt.Title, txt.Description
			if txt.LegacyMessage != "" {
				e.LegacyMessage = txt.LegacyMessage
			}
		}
		ce := compile(e)
		for _, tr := range cat.translations {
			t, ok := tr.builtin[en.Code]
			if !ok {
				t = EntryText{Title: en.Title, Description: en.Description}
			}
			if t.LegacyMessage == "" {
				t.LegacyMessage = en.LegacyMessage
			}
			ce.texts = append(ce.texts, ltext{EntryText: t, qTitle: quote(t.Title)})
		}
		r.status[e.Status] = ce
	}
	r.clientClosed = compile(ClientClosedEntry())
	r.langTags = cat.Languages()
	r.msgs = append(r.msgs, cat.messages)
	r.langHdr = append(r.langHdr, []string{cat.lang})
	for _, tr := range cat.translations {
		r.msgs = append(r.msgs, tr.messages)
		r.langHdr = append(r.langHdr, []string{tr.tag})
	}
	for _, m := range r.msgs {
		r.compiled = append(r.compiled, compileTable(m))
	}
	var own [len(r.status)]bool
	for i, e := range cat.entries {
		ce := compile(e)
		for _, tr := range cat.translations {
			t := tr.texts[i]
			ce.texts = append(ce.texts, ltext{EntryText: t, qTitle: quote(t.Title)})
		}
		r.byCode[e.Code] = ce
		if !own[e.Status] {
			r.status[e.Status], own[e.Status] = ce, true
		}
	}
	for st, ce := range r.status {
		if ce == nil {
			class := http.StatusInternalServerError
			if st >= 400 && st < 500 {
				class = http.StatusBadRequest
			}
			r.status[st] = r.status[class]
		}
	}
	return r, nil
}

// validHeaderValue reports whether s may be sent as a header value: visible
// ASCII, spaces and tabs, not starting or ending with whitespace.
func validHeaderValue(s string) bool {
	if s == "" || s[0] == ' ' || s[0] == '\t' || s[len(s)-1] == ' ' || s[len(s)-1] == '\t' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// Catalog returns the renderer's catalog.
func (rd *Renderer) Catalog() *Catalog { return rd.catalog }

// Options returns the options the renderer was built with.
func (rd *Renderer) Options() Options { return rd.opts }

// entryFor returns the entry of status: the catalog's, else the built-in
// one, else its class's (400 or 500).
func (rd *Renderer) entryFor(status int) *centry {
	if status >= 0 && status < len(rd.status) {
		return rd.status[status]
	}
	return rd.status[http.StatusInternalServerError]
}

// NewContext returns ctx carrying rd, and the request ID ctx already
// carries; Write and the middlewares of this module render with the
// renderer found in the request's context.
func NewContext(ctx context.Context, rd *Renderer) context.Context {
	s := &state{rd: rd}
	prev := stateFrom(ctx)
	if prev != nil {
		s.ids[0], s.in, s.start = prev.id(), prev.in, prev.start
	}
	s.root = rootOf(prev, s)
	return context.WithValue(ctx, stateKey{}, s)
}

// defaultRenderer serves requests that went through no Handler. It is built
// once and never changed.
var defaultRenderer = NewRenderer(Options{})

// FromContext returns the renderer stored in ctx by Handler or NewContext,
// or a renderer with zero Options.
func FromContext(ctx context.Context) *Renderer {
	if ctx != nil {
		if s := stateFrom(ctx); s != nil && s.rd != nil {
			return s.rd
		}
	}
	return defaultRenderer
}

// Write renders err for request r with the renderer in r's context (see
// FromContext). It is what handlers and middlewares call on failure.
func Write(w http.ResponseWriter, r *http.Request, err error) {
	FromContext(r.Context()).Write(w, r, err)
}

// Handler is the middleware that configures error rendering for everything
// mounted below it (a router or a route group): it stores rd in the request's
// context, gives the request an ID echoed in the response header, and tracks
// the response so that Committed works. Mounted again in a route group, the
// inner renderer takes over and the request ID stays.
//
// The request's ID is, in this order: the valid ID Options.RequestID
// returns; the valid ID the client sent in RequestIDHeader; the ID chi's
// middleware.RequestID stored, when it is mounted above; a new random one
// (see NewRequestID). Where chi's RequestID above took a client's invalid
// ID as it came, middleware.GetReqID below Handler returns Handler's ID.
// Handler never writes to the request it is given: it is the caller's. Where
// chi's RequestID is mounted below Handler (next to it, in a chi.Chain,
// further down the router's chain, in a route group, a With chain, a
// route's handler or a subrouter, or under this module's recoverer,
// Timeout, Throttle or adaptive limiter wrapped by hand), chi's
// reads the ID from the header: Handler hands such requests down with a
// copy of the header carrying its ID (two allocations, four for a request
// of seven header fields or more), and chi adopts
// it. Handler looks for chi's RequestID once, at its first request; one it
// cannot see (inside a handler it cannot look into: another library's, an
// http.ServeMux, a closure middleware wrapped by hand) is learnt the
// first time its ID reaches a document or a log record written below it
// (see RequestIDFrom), and until then success responses carry Handler's
// ID in their header, as do documents written above it (a recovered
// panic's, a timeout's).
//
// It costs one allocation per request, holding the context node, the
// request's state, a generated ID's digits, the request copy that carries
// the new context and the tracking wrapper (see Track: never reused, so a
// write from a goroutine the handler left behind is dropped and reaches no
// other request).
func (rd *Renderer) Handler(next http.Handler) http.Handler {
	return &handler{rd: rd, next: next}
}

// handler is Renderer.Handler's middleware. It is a type with a method,
// not a closure, so that it is compiled once, here: a closure inlined
// into the caller's package would be compiled there again, without
// Request.WithContext inlined into it, and its request copy would escape.
type handler struct {
	rd   *Renderer
	next http.Handler
	// below is whether chi's RequestID is mounted below: a belowVerdict,
	// found on the first request (requestid_below.go).
	below atomic.Int32
}

// Unwrap returns the handler Handler was given, so that an outer Handler
// can look through this one for chi's RequestID below.
func (h *handler) Unwrap() http.Handler { return h.next }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rd, next := h.rd, h.next
	parent := r.Context()
	prev := stateFrom(parent)
	// The context node, its state, the request copy carrying it and
	// the tracking wrapper are one allocation.
	var hs *handlerState
	tw := w
	var tracking Tracking
	if kind := rd.kinds.kindOf(w); kind == kindTracked {
		hs = new(handlerState)
	} else {
		hs, tracking.t, tw = newTracker[handlerState](kind, w)
	}
	c := &hs.ctx
	c.Context, c.s.rd = parent, rd
	if prev != nil {
		c.s.in, c.s.start = prev.in, prev.start
	}
	c.s.root = rootOf(prev, &c.s)
	if c.s.in == nil {
		c.s.in = parent // the server's context, for HungUp
		// HungUp weighs a cancel against the server's deadlines from
		// here: a server without any needs no clock read.
		if srv, _ := parent.Value(http.ServerContextKey).(*http.Server); srv != nil && (srv.WriteTimeout > 0 || srv.ReadTimeout > 0) {
			c.s.start = monoNow()
		}
	}
	if prev != nil && prev.id() != "" {
		c.s.ids[0] = prev.id() // an outer Handler gave the request its ID
	} else {
		rd.assignID(c, r)
		w.Header()[rd.reqIDHdr] = c.s.ids[:]
	}
	// WithContext is inlined: its copy stays on the stack and is
	// copied again into hs, the request handed down.
	hs.req = *r.WithContext(c)
	if h.chiRequestIDBelow(r) {
		// chi's RequestID below reads the ID from the header. An outer
		// Handler may not have seen it: an inner one hands it down too
		// (no copy where the header already carries it).
		hs.req.Header = withIDHeader(r.Header, c.s.ids[:], rd.reqIDHdr, chiRequestIDHeader)
	}
	defer tracking.Release()
	next.ServeHTTP(tw, &hs.req)
}

// handlerState is what Handler allocates per request, with the tracking
// wrapper when it needs one: the context node and the request copy that
// carries it, a shallow copy as Request.WithContext makes. Nothing in it is
// reused by another request.
type handlerState struct {
	ctx stateCtx
	req http.Request
}

// requestID returns the ID of r: the one Handler gave it, else the
// configured RequestID's.
func (rd *Renderer) requestID(r *http.Request) string {
	if id := RequestIDFrom(r.Context()); id != "" || rd.opts.RequestID == nil {
		return id
	}
	if id := rd.opts.RequestID(r); ValidRequestID(id) {
		return id
	}
	return ""
}

func (rd *Renderer) route(r *http.Request) string {
	if rd.opts.RoutePattern != nil {
		return rd.opts.RoutePattern(r)
	}
	return RoutePattern(r)
}

func (rd *Renderer) logger() *slog.Logger {
	if rd.opts.Logger != nil {
		return rd.opts.Logger
	}
	return slog.Default()
}
