package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// Rows 2, 3, 16, 17, 18 and 24 of the demo contract: the response side.
func TestDemoResponses(t *testing.T) {
	// Registered first, so it runs after the server's own cleanup: the
	// slow handler and the demo's upstream stop with the server.
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	base, logs := startDemo(t)

	var etag string
	t.Run("row 2 items with an ETag", func(t *testing.T) {
		resp, body := get(t, base+"/v1/items")
		assert.Equal(t, 200, resp.StatusCode)
		assert.JSONEq(t, `[{"id":"1","name":"bolt","quantity":3},{"id":"2","name":"nut","quantity":10},{"id":"3","name":"washer","quantity":25}]`, string(body))
		etag = resp.Header.Get("ETag")
		assert.Regexp(t, `^"[A-Za-z0-9_-]+"$`, etag)
	})
	t.Run("row 3 If-None-Match", func(t *testing.T) {
		resp, body := get(t, base+"/v1/items", "If-None-Match", etag)
		assert.Equal(t, 304, resp.StatusCode)
		assert.Empty(t, body)
		assert.Equal(t, etag, resp.Header.Get("ETag"))
		resp, _ = get(t, base+"/v1/items", "If-None-Match", `"stale"`)
		assert.Equal(t, 200, resp.StatusCode)
	})
	t.Run("row 16 slow handler", func(t *testing.T) {
		start := time.Now()
		resp, body := get(t, base+"/v1/slow", "X-Request-ID", "demo-16")
		elapsed := time.Since(start)
		assert.Equal(t, 504, resp.StatusCode)
		assert.Contains(t, string(body), `"code":"gateway_timeout"`)
		assert.GreaterOrEqual(t, elapsed, time.Second)
		// About 1 s: far from the handler's 5 s, with room for a busy machine.
		assert.Less(t, elapsed, 3*time.Second)
	})
	t.Run("row 17 upstream timeout", func(t *testing.T) {
		resp, body := get(t, base+"/v1/upstream/timeout", "X-Request-ID", "demo-17")
		assert.Equal(t, 504, resp.StatusCode)
		assert.Contains(t, string(body), `"code":"gateway_timeout"`)
		addr := upstreamInLog(t, logs.String(), "demo-17")
		assert.NotContains(t, string(body), addr)
	})
	t.Run("row 18 upstream down", func(t *testing.T) {
		resp, body := get(t, base+"/v1/upstream/down", "X-Request-ID", "demo-18", "Accept", "application/problem+json")
		assert.Equal(t, 502, resp.StatusCode)
		assert.Contains(t, string(body), `"code":"bad_gateway"`)
		addr := upstreamInLog(t, logs.String(), "demo-18")
		for _, leak := range []string{addr, strings.TrimPrefix(addr, "http://127.0.0.1"), "refused", "dial", "tcp"} {
			assert.NotContains(t, string(body), leak)
		}
		assert.Contains(t, logs.String(), "connection refused", "the log keeps the raw error")
	})
	t.Run("row 24 maintenance", func(t *testing.T) {
		resp, body := get(t, base+"/v1/maintenance")
		assert.Equal(t, 503, resp.StatusCode)
		assert.Equal(t, "120", resp.Header.Get("Retry-After"))
		assert.Contains(t, string(body), "down for maintenance")
	})
	t.Run("the catalog page lists 412", func(t *testing.T) {
		_, body := get(t, base+"/docs/errors")
		assert.Contains(t, string(body), "precondition_failed")
	})
}

// upstreamInLog returns the upstream address the log record of request id
// names ("upstream http://127.0.0.1:port failed: ...").
func upstreamInLog(t *testing.T, logs, id string) string {
	t.Helper()
	// The server logs JSON: find the renderer's record of the request (the
	// one that names the upstream, not the access record).
	line := regexp.MustCompile(`.*"request_id":"` + regexp.QuoteMeta(id) + `".*upstream.*`).FindString(logs)
	require.NotEmpty(t, line, "the failure is logged with the request ID")
	m := regexp.MustCompile(`upstream (http://127\.0\.0\.1:\d+) failed`).FindStringSubmatch(line)
	require.Len(t, m, 2, "the log names the upstream: %s", line)
	return m[1]
}
