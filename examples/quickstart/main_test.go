package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-chi/chi/v5"

	"github.com/faultline-go/faultline/examples/internal/readme"
)

// TestREADME checks that the README's first snippet is this program's code.
func TestREADME(t *testing.T) {
	readme.Check(t, "../../README.md", "## Add it to a chi router", "main.go")
	readme.Check(t, "../../README.md", "## The catalog", "catalog.go")
}

// The catalog snippet: an extended catalog, a code checked at start-up.
func TestCatalogSnippet(t *testing.T) {
	r := chi.NewRouter()
	r.Use(renderer.Handler)
	r.Get("/records/{id}", getRecord)
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/records/7", nil))
	require.Equal(t, http.StatusNotFound, rec.Code)
	assert.Contains(t, rec.Body.String(), `"code":"record_not_found"`)
	assert.NoError(t, catalog.Check("record_not_found", "not_found"))
}

// The quick start on a real server, asked by the trusted browser origin:
// every answer is readable by the page, and carries one request ID.
func TestQuickstart(t *testing.T) {
	srv := httptest.NewServer(newRouter())
	defer srv.Close()
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/v1/items/1", 200, ""},
		{"GET", "/v1/items/999", 404, "not_found"},
		{"GET", "/nope", 404, "not_found"},
		{"POST", "/v1/items/1", 405, "method_not_allowed"},
		{"OPTIONS", "/v1/items/1", 204, ""},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		require.NoError(t, err)
		req.Header.Set("Origin", "https://app.example.com")
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, tc.status, resp.StatusCode, "%s %s: %s", tc.method, tc.path, body)
		assert.Equal(t, "https://app.example.com", resp.Header.Get("Access-Control-Allow-Origin"), tc.path)
		id := resp.Header.Get("X-Request-ID")
		assert.NotEmpty(t, id)
		assert.Contains(t, id, "/", "chi's RequestID made the ID (host/prefix-counter): %s", id)
		if tc.code == "" {
			continue
		}
		var doc struct {
			Errors []struct{ ID, Code string }
		}
		require.NoError(t, json.Unmarshal(body, &doc), "%s", body)
		assert.Equal(t, tc.code, doc.Errors[0].Code)
		assert.Equal(t, id, doc.Errors[0].ID, "the document's ID is the header's")
		assert.True(t, strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Expose-Headers")), "retry-after"))
	}
}
