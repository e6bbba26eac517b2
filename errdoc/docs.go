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
	// Title is the page's heading. Empty means "Response Codes".
	Title string
	// API names the API in the page's prose. Empty means "The API".
	API string
	// OpenAPI configures the OpenAPI document DocsHandler serves. Its zero
	// value describes the catalog's responses only, titled Title. Its
	// Operations and RouterErrors also give the page its endpoints: each
	// code's row names the endpoints that answer with it, and each
	// endpoint's row its codes.
	OpenAPI OpenAPIOptions
}

// exampleError picks the example of the page: the first 404 entry that is
// not the generic one, as in M-RETS's page, else the generic 404.
func (rd *Renderer) exampleError() *Error {
	for _, e := range rd.catalog.entries {
		if e.Status == http.StatusNotFound && e.Code != "not_found" {
			return &Error{Code: e.Code, Detail: "The record identified by 00000000-0000-0000-0000-000000000001 could not be found."}
		}
	}
	return &Error{Status: http.StatusNotFound, Detail: "No route matches /v1/nope."}
}

// exampleRequest is the request the page's example documents answer: one
// to https://api.example.com, so that a renderer linking documents to each
// request's own origin shows the links a client gets.
func exampleRequest() *http.Request {
	return &http.Request{Host: "api.example.com", TLS: &tls.ConnectionState{}, Header: http.Header{}}
}

// exampleDocument renders e in format f, indented, with an example request ID.
func (rd *Renderer) exampleDocument(f Format, e *Error) []byte {
	items := []item{rd.resolve(e, 0)}
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
	etag        []string
}

// newDocsRepresentation returns body labelled contentType. Its strong
// ETag covers the Content-Type as well as the bytes: representations that
// differ only in their media type (the OpenAPI document as
// application/json and as application/vnd.oai.openapi+json) are distinct
// representations, which need distinct strong validators (RFC 9110
// §8.8.3), or a revalidation across types would answer 304.
func newDocsRepresentation(body []byte, contentType string) docsRepresentation {
	d := sha256.New()
	d.Write([]byte(contentType))
	d.Write([]byte{0}) // a media type holds no NUL: the boundary is unambiguous
	d.Write(body)
	var sum [sha256.Size]byte
	d.Sum(sum[:0])
	return docsRepresentation{
		body:        body,
		contentType: []string{contentType},
		etag:        []string{`"` + hex.EncodeToString(sum[:12]) + `"`},
	}
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
// representation. Every answer carries Vary: Accept, a strong ETag (and a
// 304 for a matching If-None-Match) and Cache-Control: no-cache; the HTML
// page also a Content-Security-Policy that lets it load nothing from
// anywhere. An Accept header that allows none of them gets a 406 error
// document, an unknown format a 400, a method other than GET or HEAD a 405.
//
// DocsHandler panics if opts.OpenAPI is invalid (see OpenAPI): start-up
// configuration.
func (rd *Renderer) DocsHandler(opts DocsOptions) http.Handler {
	p, err := rd.page(opts)
	if err != nil {
		panic(err)
	}
	html, err := p.html()
	if err != nil {
		panic(err)
	}
	oaOpts := opts.OpenAPI
	if oaOpts.Title == "" {
		oaOpts.Title = opts.Title
	}
	var oa bytes.Buffer
	if err := rd.WriteOpenAPI(&oa, oaOpts); err != nil {
		panic(err)
	}
	reps := [...]docsRepresentation{
		docsMarkdown: newDocsRepresentation(p.markdown(), "text/markdown; charset=utf-8"),
		docsHTML:     newDocsRepresentation(html, "text/html; charset=utf-8"),
		docsOpenAPI:  newDocsRepresentation(oa.Bytes(), MediaTypeJSON),
	}
	oaVendor := newDocsRepresentation(oa.Bytes(), mediaTypeOpenAPIVendor)
	csp := []string{docsCSP}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := docsMarkdown
		if name, ok := r.URL.Query()["format"]; ok {
			if f, ok = docsFormatNamed(name[0]); !ok {
				VaryAccept(w.Header())
				rd.Write(w, r, New(http.StatusBadRequest, "format must be html, markdown or openapi.").AtParameter("format"))
				return
			}
		} else {
			f = negotiateDocs(acceptOf(r))
		}
		switch {
		case f == docsNone:
			serveDocs(w, r, rd, nil, nil)
		case f == docsHTML:
			serveDocs(w, r, rd, &reps[f], csp)
		case f == docsOpenAPI && negotiateVendorOpenAPI(acceptOf(r)):
			serveDocs(w, r, rd, &oaVendor, nil)
		default:
			serveDocs(w, r, rd, &reps[f], nil)
		}
	})
}

// serveDocs answers r with rep, or with a 406 error document when rep is
// nil. csp, when set, is the response's Content-Security-Policy.
func serveDocs(w http.ResponseWriter, r *http.Request, rd *Renderer, rep *docsRepresentation, csp []string) {
	h := w.Header()
	VaryAccept(h) // merged: a CORS middleware above has set Vary: Origin
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		rd.Write(w, r, New(http.StatusMethodNotAllowed, "This page is read with GET or HEAD.").SetHeader("Allow", "GET, HEAD"))
		return
	}
	if rep == nil {
		rd.Write(w, r, New(http.StatusNotAcceptable,
			"The page is available as text/html, text/markdown and application/json (OpenAPI)."))
		return
	}
	h["Etag"] = rep.etag
	h["Cache-Control"] = hdrNoCache
	if etagMatch(r.Header.Get("If-None-Match"), rep.etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return
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
