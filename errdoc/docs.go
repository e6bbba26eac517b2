package errdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
}

// WriteMarkdown writes the response-code page generated from the renderer's
// catalog: a "| Code | Text | Description |" table with one row per entry,
// then an example error document in each format.
func (rd *Renderer) WriteMarkdown(w io.Writer, opts DocsOptions) error {
	title, api := opts.Title, opts.API
	if title == "" {
		title = "Response Codes"
	}
	if api == "" {
		api = "The API"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n## HTTP Status Codes\n\n", title)
	fmt.Fprintf(&b, "%s attempts to return appropriate HTTP status codes for every request. "+
		"Every error response carries a JSON error document; its `code` member is stable and safe to branch on.\n\n", api)
	b.WriteString("| Code | Text | Description |\n| ---- | ---- | ----------- |\n")
	b.WriteString("| 200 | OK | Success. **Not an error code.** |\n")
	for _, e := range rd.catalog.entries {
		desc := e.Description
		desc += " Error code: `" + e.Code + "`."
		if e.LegacyCode != 0 {
			desc += " Twitter v1 code: " + strconv.Itoa(e.LegacyCode) + "."
		}
		if e.Status >= 500 {
			desc += " **Not your fault.**"
		}
		fmt.Fprintf(&b, "| <a id=\"%s\"></a>%d | %s | %s |\n", e.Code, e.Status, mdCell(e.Title), mdCell(desc))
	}
	b.WriteString("\n## Error Messages\n\n")
	b.WriteString("Errors are returned as a JSON:API errors document (`application/vnd.api+json` when requested, " +
		"`application/json` otherwise). For example:\n\n")
	ex := rd.exampleError()
	b.WriteString("```json\n")
	b.Write(rd.exampleDocument(JSONAPI, ex))
	b.WriteString("\n```\n\n")
	b.WriteString("A request whose `Accept` header prefers `application/problem+json` gets RFC 9457 problem details instead, " +
		"with the request ID in `instance`:\n\n```json\n")
	b.Write(rd.exampleDocument(Problem, ex))
	b.WriteString("\n```\n\n")
	b.WriteString("Routes that keep Twitter's v1 shape answer:\n\n```json\n")
	b.Write(rd.exampleDocument(Twitter, &Error{Status: http.StatusTooManyRequests}))
	b.WriteString("\n```\n\n")
	b.WriteString("Every response carries an `X-Request-ID` header; the same ID is the document's `id` (or `instance`). " +
		"Quote it when reporting a problem.\n")
	_, err := w.Write(b.Bytes())
	return err
}

func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
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

// exampleDocument renders e in format f, indented, with an example request ID.
func (rd *Renderer) exampleDocument(f Format, e *Error) []byte {
	items := []item{rd.resolve(e)}
	const id = "4f1c2a9e8b7d6c5a4f3e2d1c"
	raw := rd.appendDocument(nil, f, items[0].status, id, items)
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return raw
	}
	return out.Bytes()
}

// OpenAPI returns an OpenAPI 3.1 document whose components describe the
// error documents (schemas JSONAPIErrors, ProblemDetails, TwitterErrors) and
// hold one response per catalog entry, keyed by code, with an example.
func (rd *Renderer) OpenAPI(title string) map[string]any {
	if title == "" {
		title = "Error responses"
	}
	source := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"pointer":   map[string]any{"type": "string", "description": "JSON Pointer (RFC 6901) into the request body."},
			"parameter": map[string]any{"type": "string", "description": "Query parameter at fault."},
			"header":    map[string]any{"type": "string", "description": "Request header at fault."},
		},
	}
	jsonapiError := map[string]any{
		"type":     "object",
		"required": []string{"status", "code", "title"},
		"properties": map[string]any{
			"id":     map[string]any{"type": "string", "description": "The request ID (suffixed .N when a document carries several errors)."},
			"links":  map[string]any{"type": "object", "properties": map[string]any{"about": map[string]any{"type": "string", "format": "uri-reference"}, "type": map[string]any{"type": "string", "format": "uri-reference"}}},
			"status": map[string]any{"type": "string", "pattern": "^[0-9]{3}$"},
			"code":   map[string]any{"type": "string"},
			"title":  map[string]any{"type": "string"},
			"detail": map[string]any{"type": "string"},
			"source": source,
			"meta":   map[string]any{"type": "object"},
		},
		"additionalProperties": false,
	}
	schemas := map[string]any{
		"JSONAPIErrors": map[string]any{
			"type":                 "object",
			"required":             []string{"errors"},
			"properties":           map[string]any{"errors": map[string]any{"type": "array", "minItems": 1, "items": jsonapiError}},
			"additionalProperties": false,
		},
		"ProblemDetails": map[string]any{
			"type":     "object",
			"required": []string{"type", "title", "status"},
			"properties": map[string]any{
				"type":      map[string]any{"type": "string", "format": "uri-reference"},
				"title":     map[string]any{"type": "string"},
				"status":    map[string]any{"type": "integer", "minimum": 400, "maximum": 599},
				"detail":    map[string]any{"type": "string"},
				"instance":  map[string]any{"type": "string", "format": "uri-reference", "description": "The request ID."},
				"code":      map[string]any{"type": "string"},
				"pointer":   map[string]any{"type": "string"},
				"parameter": map[string]any{"type": "string"},
				"header":    map[string]any{"type": "string"},
				"meta":      map[string]any{"type": "object"},
				"errors":    map[string]any{"type": "array", "items": map[string]any{"type": "object"}},
			},
		},
		"TwitterErrors": map[string]any{
			"type":     "object",
			"required": []string{"errors"},
			"properties": map[string]any{"errors": map[string]any{"type": "array", "items": map[string]any{
				"type":       "object",
				"required":   []string{"code", "message"},
				"properties": map[string]any{"code": map[string]any{"type": "integer"}, "message": map[string]any{"type": "string"}},
			}}},
		},
	}
	responses := map[string]any{}
	ref := func(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
	for _, e := range rd.catalog.entries {
		resp := map[string]any{"description": fmt.Sprintf("%d %s: %s", e.Status, e.Title, e.Description)}
		if e.Status != http.StatusNotModified {
			var ex *Error
			if e.Status >= 500 {
				ex = &Error{Code: e.Code}
			} else {
				ex = &Error{Code: e.Code, Detail: e.Description}
			}
			example := func(f Format) any {
				var v any
				_ = json.Unmarshal(rd.exampleDocument(f, ex), &v)
				return v
			}
			resp["content"] = map[string]any{
				MediaTypeJSONAPI: map[string]any{"schema": ref("JSONAPIErrors"), "example": example(JSONAPI)},
				MediaTypeJSON:    map[string]any{"schema": ref("JSONAPIErrors"), "example": example(JSONAPI)},
				MediaTypeProblem: map[string]any{"schema": ref("ProblemDetails"), "example": example(Problem)},
			}
		}
		responses[e.Code] = resp
	}
	return map[string]any{
		"openapi":    "3.1.0",
		"info":       map[string]any{"title": title, "version": "1.0.0"},
		"paths":      map[string]any{},
		"components": map[string]any{"schemas": schemas, "responses": responses},
	}
}

// WriteOpenAPI writes OpenAPI as indented JSON.
func (rd *Renderer) WriteOpenAPI(w io.Writer, title string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rd.OpenAPI(title))
}

// DocsHandler serves the response-code page: Markdown by default, the
// OpenAPI document for ?format=openapi or a request that accepts only JSON.
// The page is generated once, when DocsHandler is called.
func (rd *Renderer) DocsHandler(opts DocsOptions) http.Handler {
	var md, oa bytes.Buffer
	_ = rd.WriteMarkdown(&md, opts)
	_ = rd.WriteOpenAPI(&oa, opts.Title)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ct := md.Bytes(), "text/markdown; charset=utf-8"
		if r.URL.Query().Get("format") == "openapi" || r.Header.Get("Accept") == MediaTypeJSON {
			body, ct = oa.Bytes(), "application/json"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(body)
	})
}
