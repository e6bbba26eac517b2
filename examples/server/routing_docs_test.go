package main

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoRoutingAndDocs checks DEMO.md rows 25-27 and 31 on the real
// server: the page in HTML and Markdown, HEAD on GET routes, 501 for a
// method the server does not recognise, OPTIONS answered with Allow.
func TestDemoRoutingAndDocs(t *testing.T) {
	base, _ := startDemo(t)

	t.Run("row 25 the page for a browser and for Markdown", func(t *testing.T) {
		resp, body := get(t, base+"/docs/errors", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Contains(t, varyTokens(resp.Header), "Accept")
		assert.Contains(t, string(body), `<tr id="record_not_found">`)
		resp, body = get(t, base+"/docs/errors", "Accept", "text/markdown")
		assert.Equal(t, "text/markdown; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Contains(t, string(body), `<a id="record_not_found"></a>404`)
	})

	do := func(method, path string) (*http.Response, []byte) {
		req, err := http.NewRequest(method, base+path, nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, body
	}
	t.Run("row 26 HEAD", func(t *testing.T) {
		for _, path := range []string{"/healthz", "/v1/items", "/v1/items/1", "/docs/errors"} {
			resp, body := do(http.MethodHead, path)
			assert.Equal(t, 200, resp.StatusCode, path)
			assert.Empty(t, body, path)
		}
	})
	t.Run("row 27 a method the server does not recognise", func(t *testing.T) {
		resp, _ := do("FOO", "/v1/items")
		assert.Equal(t, 501, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("Allow"))
		// A path that does not exist is 404 for every method.
		resp, _ = do("FOO", "/nope")
		assert.Equal(t, 404, resp.StatusCode)
	})
	t.Run("row 31 OPTIONS", func(t *testing.T) {
		resp, body := do(http.MethodOptions, "/v1/items")
		assert.Equal(t, 204, resp.StatusCode)
		assert.Equal(t, "GET, HEAD, POST, OPTIONS", resp.Header.Get("Allow"))
		assert.Empty(t, body)
		resp, _ = do(http.MethodOptions, "/v1/nope")
		assert.Equal(t, 404, resp.StatusCode)
		// A standard method the path does not serve is 405, even one no
		// route of the demo takes.
		resp, _ = do(http.MethodPatch, "/healthz")
		assert.Equal(t, 405, resp.StatusCode)
		assert.Equal(t, "GET, HEAD, OPTIONS", resp.Header.Get("Allow"))
	})
}
