package demo_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/faultline-go/faultline/examples/demo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Rows 19, 20 and 30 over a real server: three limiters on one counter,
// each with its own budget.
func TestLimitRows(t *testing.T) {
	srv := httptest.NewServer(demo.NewRouter(demo.Config{}))
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		resp, err := srv.Client().Get(srv.URL + path)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(body)
	}
	// burst sends n requests, requires all but the last to succeed, and
	// returns the last.
	burst := func(path string, n int) (*http.Response, string) {
		for i := 1; i < n; i++ {
			resp, _ := get(path)
			require.Equal(t, 200, resp.StatusCode, "%s request %d", path, i)
		}
		return get(path)
	}
	resp, body := burst("/1.1/search.json", 4)
	assert.Equal(t, 420, resp.StatusCode)
	assert.JSONEq(t, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, body)
	assert.Equal(t, `"search-1.1";q=3;w=60`, resp.Header.Get("RateLimit-Policy"))
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))

	// The other search route has a budget of its own.
	resp, body = burst("/v1/search", 4)
	assert.Equal(t, 420, resp.StatusCode)
	assert.Contains(t, body, `"title":"Enhance Your Calm"`)

	resp, _ = burst("/v1/limited", 6)
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, `"default";q=5;w=60`, resp.Header.Get("RateLimit-Policy"))
}
