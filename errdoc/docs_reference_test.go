package errdoc_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/jsonbody"
	"github.com/faultline-go/faultline/recoverer"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// markdownPage returns rd's Markdown page for opts.
func markdownPage(t *testing.T, rd *errdoc.Renderer, opts errdoc.DocsOptions) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, rd.WriteMarkdown(&b, opts))
	return b.String()
}

// section returns the part of a Markdown page from the heading with the
// given anchor to the next heading of its level or above.
func section(t *testing.T, page, anchor string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^(#+) <a id="` + regexp.QuoteMeta(anchor) + `"></a>`).FindStringSubmatchIndex(page)
	require.NotNil(t, m, "no section %s", anchor)
	level := page[m[2]:m[3]]
	rest := page[m[1]:]
	if end := regexp.MustCompile(`(?m)^#{1,` + strconv.Itoa(len(level)) + `} `).FindStringIndex(rest); end != nil {
		rest = rest[:end[0]]
	}
	return rest
}

// TestMetaMembersAreWhatTheLibrarySends drives every middleware that puts
// members in meta, on a real server, and compares the members of the
// documents with the page's table: each documented member is sent, with
// one of the codes the page names, and nothing undocumented is.
func TestMetaMembersAreWhatTheLibrarySends(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t), Development: true, Logger: discardLogger()})
	page := markdownPage(t, rd, errdoc.DocsOptions{})
	documented := map[string][]string{} // member: codes, nil for any
	for _, row := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| ([^|]*) \\|").FindAllStringSubmatch(section(t, page, "meta-members"), -1) {
		var codes []string
		for _, c := range regexp.MustCompile(`\(#([a-z_]+)\)`).FindAllStringSubmatch(row[2], -1) {
			codes = append(codes, c[1])
		}
		documented[row[1]] = codes
	}
	require.Contains(t, documented, "max_bytes")

	r := chi.NewRouter()
	r.Use(rd.Handler)
	r.With(middleware.Produces("text/csv")).Get("/csv", func(w http.ResponseWriter, _ *http.Request) {})
	r.With(jsonbody.JSONBodies(jsonbody.BindOptions{MaxBytes: 64})).Post("/items", func(w http.ResponseWriter, r *http.Request) {
		if _, err := jsonbody.Bind[map[string]any](r); err != nil {
			errdoc.Write(w, r, err)
		}
	})
	r.With(jsonbody.JSONBodies(jsonbody.BindOptions{SyntaxStatus: 400})).Post("/strict", func(w http.ResponseWriter, r *http.Request) {
		if _, err := jsonbody.Bind[map[string]any](r); err != nil {
			errdoc.Write(w, r, err)
		}
	})
	r.With(recoverer.WithOptions(recoverer.Options{Development: true, Logger: discardLogger()})).Get("/panic", func(http.ResponseWriter, *http.Request) {
		panic("boom")
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	sent := map[string][]string{} // member: codes of the documents that carried it
	for _, tc := range []struct {
		method, path, contentType, body string
		status                          int
	}{
		{"GET", "/csv", "", "", 406},
		{"POST", "/items", "text/plain", "{}", 415},
		{"POST", "/items", "application/json", `{"name": "` + strings.Repeat("x", 100) + `"}`, 413},
		{"POST", "/items", "application/json", "{\n  \"name\": ", 422},
		{"POST", "/strict", "application/json", "[1, 2,", 400},
		{"GET", "/panic", "", "", 500},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
		require.NoError(t, err)
		req.Header.Set("Accept", "application/json")
		if tc.contentType != "" {
			req.Header.Set("Content-Type", tc.contentType)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, tc.status, resp.StatusCode, "%s %s: %s", tc.method, tc.path, body)
		var doc struct {
			Errors []struct {
				Code string         `json:"code"`
				Meta map[string]any `json:"meta"`
			} `json:"errors"`
		}
		require.NoError(t, json.Unmarshal(body, &doc), "%s", body)
		require.NotEmpty(t, doc.Errors)
		for _, e := range doc.Errors {
			require.NotEmpty(t, e.Meta, "%s %s: %s", tc.method, tc.path, body)
			for k := range e.Meta {
				sent[k] = append(sent[k], e.Code)
			}
		}
	}
	for k, codes := range sent {
		require.Contains(t, documented, k, "meta %q is sent (by %v) but not on the page", k, codes)
		if want := documented[k]; want != nil {
			for _, c := range codes {
				assert.Contains(t, want, c, "meta %q comes with %s, which the page does not name", k, c)
			}
		}
	}
	var unsent []string
	for k := range documented {
		if _, ok := sent[k]; !ok {
			unsent = append(unsent, k)
		}
	}
	sort.Strings(unsent)
	// trace_id is the document's meta (issue 19), not an error's.
	assert.Equal(t, []string{"trace_id"}, unsent, "documented meta members no document carried")
}

// TestDocsPageEndpoints: with operations, each code's row names the
// endpoints that answer with it and each endpoint's row its codes.
func TestDocsPageEndpoints(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t)})
	opts := errdoc.DocsOptions{OpenAPI: errdoc.OpenAPIOptions{
		RouterErrors: []string{"not_found", "method_not_allowed"},
		Operations: []errdoc.Operation{
			{Method: "GET", Path: "/v1/items", Summary: "List", Errors: []string{"not_acceptable", "internal_error"}},
			{Method: "GET", Path: "/v1/items/{id:[0-9]+}", Summary: "Get", Errors: []string{"record_not_found", "not_acceptable", "not_found"}},
			{Method: "DELETE", Path: "/v1/items/{id:[0-9]+}", Summary: "Delete", Deprecated: true, Errors: []string{"record_not_found", "not_acceptable", "unauthorized"}},
		},
	}}
	page := markdownPage(t, rd, opts)
	row := func(anchor string) string {
		t.Helper()
		m := regexp.MustCompile(`(?m)^\| <a id="` + anchor + `"></a>.*$`).FindString(page)
		require.NotEmpty(t, m, "no row %s", anchor)
		return m
	}
	const (
		list = "[`GET /v1/items`](#endpoint-get-v1-items)"
		get  = "[`GET /v1/items/{id}`](#endpoint-get-v1-items-id)"
		del  = "[`DELETE /v1/items/{id}`](#endpoint-delete-v1-items-id)"
	)
	assert.Contains(t, row("record_not_found"), "Returned by "+get+", "+del+".")
	assert.Contains(t, row("unauthorized"), "Returned by "+del+".")
	assert.Contains(t, row("internal_error"), "Returned by "+list+".")
	assert.Contains(t, row("not_acceptable"), "Any endpoint can answer with it.", "every endpoint lists it")
	assert.Contains(t, row("not_found"), "Any endpoint can answer with it.", "the router answers it")
	assert.Contains(t, row("method_not_allowed"), "Any endpoint can answer with it.")
	assert.NotContains(t, row("conflict"), "endpoint")

	assert.Equal(t, "| <a id=\"endpoint-get-v1-items-id\"></a>`GET /v1/items/{id}` | Get | "+
		"[`record_not_found`](#record_not_found) 404, [`not_acceptable`](#not_acceptable) 406 |", row("endpoint-get-v1-items-id"),
		"its own codes in the catalog's order; not_found is the router's")
	assert.Equal(t, "| <a id=\"endpoint-delete-v1-items-id\"></a>`DELETE /v1/items/{id}` | Delete Deprecated. | "+
		"[`unauthorized`](#unauthorized) 401, [`record_not_found`](#record_not_found) 404, [`not_acceptable`](#not_acceptable) 406 |", row("endpoint-delete-v1-items-id"))
	assert.Contains(t, section(t, page, "api-endpoints"), "Any endpoint can also answer with [`not_found`](#not_found), [`method_not_allowed`](#method_not_allowed)")
	assert.Contains(t, page, "- [Endpoints](#api-endpoints)")

	// A code many endpoints list names those that do not.
	opts.OpenAPI.Operations[0].Errors = append(opts.OpenAPI.Operations[0].Errors, "record_not_found")
	for _, p := range []string{"/a", "/b", "/c"} {
		opts.OpenAPI.Operations = append(opts.OpenAPI.Operations,
			errdoc.Operation{Method: "GET", Path: p, Summary: p, Errors: []string{"record_not_found"}},
			errdoc.Operation{Method: "POST", Path: p, Summary: p, Errors: []string{"unauthorized"}})
	}
	opts.OpenAPI.Operations = append(opts.OpenAPI.Operations, errdoc.Operation{Method: "GET", Path: "/healthz", Summary: "Health"})
	page = markdownPage(t, rd, opts)
	assert.Contains(t, row("unauthorized"), "Returned by "+del+", [`POST /a`](#endpoint-post-a), [`POST /b`](#endpoint-post-b), [`POST /c`](#endpoint-post-c).", "four are listed")
	assert.Contains(t, row("record_not_found"), "Returned by every endpoint but [`POST /a`](#endpoint-post-a), [`POST /b`](#endpoint-post-b), [`POST /c`](#endpoint-post-c), [`GET /healthz`](#endpoint-get-healthz).",
		"six of ten endpoints answer with it")

	// Without operations there is no endpoint section.
	page = markdownPage(t, rd, errdoc.DocsOptions{})
	assert.NotContains(t, page, "api-endpoints")
	assert.NotContains(t, page, "Returned by")

	// Operations the OpenAPI document refuses are refused here too.
	bad := errdoc.DocsOptions{OpenAPI: errdoc.OpenAPIOptions{Operations: []errdoc.Operation{{Method: "GET", Path: "/x", Summary: "X", Errors: []string{"no_such_code"}}}}}
	assert.Error(t, rd.WriteMarkdown(io.Discard, bad))
	assert.Error(t, rd.WriteHTML(io.Discard, bad))
	assert.Panics(t, func() { rd.DocsHandler(bad) })
}

// TestDocsPageRetryColumn: each code's row says whether retrying can help,
// as its status does.
func TestDocsPageRetryColumn(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t)})
	page := markdownPage(t, rd, errdoc.DocsOptions{})
	for code, want := range map[string]string{
		"not_modified": "–", "bad_request": "After a fix", "record_not_found": "No", "precondition_failed": "After re-reading",
		"too_many_requests": "Yes, after Retry-After", "internal_error": "Yes, with backoff", "request_timeout": "Yes, once",
		"unauthorized": "After authenticating",
	} {
		assert.Regexp(t, `(?m)^\| <a id="`+code+`"></a>.* \| `+regexp.QuoteMeta(want)+` \|$`, page, code)
	}
	guide := section(t, page, "retrying-requests")
	assert.Contains(t, guide, "- **Yes, after Retry-After** ([420](#enhance_your_calm), [429](#too_many_requests), [503](#service_unavailable)).")
	assert.Contains(t, guide, "[404](#not_found)", "a status links to its first code")
	assert.NotContains(t, guide, "#record_not_found")
	for _, anchor := range []string{"retry-waiting", "retry-idempotency"} {
		assert.NotEmpty(t, section(t, page, anchor))
	}
}

// TestDocsPageIntroduction: the introduction is our own.
func TestDocsPageIntroduction(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	var html bytes.Buffer
	require.NoError(t, rd.WriteHTML(&html, errdoc.DocsOptions{API: "Acme"}))
	md := markdownPage(t, rd, errdoc.DocsOptions{API: "Acme"})
	for _, page := range []string{html.String(), md} {
		assert.NotContains(t, page, "attempts to return appropriate")
		assert.Contains(t, page, "Acme answers every request with an HTTP status")
	}
}
