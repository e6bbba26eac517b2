package main

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoRoutingAndDocs checks DEMO.md rows 25-27 on the real server: the
// page in HTML and Markdown, HEAD on GET routes, 501 for a method no route
// knows. (Row 7's 405 needs a route with DELETE somewhere in the demo, which
// row 22 brings; until then DELETE is a method no route knows: 501.)
func TestDemoRoutingAndDocs(t *testing.T) {
	base, _ := startDemo(t)

	t.Run("row 25 the page for a browser and for Markdown", func(t *testing.T) {
		resp, body := get(t, base+"/docs/errors", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Contains(t, resp.Header.Values("Vary"), "Accept")
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
	t.Run("row 27 a method no route knows", func(t *testing.T) {
		for _, path := range []string{"/v1/items", "/nope"} {
			resp, _ := do("FOO", path)
			assert.Equal(t, 501, resp.StatusCode, path)
			assert.Empty(t, resp.Header.Get("Allow"), path)
		}
	})
}
