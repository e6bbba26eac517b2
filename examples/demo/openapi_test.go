package demo_test

import (
	"cmp"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/examples/demo"
	"github.com/go-chi/chi/v5"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The OpenAPI document the demo serves describes exactly the routes it
// serves (no more, no fewer), and a real OpenAPI 3.1 validator accepts it.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	h := demo.NewRouter(demo.Config{DocsURL: "http://127.0.0.1:8080/docs/errors"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/docs/openapi.json", nil))
	require.Equal(t, http.StatusOK, rec.Code)

	parsed, err := libopenapi.NewDocument(rec.Body.Bytes())
	require.NoError(t, err)
	v, errs := validator.NewValidator(parsed)
	require.Empty(t, errs)
	valid, verrs := v.ValidateDocument()
	require.True(t, valid, "%v", verrs)

	var doc struct {
		Servers []struct{ URL string }
		Paths   map[string]map[string]json.RawMessage
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	require.NotEmpty(t, doc.Servers)
	assert.Equal(t, "http://127.0.0.1:8080", doc.Servers[0].URL, "the server is the demo's own origin")
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}

	var served []string
	require.NoError(t, chi.Walk(h.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.ReplaceAll(route, "/*/", "/") // chi.Walk's spelling of Route groups
		served = append(served, method+" "+route)
		return nil
	}))
	sort.Strings(served)
	sort.Strings(documented)
	assert.Equal(t, served, documented)
}

// Every status the demo answers on a route is one its operation documents:
// each request below is sent to the demo, and the status it gets must be
// the operation's success or the status of one of the catalog codes it
// lists. (A body slower than the 10 s read limit, 408 on POST /v1/items,
// is listed but not sent here.)
func TestOpenAPIListsEveryStatusARouteAnswers(t *testing.T) {
	h := demo.NewRouter(demo.Config{Logger: slog.New(slog.DiscardHandler)})
	cat := demo.Catalog()
	ops := demo.OpenAPI(nil).Operations
	const item = `{"name":"gear","quantity":1}`
	for _, tc := range []struct {
		method, path, op string // op: the operation's path
		body             string
		hdr              []string
		want             int
	}{
		{"GET", "/v1/items", "/v1/items", "", nil, 200},
		{"GET", "/v1/items", "/v1/items", "", []string{"If-None-Match", "*"}, 304},
		{"GET", "/v1/items", "/v1/items", "", []string{"If-Match", `"x"`}, 412},
		{"GET", "/v1/items", "/v1/items", "", []string{"Accept", "application/xml"}, 406},
		{"POST", "/v1/items", "/v1/items", item, []string{"If-Match", `"x"`}, 412},
		{"POST", "/v1/items", "/v1/items", "x", []string{"Content-Type", "text/plain"}, 415},
		{"POST", "/v1/items", "/v1/items", `{"name":""}`, nil, 422},
		{"POST", "/v1/items", "/v1/items", `{"name":"` + strings.Repeat("x", 2<<20) + `"}`, nil, 413},
		{"POST", "/v1/items", "/v1/items", item, nil, 201},
		{"GET", "/v1/items/1", "/v1/items/{id}", "", []string{"If-None-Match", "*"}, 304},
		{"GET", "/v1/items/1", "/v1/items/{id}", "", []string{"If-Match", `"x"`}, 412},
		{"GET", "/v1/items/999", "/v1/items/{id}", "", nil, 404},
		{"DELETE", "/v1/items/1", "/v1/items/{id}", "", nil, 401},
		{"DELETE", "/v1/items/1", "/v1/items/{id}", "", []string{"Authorization", "Bearer"}, 400},
		{"DELETE", "/v1/items/1", "/v1/items/{id}", "", []string{"Authorization", "Bearer reader"}, 403},
		{"DELETE", "/v1/items/1", "/v1/items/{id}", "", []string{"Authorization", "Bearer admin", "Accept", "application/xml"}, 406},
		{"DELETE", "/v1/items/1", "/v1/items/{id}", "", []string{"Authorization", "Bearer admin", "If-Match", `"x"`}, 412},
		{"DELETE", "/v1/items/999", "/v1/items/{id}", "", []string{"Authorization", "Bearer admin"}, 404},
		{"GET", "/v1/private", "/v1/private", "", []string{"Authorization", "Bearer"}, 400},
		{"GET", "/v1/private", "/v1/private", "", []string{"Authorization", "Basic eDp5"}, 401},
		{"GET", "/v1/private", "/v1/private", "", []string{"Authorization", "Bearer reader", "If-None-Match", "*"}, 304},
		{"GET", "/v1/private", "/v1/private", "", []string{"Authorization", "Bearer reader", "If-Match", `"x"`}, 412},
		{"GET", "/v1/limited", "/v1/limited", "", []string{"If-None-Match", "*"}, 304},
		{"GET", "/v1/search", "/v1/search", "", []string{"If-Match", `"x"`}, 412},
		{"GET", "/v1/panic", "/v1/panic", "", nil, 500},
		{"GET", "/v1/legacy", "/v1/legacy", "", nil, 410},
		{"GET", "/v1/maintenance", "/v1/maintenance", "", nil, 503},
		{"GET", "/v1/work", "/v1/work", "", nil, 200},
		{"GET", "/v1/work/batch", "/v1/work/batch", "", []string{"If-None-Match", "*"}, 304},
		{"GET", "/v1/work/limiter", "/v1/work/limiter", "", nil, 200},
		{"GET", "/1.1/items/999.json", "/1.1/items/{id}.json", "", nil, 404},
		{"GET", "/docs/errors", "/docs/errors", "", []string{"Accept", "image/png"}, 406},
		{"GET", "/docs/openapi.json", "/docs/openapi.json", "", []string{"Accept", "text/html"}, 406},
	} {
		name := tc.method + " " + tc.path + " " + strings.Join(tc.hdr, " ")
		req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
		if tc.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(tc.hdr); i += 2 {
			req.Header.Set(tc.hdr[i], tc.hdr[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, tc.want, rec.Code, "%s: %s", name, rec.Body)

		var documented []int
		for _, op := range ops {
			if op.Method != tc.method || op.Path != tc.op {
				continue
			}
			documented = append(documented, cmp.Or(op.Success.Status, http.StatusOK))
			for _, code := range op.Errors {
				e, ok := cat.Lookup(code)
				require.True(t, ok, "%s lists %q, not in the catalog", tc.op, code)
				documented = append(documented, e.Status)
			}
		}
		require.NotEmpty(t, documented, "no operation %s %s", tc.method, tc.op)
		assert.Contains(t, documented, tc.want, "%s %s answers %d; the document lists %v", tc.method, tc.op, tc.want, documented)
	}
}

// The router's own answers (405 with Allow for a method a path does not
// serve, 501 for a method no route knows, 404 for a path no route
// matches) are declared by the document: each is what the demo answers,
// and every operation lists it, with Allow on the 405.
func TestOpenAPIDeclaresTheRoutersAnswers(t *testing.T) {
	h := demo.NewRouter(demo.Config{Logger: slog.New(slog.DiscardHandler)})
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"DELETE", "/v1/items", http.StatusMethodNotAllowed},
		{"POST", "/docs/errors", http.StatusMethodNotAllowed},
		{"FOO", "/v1/items", http.StatusNotImplemented},
		{"GET", "/v1/nope", http.StatusNotFound},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		require.Equal(t, tc.want, rec.Code, "%s %s", tc.method, tc.path)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/docs/openapi.json", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	var doc struct {
		Paths      map[string]map[string]struct{ Responses map[string]json.RawMessage }
		Components struct {
			Responses map[string]struct{ Headers map[string]json.RawMessage }
		}
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	assert.Contains(t, doc.Components.Responses["method_not_allowed"].Headers, "Allow")
	assert.Contains(t, doc.Components.Responses, "not_implemented")
	ops := 0
	for path, item := range doc.Paths {
		for method, op := range item {
			ops++
			for _, status := range []string{"404", "405", "501"} {
				assert.Contains(t, op.Responses, status, "%s %s", method, path)
			}
		}
	}
	assert.Equal(t, len(demo.OpenAPI(nil).Operations), ops)
}
