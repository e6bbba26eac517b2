package errdoc

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// DocsOptions configures the response-code page.
type DocsOptions struct {
	// Title is the page's heading in the catalog's default language.
	// Empty means "Response Codes". A translation's page takes its own,
	// the "title" of its page texts.
	Title string
	// API names the API in the page's prose in the default language.
	// Empty means "The API". A translation's page takes the "api" of its
	// page texts.
	API string
	// Language is the page's language: one of the catalog's Languages
	// whose translation has page texts (see Translation.Page). Empty means
	// the catalog's default language. DocsHandler ignores it: it serves
	// every language that has page texts.
	Language string
	// OpenAPI configures the OpenAPI document DocsHandler serves. Its zero
	// value describes the catalog's responses only, titled Title. Its
	// Operations and RouterErrors also give the page its endpoints: each
	// code's row names the endpoints that answer with it, and each
	// endpoint's row its codes.
	OpenAPI OpenAPIOptions
}

// exampleError picks the example of the page: the first 404 entry that is
// not the generic one, as in M-RETS's page, else the generic 404, its
// detail in tx's language.
func (rd *Renderer) exampleError(tx pageText) *Error {
	for _, e := range rd.catalog.entries {
		if e.Status == http.StatusNotFound && e.Code != "not_found" {
			return &Error{Code: e.Code, Detail: tx.s("example.detail", Str("id", "00000000-0000-0000-0000-000000000001"))}
		}
	}
	return New(http.StatusNotFound, "No route matches /v1/nope.").WithMessage("routing.not_found", Str("path", "/v1/nope"))
}

// exampleRequest is the request the page's example documents answer: one
// to https://api.example.com, so that a renderer linking documents to each
// request's own origin shows the links a client gets.
func exampleRequest() *http.Request {
	return &http.Request{Host: "api.example.com", TLS: &tls.ConnectionState{}, Header: http.Header{}}
}

// exampleDocument renders e in format f and language li, indented, with an
// example request ID.
func (rd *Renderer) exampleDocument(f Format, e *Error, li int) []byte {
	items := []item{rd.resolve(e, li)}
	const id = "4f1c2a9e8b7d6c5a4f3e2d1c"
	raw := rd.appendDocument(nil, exampleRequest(), f, items[0].status, id, "", items)
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return raw
	}
	return out.Bytes()
}

// docsRepresentation is one prebuilt form of the page.
type docsRepresentation struct {
	body        []byte
	contentType []string
	language    []string // Content-Language, nil for none
	etag        []string
}

// newDocsRepresentation returns body labelled contentType. Its strong
// ETag covers the Content-Type as well as the bytes: representations that
// differ only in their media type (the OpenAPI document as
// application/json and as application/vnd.oai.openapi+json) are distinct
// representations, which need distinct strong validators (RFC 9110
// §8.8.3), or a revalidation across types would answer 304. The
// Content-Language lang ("" for none) is covered too, for the same reason.
func newDocsRepresentation(body []byte, contentType, lang string) docsRepresentation {
	d := sha256.New()
	d.Write([]byte(contentType))
	d.Write([]byte{0}) // a media type holds no NUL: the boundary is unambiguous
	d.Write([]byte(lang))
	d.Write([]byte{0}) // nor does a language tag
	d.Write(body)
	var sum [sha256.Size]byte
	d.Sum(sum[:0])
	rep := docsRepresentation{
		body:        body,
		contentType: []string{contentType},
		etag:        []string{`"` + hex.EncodeToString(sum[:12]) + `"`},
	}
	if lang != "" {
		rep.language = []string{lang}
	}
	return rep
}

// Header values shared by every response of DocsHandler.
var hdrNoCache = []string{"no-cache"}

// DocsHandler serves the response-code page, generated once when
// DocsHandler is called, in the representation the request prefers:
//
//   - HTML (text/html), as WriteHTML writes it, for browsers;
//   - Markdown (text/markdown), as WriteMarkdown writes it, the answer to
//     */* and to a request without Accept;
//   - the OpenAPI document of opts.OpenAPI as JSON (application/json, or
//     application/vnd.oai.openapi+json which it is then labelled as).
//
// Accept is negotiated with its q-values (the most specific matching range
// counts; ties go to Markdown, then HTML); the query parameter format=html,
// format=markdown or format=openapi overrides it, so a link can name a
// representation.
//
// The HTML and Markdown page is served in every language of the catalog
// that has page texts (the default language, and each translation with a
// Page), picked by Accept-Language as MatchLanguage picks it: a language
// without a page, or none asked for, gets the default language. The query
// parameter lang names one (lang=es; lang=es-MX falls back to es), so a
// link can name a language; a language without a page is a 400. The page
// and its anchors are the same in every language, so DocsURL#code links
// work in each. Both forms carry Content-Language; with more than one
// language every answer also carries Vary: Accept-Language. The OpenAPI
// document is the same in every language.
//
// Every answer carries Vary: Accept, a strong ETag for its representation
// and language (and a 304 for a matching If-None-Match) and Cache-Control:
// no-cache; the HTML page also a Content-Security-Policy that lets it load
// nothing from anywhere. An Accept header that allows none of them gets a
// 406 error document, an unknown format or lang a 400, a method other than
// GET or HEAD a 405. opts.Language is ignored.
//
// DocsHandler panics if opts.OpenAPI is invalid (see OpenAPI): start-up
// configuration.
func (rd *Renderer) DocsHandler(opts DocsOptions) http.Handler {
	idx, tags := rd.pageLanguages()
	pages := make([][docsOpenAPI]docsRepresentation, len(idx))
	for i, li := range idx {
		p, err := rd.pageIn(opts, li)
		if err != nil {
			panic(err)
		}
		html, err := p.html()
		if err != nil {
			panic(err)
		}
		pages[i][docsMarkdown] = newDocsRepresentation(p.markdown(), "text/markdown; charset=utf-8", tags[i])
		pages[i][docsHTML] = newDocsRepresentation(html, "text/html; charset=utf-8", tags[i])
	}
	oaOpts := opts.OpenAPI
	if oaOpts.Title == "" {
		oaOpts.Title = opts.Title
	}
	var oa bytes.Buffer
	if err := rd.WriteOpenAPI(&oa, oaOpts); err != nil {
		panic(err)
	}
	oaJSON := newDocsRepresentation(oa.Bytes(), MediaTypeJSON, "")
	oaVendor := newDocsRepresentation(oa.Bytes(), mediaTypeOpenAPIVendor, "")
	csp := []string{docsCSP}
	multi := len(tags) > 1
	langs := []Arg{Str("languages", strings.Join(tags, ", "))} // shared, never written
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vary(w.Header(), multi)
		query := r.URL.Query()
		f := docsMarkdown
		if name, ok := query["format"]; ok {
			if f, ok = docsFormatNamed(name[0]); !ok {
				rd.Write(w, r, NewMessage(http.StatusBadRequest, "docs.bad_format").AtParameter("format"))
				return
			}
		} else {
			f = negotiateDocs(acceptOf(r))
		}
		lang := 0
		if v, ok := query["lang"]; ok {
			if lang = -1; validLanguageTag(v[0]) {
				lang = lookupRange(tags, v[0])
			}
			if lang < 0 {
				rd.Write(w, r, (&Error{Status: http.StatusBadRequest, Message: Message{Key: "docs.bad_lang", Args: langs}}).AtParameter("lang"))
				return
			}
		} else if multi {
			lang = MatchLanguage(tags, r.Header["Accept-Language"]...)
		}
		switch {
		case f == docsNone:
			serveDocs(w, r, rd, nil, nil)
		case f == docsHTML:
			serveDocs(w, r, rd, &pages[lang][f], csp)
		case f == docsOpenAPI && negotiateVendorOpenAPI(acceptOf(r)):
			serveDocs(w, r, rd, &oaVendor, nil)
		case f == docsOpenAPI:
			serveDocs(w, r, rd, &oaJSON, nil)
		default:
			serveDocs(w, r, rd, &pages[lang][f], nil)
		}
	})
}

// vary adds Accept to h's Vary, and Accept-Language when the page has more
// than one language; merged: a CORS middleware above has set Vary: Origin.
func vary(h http.Header, languages bool) {
	if languages {
		varyAcceptLanguage(h)
	} else {
		VaryAccept(h)
	}
}

// serveDocs answers r with rep, or with a 406 error document when rep is
// nil. csp, when set, is the response's Content-Security-Policy. The
// response's Vary is already set.
func serveDocs(w http.ResponseWriter, r *http.Request, rd *Renderer, rep *docsRepresentation, csp []string) {
	h := w.Header()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		rd.Write(w, r, NewMessage(http.StatusMethodNotAllowed, "docs.method").SetHeader("Allow", "GET, HEAD"))
		return
	}
	if rep == nil {
		rd.Write(w, r, NewMessage(http.StatusNotAcceptable, "docs.not_acceptable"))
		return
	}
	h["Etag"] = rep.etag
	h["Cache-Control"] = hdrNoCache
	if etagMatch(r.Header.Get("If-None-Match"), rep.etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if rep.language != nil {
		h["Content-Language"] = rep.language
	}
	h["Content-Type"] = rep.contentType
	h["Content-Length"] = []string{strconv.Itoa(len(rep.body))}
	h["X-Content-Type-Options"] = hdrNosniff
	if csp != nil {
		h["Content-Security-Policy"] = csp
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(rep.body)
	}
}

func docsFormatNamed(s string) (docsFormat, bool) {
	switch strings.ToLower(s) {
	case "markdown", "md":
		return docsMarkdown, true
	case "html":
		return docsHTML, true
	case "openapi", "json":
		return docsOpenAPI, true
	}
	return docsNone, false
}

// negotiateVendorOpenAPI reports whether accept prefers OpenAPI's own media
// type to plain JSON.
func negotiateVendorOpenAPI(accept string) bool {
	return acceptQ(accept, "application/vnd.oai.openapi+json") > acceptQ(accept, "application/json")
}

// etagMatch implements If-None-Match's weak comparison (RFC 9110 §13.1.2)
// against one strong entity tag.
func etagMatch(header, etag string) bool {
	for header != "" {
		var t string
		t, header, _ = strings.Cut(header, ",")
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}
