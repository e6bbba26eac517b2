package errdoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// OpenAPIOptions configures the OpenAPI 3.1 document of a Renderer's catalog.
// The zero value describes the catalog's responses only: components, no
// paths.
type OpenAPIOptions struct {
	// Title is info.title. Empty means "Error responses".
	Title string
	// Version is info.version, the API's version. Empty means "1.0.0".
	Version string
	// Description is info.description. Empty means a sentence pointing at
	// the response-code page.
	Description string
	// License is info.license. Nil means none.
	License *OpenAPILicense
	// Servers are the API's base URLs. Nil means the origin of the
	// Renderer's DocsURL when that is absolute, else none.
	Servers []OpenAPIServer
	// Tags describe the tags operations use, in order. Nil means none.
	Tags []OpenAPITag
	// SecuritySchemes are the schemes operations name in their Security,
	// keyed by name. Nil means none.
	SecuritySchemes map[string]OpenAPISecurityScheme
	// Operations are the API's operations, emitted as paths. Nil means no
	// paths: then every catalog response is emitted as a component; with
	// operations, only the responses and headers they reference are.
	Operations []Operation
	// RouterErrors are the catalog codes the router answers on an
	// operation's path for requests that no operation serves: a method the
	// path does not serve (method_not_allowed, whose response carries
	// Allow), a method no route knows (not_implemented), a path no route
	// matches (not_found). An OpenAPI 3.1 document describes responses only
	// inside operations, so every operation lists them beside its own
	// Errors, which is where clients and their generators look for the
	// shape and headers of the errors a path can answer. Nil means none.
	RouterErrors []string
}

// OpenAPILicense is the API's license: Name and either URL or Identifier
// (an SPDX expression).
type OpenAPILicense struct {
	Name, URL, Identifier string
}

// OpenAPIServer is a base URL of the API.
type OpenAPIServer struct {
	URL, Description string
}

// OpenAPITag describes a tag.
type OpenAPITag struct {
	Name, Description string
}

// OpenAPISecurityScheme is an OpenAPI security scheme: Type "http" with
// Scheme "bearer" or "basic", or Type "apiKey" with In and Name.
type OpenAPISecurityScheme struct {
	Type, Scheme, BearerFormat, In, Name, Description string
}

// Operation describes one operation of the API for the OpenAPI document:
// its success response and the catalog codes it can answer with, which are
// referenced from the catalog's responses.
type Operation struct {
	// Method is the HTTP method, such as "GET". Required.
	Method string
	// Path is the route pattern, chi's syntax: "/v1/items/{id}" or
	// "/v1/items/{id:[0-9]+}" (the regexp becomes the parameter's pattern).
	// Every parameter is a required string path parameter. Required; a
	// trailing wildcard "*" is not supported.
	Path string
	// ID is the operationId. Empty means one derived from Method and Path,
	// such as "getV1ItemsById".
	ID string
	// Summary is the operation's one-line summary. Required.
	Summary string
	// Description is the operation's longer description. Empty means none.
	Description string
	// Tags group the operation. Nil means none.
	Tags []string
	// Deprecated marks the operation deprecated.
	Deprecated bool
	// Security names the SecuritySchemes the operation accepts, any of
	// them. Nil means the operation needs no authentication.
	Security []string
	// Query are the operation's query parameters. Nil means none.
	Query []OpenAPIParameter
	// Request is the request body. Nil means none.
	Request *OpenAPIBody
	// Success is the success response. Its zero value is a 200 with an
	// application/json body of any shape.
	Success OpenAPISuccess
	// Errors are the catalog codes the operation can answer with. Codes of
	// the same status are described by one response. Every code must be in
	// the Renderer's catalog.
	Errors []string
}

// OpenAPIParameter is a query parameter.
type OpenAPIParameter struct {
	Name, Description string
	Required          bool
	// Schema is the parameter's JSON Schema. Nil means a string.
	Schema map[string]any
}

// OpenAPIBody is a request body.
type OpenAPIBody struct {
	// ContentType is the body's media type. Empty means application/json.
	ContentType string
	// Description describes the body. Empty means none.
	Description string
	// Schema is the body's JSON Schema. Nil means any.
	Schema map[string]any
	// Required says the body must be sent.
	Required bool
}

// OpenAPISuccess is an operation's success response.
type OpenAPISuccess struct {
	// Status is the success status. Zero means 200.
	Status int
	// Description describes the response. Empty means the status text.
	Description string
	// ContentType is the body's media type. Empty means application/json;
	// statuses without a body (204, 304) have none.
	ContentType string
	// Schema is the body's JSON Schema. Nil means any.
	Schema map[string]any
	// Headers names the headers the response sends besides X-Request-ID,
	// which every response carries: "RateLimit", "RateLimit-Policy",
	// "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
	// "Sunset", "Deprecation", "Link", "ETag", "Retry-After", "Vary".
	Headers []string
}

// ErrInvalidOperation is wrapped by the errors OpenAPI returns for
// operations it cannot describe.
var ErrInvalidOperation = errors.New("errdoc: invalid OpenAPI operation")

// OpenAPI returns an OpenAPI 3.1 document describing the error responses of
// the Renderer's catalog and, when opts lists operations, the paths that
// answer with them:
//
//   - components.schemas: JSONAPIErrors, ProblemDetails and TwitterErrors;
//   - components.headers: the response headers the library sends
//     (X-Request-ID, Vary, Retry-After, RateLimit, RateLimit-Policy,
//     X-RateLimit-*, Allow, WWW-Authenticate, Sunset, Link, ETag, and
//     Deprecation for operations that send it);
//   - components.responses: one response per catalog code, keyed by code,
//     with the headers its status sends (Retry-After on 429, 420 and 503,
//     Allow on 405, WWW-Authenticate on 401, Sunset and Link on 410) and an
//     example in each media type;
//   - paths: each operation, its success response and a reference to the
//     response of each error code it lists.
//
// With operations, only the components they reference are emitted, so the
// document has none unused. OpenAPI returns an error wrapping
// ErrInvalidOperation for an operation without method, path or summary,
// with a code not in the catalog, a header or security scheme it does not
// know, or an operationId used twice.
func (rd *Renderer) OpenAPI(opts OpenAPIOptions) (map[string]any, error) {
	b := &openAPIBuilder{rd: rd, headers: map[string]bool{}, responses: map[string]bool{}}
	paths, err := b.paths(opts)
	if err != nil {
		return nil, err
	}
	if len(opts.Operations) == 0 {
		for _, e := range rd.catalog.entries {
			b.responses[e.Code] = true
		}
	}
	responses := obj{}
	for code := range b.responses {
		responses[code] = b.response(code)
	}
	headers := obj{}
	for name := range b.headers {
		h := openAPIHeaders[name]
		headers[name] = obj{"description": h.description, "schema": h.schema}
	}
	components := obj{"headers": headers, "responses": responses}
	if b.schemas {
		components["schemas"] = openAPISchemas()
	}
	if len(opts.SecuritySchemes) > 0 {
		components["securitySchemes"] = securitySchemes(opts.SecuritySchemes)
	}
	doc := obj{
		"openapi":    "3.1.0",
		"info":       rd.openAPIInfo(opts),
		"paths":      paths,
		"components": components,
	}
	if servers := rd.openAPIServers(opts); len(servers) > 0 {
		doc["servers"] = servers
	}
	if len(opts.Tags) > 0 {
		tags := make([]obj, 0, len(opts.Tags))
		for _, t := range opts.Tags {
			tag := obj{"name": t.Name}
			if t.Description != "" {
				tag["description"] = t.Description
			}
			tags = append(tags, tag)
		}
		doc["tags"] = tags
	}
	if len(opts.Operations) > 0 {
		doc["security"] = []obj{} // each operation says what it needs
	}
	return doc, nil
}

// WriteOpenAPI writes OpenAPI(opts) as indented JSON.
func (rd *Renderer) WriteOpenAPI(w io.Writer, opts OpenAPIOptions) error {
	doc, err := rd.OpenAPI(opts)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// mediaTypeOpenAPIVendor labels the OpenAPI document served to a request
// that prefers OpenAPI's own media type.
const mediaTypeOpenAPIVendor = "application/vnd.oai.openapi+json;version=3.1.0"

// OpenAPIHandler serves OpenAPI(opts), generated once when OpenAPIHandler
// is called, as application/json (application/vnd.oai.openapi+json when the
// request prefers it), with an ETag and Vary: Accept; mount it at
// /openapi.json, say. It panics if OpenAPI returns an error: start-up
// configuration.
func (rd *Renderer) OpenAPIHandler(opts OpenAPIOptions) http.Handler {
	var b bytes.Buffer
	if err := rd.WriteOpenAPI(&b, opts); err != nil {
		panic(err)
	}
	json := newDocsRepresentation(b.Bytes(), MediaTypeJSON, "")
	vendor := newDocsRepresentation(b.Bytes(), mediaTypeOpenAPIVendor, "")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep := &json
		if negotiateVendorOpenAPI(acceptOf(r)) {
			rep = &vendor
		}
		VaryAccept(w.Header())
		serveDocs(w, r, rd, rep, nil)
	})
}

func (rd *Renderer) openAPIInfo(opts OpenAPIOptions) obj {
	info := obj{"title": opts.Title, "version": opts.Version}
	if opts.Title == "" {
		info["title"] = "Error responses"
	}
	if opts.Version == "" {
		info["version"] = "1.0.0"
	}
	info["description"] = opts.Description
	if opts.Description == "" {
		desc := "Every error answers with one JSON document whose code is stable; " +
			"each code is explained on the response-code page"
		if !rd.noLinks {
			desc += " (" + rd.docsURL() + ")"
		}
		info["description"] = desc + "."
	}
	if l := opts.License; l != nil {
		lic := obj{"name": l.Name}
		if l.URL != "" {
			lic["url"] = l.URL
		}
		if l.Identifier != "" {
			lic["identifier"] = l.Identifier
		}
		info["license"] = lic
	}
	return info
}

// docsURL is the address of the response-code page.
func (rd *Renderer) docsURL() string {
	if rd.opts.DocsURL != "" {
		return rd.opts.DocsURL
	}
	return "/docs/errors"
}

func (rd *Renderer) openAPIServers(opts OpenAPIOptions) []obj {
	var out []obj
	for _, s := range opts.Servers {
		srv := obj{"url": s.URL}
		if s.Description != "" {
			srv["description"] = s.Description
		}
		out = append(out, srv)
	}
	if opts.Servers == nil {
		if u, err := url.Parse(rd.opts.DocsURL); err == nil && u.IsAbs() && u.Host != "" {
			out = append(out, obj{"url": u.Scheme + "://" + u.Host})
		}
	}
	return out
}

func securitySchemes(in map[string]OpenAPISecurityScheme) obj {
	out := obj{}
	for name, s := range in {
		scheme := obj{"type": s.Type}
		for k, v := range map[string]string{"scheme": s.Scheme, "bearerFormat": s.BearerFormat, "in": s.In, "name": s.Name, "description": s.Description} {
			if v != "" {
				scheme[k] = v
			}
		}
		out[name] = scheme
	}
	return out
}

// openAPIBuilder collects the components the document references.
type openAPIBuilder struct {
	rd        *Renderer
	headers   map[string]bool // header components referenced
	responses map[string]bool // response components referenced, by code
	schemas   bool            // the error schemas are referenced
}

func (b *openAPIBuilder) headerRefs(names []string) obj {
	out := obj{}
	for _, n := range names {
		b.headers[n] = true
		out[n] = obj{"$ref": "#/components/headers/" + n}
	}
	return out
}

// response returns the response component of a catalog code.
func (b *openAPIBuilder) response(code string) obj {
	e, _ := b.rd.catalog.Lookup(code)
	resp := obj{
		"description": strconv.Itoa(e.Status) + " " + e.Title + ": " + e.Description,
		"headers":     b.headerRefs(errorHeaders(e.Status)),
	}
	if e.Status != http.StatusNotModified {
		resp["content"] = b.errorContent([]Entry{e})
	}
	return resp
}

// errorContent returns the content of an error response carrying any of
// entries, with an example of each in every media type.
func (b *openAPIBuilder) errorContent(entries []Entry) obj {
	b.schemas = true
	ref := func(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }
	examples := func(f Format) obj {
		out := obj{}
		for _, e := range entries {
			ex := &Error{Code: e.Code}
			if e.Status < 500 {
				ex.Detail = e.Description
			}
			var v any
			_ = json.Unmarshal(b.rd.exampleDocument(f, ex, 0), &v)
			out[e.Code] = obj{"summary": e.Title, "value": v}
		}
		return out
	}
	jsonExamples := examples(JSONAPI)
	for code, ex := range examples(Twitter) {
		jsonExamples[code+"_twitter"] = obj{"summary": entryTitle(entries, code) + " (Twitter v1 shape)", "value": ex.(obj)["value"]}
	}
	return obj{
		MediaTypeJSONAPI: obj{"schema": ref("JSONAPIErrors"), "examples": examples(JSONAPI)},
		MediaTypeJSON: obj{
			"schema":   obj{"oneOf": []obj{ref("JSONAPIErrors"), ref("TwitterErrors")}},
			"examples": jsonExamples,
		},
		MediaTypeProblem: obj{"schema": ref("ProblemDetails"), "examples": examples(Problem)},
	}
}

func entryTitle(entries []Entry, code string) string {
	for _, e := range entries {
		if e.Code == code {
			return e.Title
		}
	}
	return code
}

func invalidOperation(op Operation, format string, args ...any) error {
	return fmt.Errorf("%w: %s %s: %s", ErrInvalidOperation, op.Method, op.Path, fmt.Sprintf(format, args...))
}
