package errdoc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/chi/v5"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testOperations describe a small API with every kind of operation the
// generator supports.
func testOperations() errdoc.OpenAPIOptions {
	return errdoc.OpenAPIOptions{
		Title:   "Test API",
		Version: "2.0.0",
		License: &errdoc.OpenAPILicense{Name: "MIT", Identifier: "MIT"},
		Tags:    []errdoc.OpenAPITag{{Name: "items", Description: "Items."}},
		SecuritySchemes: map[string]errdoc.OpenAPISecurityScheme{
			"bearer": {Type: "http", Scheme: "bearer"},
		},
		Operations: []errdoc.Operation{
			{Method: "GET", Path: "/items/{id:[0-9]+}", Summary: "Get an item", Tags: []string{"items"},
				Success: errdoc.OpenAPISuccess{Schema: map[string]any{"type": "object"}},
				Errors:  []string{"not_found", "record_not_found", "internal_error"}},
			{Method: "DELETE", Path: "/items/{id}", Summary: "Delete an item", Tags: []string{"items"}, Security: []string{"bearer"},
				Success: errdoc.OpenAPISuccess{Status: 204},
				Errors:  []string{"unauthorized", "forbidden"}},
			{Method: "GET", Path: "/limited", ID: "limited", Summary: "Rate limited", Tags: []string{"items"},
				Success: errdoc.OpenAPISuccess{Headers: []string{"RateLimit", "RateLimit-Policy"}},
				Errors:  []string{"too_many_requests", "method_not_allowed"}},
		},
	}
}

// openAPI writes rd's document for opts, checks it with libopenapi's
// validator against the OpenAPI 3.1 specification, and returns it decoded.
func openAPI(t *testing.T, rd *errdoc.Renderer, opts errdoc.OpenAPIOptions) ([]byte, map[string]any) {
	t.Helper()
	v, raw := openAPIValidator(t, rd, opts)
	ok, verrs := v.ValidateDocument()
	for _, e := range verrs {
		t.Errorf("invalid OpenAPI: %s: %s", e.Message, e.Reason)
		for _, se := range e.SchemaValidationErrors {
			t.Errorf("  %s at %s (schema %s)", se.Reason, se.FieldPath, se.KeywordLocation)
		}
	}
	require.True(t, ok)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return raw, m
}

// openAPIValidator returns a libopenapi validator of rd's document for opts,
// and the document.
func openAPIValidator(t *testing.T, rd *errdoc.Renderer, opts errdoc.OpenAPIOptions) (validator.Validator, []byte) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, rd.WriteOpenAPI(&b, opts))
	doc, err := libopenapi.NewDocument(b.Bytes())
	require.NoError(t, err)
	v, errs := validator.NewValidator(doc)
	require.Empty(t, errs)
	return v, b.Bytes()
}

func TestOpenAPIComponents(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t), DocsURL: "https://api.example.com/docs/errors"})
	raw, doc := openAPI(t, rd, errdoc.OpenAPIOptions{})
	assert.Equal(t, "3.1.0", doc["openapi"])
	assert.Equal(t, []any{map[string]any{"url": "https://api.example.com"}}, doc["servers"], "the server is DocsURL's origin")
	components := doc["components"].(map[string]any)
	for _, s := range []string{"JSONAPIErrors", "ProblemDetails", "TwitterErrors"} {
		assert.Contains(t, components["schemas"], s)
	}
	assert.Contains(t, string(raw), `"$ref": "#/components/schemas/TwitterErrors"`)

	var resp struct {
		Components struct {
			Responses map[string]struct {
				Headers map[string]struct {
					Ref string `json:"$ref"`
				} `json:"headers"`
				Content map[string]struct {
					Examples map[string]struct {
						Value json.RawMessage `json:"value"`
					} `json:"examples"`
				} `json:"content"`
			} `json:"responses"`
			Headers map[string]json.RawMessage `json:"headers"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(raw, &resp))
	headersOf := map[string][]string{
		"too_many_requests":   {"Retry-After", "RateLimit", "RateLimit-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"},
		"enhance_your_calm":   {"Retry-After", "RateLimit", "RateLimit-Policy"},
		"service_unavailable": {"Retry-After"},
		"method_not_allowed":  {"Allow"},
		"unauthorized":        {"WWW-Authenticate"},
		"gone":                {"Sunset", "Link"},
		"not_modified":        {"ETag"},
	}
	for _, e := range rd.Catalog().Entries() {
		r, ok := resp.Components.Responses[e.Code]
		require.True(t, ok, e.Code)
		for _, h := range append([]string{"X-Request-ID"}, headersOf[e.Code]...) {
			assert.Equal(t, "#/components/headers/"+h, r.Headers[h].Ref, "%s declares %s", e.Code, h)
			assert.Contains(t, resp.Components.Headers, h)
		}
		if e.Status == http.StatusNotModified {
			assert.Empty(t, r.Content)
			continue
		}
		assert.Contains(t, r.Headers, "Vary", e.Code)
		requireJSONAPI(t, r.Content[errdoc.MediaTypeJSONAPI].Examples[e.Code].Value)
		requireJSONAPI(t, r.Content[errdoc.MediaTypeJSON].Examples[e.Code].Value)
		assert.Contains(t, string(r.Content[errdoc.MediaTypeJSON].Examples[e.Code+"_twitter"].Value), `"message"`)
		requireProblem(t, r.Content[errdoc.MediaTypeProblem].Examples[e.Code].Value)
	}
	assert.NotContains(t, resp.Components.Headers, "Deprecation", "only referenced headers are emitted")
}

func TestOpenAPIOperations(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t)})
	raw, doc := openAPI(t, rd, testOperations())
	assert.Nil(t, doc["servers"], "a relative DocsURL names no server")

	paths := doc["paths"].(map[string]any)
	get := paths["/items/{id}"].(map[string]any)["get"].(map[string]any)
	assert.Equal(t, "getItemsById", get["operationId"])
	assert.Equal(t, []any{}, get["security"], "public")
	param := get["parameters"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"name": "id", "in": "path", "required": true,
		"schema": map[string]any{"type": "string", "pattern": "^[0-9]+$"}}, param)
	responses := get["responses"].(map[string]any)
	assert.Equal(t, "#/components/responses/internal_error", responses["500"].(map[string]any)["$ref"])
	both := responses["404"].(map[string]any)
	assert.Contains(t, both["description"], "not_found or record_not_found")
	examples := both["content"].(map[string]any)[errdoc.MediaTypeProblem].(map[string]any)["examples"].(map[string]any)
	assert.Contains(t, examples, "not_found")
	assert.Contains(t, examples, "record_not_found")

	del := paths["/items/{id}"].(map[string]any)["delete"].(map[string]any)
	assert.Equal(t, []any{map[string]any{"bearer": []any{}}}, del["security"])
	assert.NotContains(t, del["responses"].(map[string]any)["204"], "content")

	limited := paths["/limited"].(map[string]any)["get"].(map[string]any)["responses"].(map[string]any)["200"].(map[string]any)
	assert.Contains(t, limited["headers"], "RateLimit")
	assert.Contains(t, limited["headers"], "X-Request-ID")

	// Nothing in components is unused: every header, response and schema
	// is the target of a $ref, every security scheme named by an operation.
	refs := map[string]bool{}
	for _, m := range regexp.MustCompile(`"\$ref": "([^"]+)"`).FindAllStringSubmatch(string(raw), -1) {
		refs[m[1]] = true
	}
	components := doc["components"].(map[string]any)
	for _, kind := range []string{"headers", "responses", "schemas"} {
		for name := range components[kind].(map[string]any) {
			assert.True(t, refs["#/components/"+kind+"/"+name], "unused component %s/%s", kind, name)
		}
	}
	for ref := range refs {
		parts := strings.Split(ref, "/")
		require.Len(t, parts, 4, ref)
		assert.Contains(t, components[parts[2]], parts[3], "dangling %s", ref)
	}
	var names []string
	for name := range components["responses"].(map[string]any) {
		names = append(names, name)
	}
	sort.Strings(names)
	assert.Equal(t, []string{"forbidden", "internal_error", "method_not_allowed", "too_many_requests", "unauthorized"}, names,
		"codes sharing a status in one operation are described inline")
}

func TestOpenAPIRejectsInvalidOperations(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	ok := errdoc.Operation{Method: "GET", Path: "/x", Summary: "x"}
	tests := map[string]func(*errdoc.OpenAPIOptions){
		"no summary":          func(o *errdoc.OpenAPIOptions) { o.Operations[0].Summary = "" },
		"relative path":       func(o *errdoc.OpenAPIOptions) { o.Operations[0].Path = "x" },
		"wildcard":            func(o *errdoc.OpenAPIOptions) { o.Operations[0].Path = "/static/*" },
		"unbalanced":          func(o *errdoc.OpenAPIOptions) { o.Operations[0].Path = "/x/{id" },
		"repeated param":      func(o *errdoc.OpenAPIOptions) { o.Operations[0].Path = "/{id}/{id}" },
		"method":              func(o *errdoc.OpenAPIOptions) { o.Operations[0].Method = "BREW" },
		"unknown code":        func(o *errdoc.OpenAPIOptions) { o.Operations[0].Errors = []string{"nope"} },
		"unknown router code": func(o *errdoc.OpenAPIOptions) { o.RouterErrors = []string{"nope"} },
		"unknown header":      func(o *errdoc.OpenAPIOptions) { o.Operations[0].Success.Headers = []string{"X-Nope"} },
		"unknown security":    func(o *errdoc.OpenAPIOptions) { o.Operations[0].Security = []string{"nope"} },
		"error as success":    func(o *errdoc.OpenAPIOptions) { o.Operations[0].Success.Status = 404 },
		"duplicate id":        func(o *errdoc.OpenAPIOptions) { o.Operations = append(o.Operations, ok) },
		"same route twice":    func(o *errdoc.OpenAPIOptions) { o.Operations = append(o.Operations, ok); o.Operations[1].ID = "other" },
		"code with success": func(o *errdoc.OpenAPIOptions) {
			o.Operations[0].Success.Status = 304
			o.Operations[0].Errors = []string{"not_modified"}
		},
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			opts := errdoc.OpenAPIOptions{Operations: []errdoc.Operation{ok}}
			mutate(&opts)
			_, err := rd.OpenAPI(opts)
			assert.ErrorIs(t, err, errdoc.ErrInvalidOperation)
			assert.Panics(t, func() { rd.OpenAPIHandler(opts) })
		})
	}
	_, err := rd.OpenAPI(errdoc.OpenAPIOptions{Operations: []errdoc.Operation{ok}})
	assert.NoError(t, err)
}

// RouterErrors are listed on every operation, once even when the operation
// lists the code itself, and the 405's response carries Allow.
func TestOpenAPIRouterErrors(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	opts := errdoc.OpenAPIOptions{
		RouterErrors: []string{"method_not_allowed", "not_implemented", "not_found"},
		Operations: []errdoc.Operation{
			{Method: "GET", Path: "/a", Summary: "a", Errors: []string{"not_found"}},
			{Method: "POST", Path: "/a", Summary: "b", Errors: []string{"method_not_allowed", "bad_request"}},
		},
	}
	doc, err := rd.OpenAPI(opts)
	require.NoError(t, err)
	a := doc["paths"].(map[string]any)["/a"].(map[string]any)
	for _, method := range []string{"get", "post"} {
		responses := a[method].(map[string]any)["responses"].(map[string]any)
		for _, st := range []string{"404", "405", "501"} {
			assert.Equal(t, "#/components/responses/"+map[string]string{"404": "not_found", "405": "method_not_allowed", "501": "not_implemented"}[st],
				responses[st].(map[string]any)["$ref"], "%s %s", method, st)
		}
	}
	allow := doc["components"].(map[string]any)["responses"].(map[string]any)["method_not_allowed"].(map[string]any)["headers"].(map[string]any)
	assert.Contains(t, allow, "Allow")
}

// TestOpenAPIDescribesTheWire sends real error responses through a server
// and validates each against the document the same renderer publishes:
// status, media type, body schema.
func TestOpenAPIDescribesTheWire(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t), DocsURL: "https://api.example.com/docs/errors"})
	mux := http.NewServeMux()
	mux.Handle("GET /items/{id}", errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		switch r.PathValue("id") {
		case "1":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"1"}`)
			return nil
		case "2":
			return errdoc.New(http.StatusInternalServerError, "db down")
		}
		return errdoc.Coded("record_not_found", "No item "+r.PathValue("id")+".")
	}))
	mux.Handle("GET /limited", errdoc.HandlerFunc(func(http.ResponseWriter, *http.Request) error {
		return errdoc.New(http.StatusTooManyRequests, "Slow down.").SetHeader("Retry-After", "30")
	}))
	// A route group that keeps Twitter's shape: application/json carries
	// TwitterErrors there.
	legacy := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t), Format: errdoc.Twitter, Strict: true})
	mux.Handle("GET /legacy/{id}", legacy.Handler(errdoc.HandlerFunc(func(http.ResponseWriter, *http.Request) error {
		return errdoc.Coded("record_not_found", "No such item.")
	})))
	srv := httptest.NewServer(rd.Handler(mux))
	defer srv.Close()

	opts := testOperations()
	opts.Servers = []errdoc.OpenAPIServer{{URL: srv.URL}}
	opts.Operations = append(opts.Operations, errdoc.Operation{
		Method: "GET", Path: "/legacy/{id}", Summary: "Legacy item", Errors: []string{"record_not_found"},
	})
	v, _ := openAPIValidator(t, rd, opts)

	for _, tc := range []struct {
		path, accept string
		traced       bool
	}{
		{"/items/1", "", false},
		{"/items/7", "", false},
		{"/items/7", errdoc.MediaTypeProblem, false},
		{"/items/7", errdoc.MediaTypeJSONAPI, false},
		{"/items/2", "", false},
		{"/limited", errdoc.MediaTypeProblem, false},
		{"/legacy/7", "", false},
		// With a trace ID in every format.
		{"/items/7", "", true},
		{"/items/7", errdoc.MediaTypeProblem, true},
		{"/legacy/7", "", true},
	} {
		t.Run(fmt.Sprint(tc.path, " ", tc.accept, " traced=", tc.traced), func(t *testing.T) {
			resp, body := getAccept(t, srv, tc.path, tc.accept)
			if tc.traced {
				req, err := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
				require.NoError(t, err)
				if tc.accept != "" {
					req.Header.Set("Accept", tc.accept)
				}
				req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
				resp, err = srv.Client().Do(req)
				require.NoError(t, err)
				body, err = io.ReadAll(resp.Body)
				require.NoError(t, err)
				resp.Body.Close()
				require.Contains(t, string(body), `"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"`)
			}
			if tc.path == "/legacy/7" {
				require.Contains(t, string(body), `"message"`, "the Twitter shape")
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			ok, verrs := v.ValidateHttpResponse(resp.Request, resp)
			for _, e := range verrs {
				t.Errorf("%d %s: %s: %s", resp.StatusCode, body, e.Message, e.Reason)
			}
			assert.True(t, ok)
		})
	}
}

func TestOpenAPIHandler(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t)})
	srv := httptest.NewServer(rd.Handler(rd.OpenAPIHandler(testOperations())))
	defer srv.Close()
	for _, tc := range []struct{ accept, ct string }{
		{"", "application/json"},
		{"application/json", "application/json"},
		{"application/vnd.oai.openapi+json, application/json;q=0.5", "application/vnd.oai.openapi+json;version=3.1.0"},
	} {
		resp, body := getAccept(t, srv, "", tc.accept)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, tc.ct, resp.Header.Get("Content-Type"), tc.accept)
		assert.Equal(t, "Accept", resp.Header.Get("Vary"))
		assert.NotEmpty(t, resp.Header.Get("ETag"))
		var doc map[string]any
		require.NoError(t, json.Unmarshal(body, &doc))
		assert.Contains(t, doc["paths"], "/limited")
	}
	requireDistinctOpenAPITags(t, srv.URL)
}

// requireDistinctOpenAPITags checks that the OpenAPI document served as
// application/json and as application/vnd.oai.openapi+json, one body with
// two Content-Types, has two strong ETags (RFC 9110 §8.8.3): a
// revalidation with one type's tag gets the other type in full, not a 304.
func requireDistinctOpenAPITags(t *testing.T, url string) {
	t.Helper()
	get := func(accept, inm string) (*http.Response, []byte) {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		require.NoError(t, err)
		req.Header.Set("Accept", accept)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, body
	}
	plain, plainBody := get("application/json", "")
	vendor, vendorBody := get("application/vnd.oai.openapi+json", "")
	require.Equal(t, plainBody, vendorBody, "one body")
	require.NotEqual(t, plain.Header.Get("Content-Type"), vendor.Header.Get("Content-Type"))
	assert.NotEqual(t, plain.Header.Get("ETag"), vendor.Header.Get("ETag"), "two representations, two strong tags")

	cross, _ := get("application/vnd.oai.openapi+json", plain.Header.Get("ETag"))
	assert.Equal(t, http.StatusOK, cross.StatusCode, "the JSON tag does not revalidate the vendor type")
	assert.Equal(t, vendor.Header.Get("Content-Type"), cross.Header.Get("Content-Type"))
	same, _ := get("application/vnd.oai.openapi+json", vendor.Header.Get("ETag"))
	assert.Equal(t, http.StatusNotModified, same.StatusCode, "its own tag still does")
}

// TestOpenAPIDeclaresWhatMiddlewaresSend makes the library's own middlewares
// answer with errors on a real server and checks that every header they send
// is declared on the response the document gives that code.
func TestOpenAPIDeclaresWhatMiddlewaresSend(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	r := chi.NewRouter()
	r.Use(rd.Handler)
	middleware.Routing(r)
	ok := func(http.ResponseWriter, *http.Request) {}
	r.With(ratelimit.New(1, time.Minute)).Get("/limited", ok)
	r.With(ratelimit.Legacy(1, time.Minute)).Get("/legacy", ok)
	r.Post("/items", ok)
	srv := httptest.NewServer(r)
	defer srv.Close()

	_, raw := openAPIValidator(t, rd, errdoc.OpenAPIOptions{})
	var doc struct {
		Components struct {
			Responses map[string]struct {
				Headers map[string]any `json:"headers"`
			} `json:"responses"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	// Headers of every response, not about the error: representation
	// metadata and net/http's own.
	generic := map[string]bool{"Content-Type": true, "Content-Length": true, "X-Content-Type-Options": true, "Date": true}

	for _, tc := range []struct {
		method, path, code string
		times              int
	}{
		{"GET", "/limited", "too_many_requests", 2},
		{"GET", "/legacy", "enhance_your_calm", 2},
		{"GET", "/items", "method_not_allowed", 1},
		{"GET", "/nope", "not_found", 1},
		{"FOO", "/items", "not_implemented", 1},
	} {
		t.Run(tc.code, func(t *testing.T) {
			var resp *http.Response
			for range tc.times {
				req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
				require.NoError(t, err)
				resp, err = srv.Client().Do(req)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			declared := doc.Components.Responses[tc.code].Headers
			require.NotNil(t, declared, tc.code)
			sent := 0
			for name := range resp.Header {
				if generic[name] {
					continue
				}
				sent++
				found := false
				for d := range declared {
					found = found || http.CanonicalHeaderKey(d) == name
				}
				assert.True(t, found, "%s sends %s, which the document does not declare", tc.code, name)
			}
			assert.NotZero(t, sent)
		})
	}
}
