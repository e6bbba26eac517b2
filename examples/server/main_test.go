package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// startDemo runs the real server on a free loopback port and stops it when
// the test ends.
func startDemo(t *testing.T, args ...string) (string, *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	logs := &lockedBuffer{}
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), func(string) string { return "" }, logs, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		http.DefaultClient.CloseIdleConnections()
	})
	return "http://" + addr, logs
}

func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func TestDemoContract(t *testing.T) {
	// Registered first, so it runs after the server's own cleanup.
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	base, logs := startDemo(t)
	t.Cleanup(func() {
		assert.Contains(t, logs.String(), "hunter2", "the panic value reaches the log, and only the log")
	})

	t.Run("row 1 healthz", func(t *testing.T) {
		resp, _ := get(t, base+"/healthz")
		assert.Equal(t, 200, resp.StatusCode)
	})
	t.Run("row 4 item", func(t *testing.T) {
		resp, body := get(t, base+"/v1/items/1")
		assert.Equal(t, 200, resp.StatusCode)
		assert.JSONEq(t, `{"id":"1","name":"bolt","quantity":3}`, string(body))
	})
	t.Run("row 5 record not found", func(t *testing.T) {
		resp, body := get(t, base+"/v1/items/999", "X-Request-ID", "demo-5")
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "demo-5", resp.Header.Get("X-Request-ID"))
		var doc struct {
			Errors []struct{ ID, Status, Code, Title, Detail string }
		}
		require.NoError(t, json.Unmarshal(body, &doc))
		require.Len(t, doc.Errors, 1)
		e := doc.Errors[0]
		assert.Equal(t, "demo-5", e.ID)
		assert.Equal(t, "404", e.Status)
		assert.Equal(t, "record_not_found", e.Code)
		assert.Equal(t, "Record not found", e.Title)
		assert.Contains(t, e.Detail, "999")
	})
	t.Run("row 5 as problem details", func(t *testing.T) {
		resp, body := get(t, base+"/v1/items/999", "Accept", "application/problem+json", "X-Request-ID", "demo-5p")
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
		var p map[string]any
		require.NoError(t, json.Unmarshal(body, &p))
		assert.Equal(t, float64(404), p["status"])
		assert.Equal(t, "demo-5p", p["request_id"])
		assert.Equal(t, "urn:faultline:request:demo-5p", p["instance"], "absolute: no client resolves it against the URL")
		assert.Equal(t, base+"/docs/errors#record_not_found", p["type"])
	})
	t.Run("row 6 no such route", func(t *testing.T) {
		resp, body := get(t, base+"/v1/nope")
		assert.Equal(t, 404, resp.StatusCode)
		assert.Contains(t, string(body), `"code":"not_found"`)
		assert.Len(t, resp.Header.Get("X-Request-ID"), 24, "a generated request ID")
	})
	t.Run("row 15 panic", func(t *testing.T) {
		resp, body := get(t, base+"/v1/panic", "X-Request-ID", "demo-15")
		assert.Equal(t, 500, resp.StatusCode)
		assert.Contains(t, string(body), `"code":"internal_error"`)
		assert.Contains(t, string(body), `"id":"demo-15"`)
		assert.NotContains(t, string(body), "hunter2")
		assert.NotContains(t, string(body), "panic")
	})
	t.Run("row 19 rate limit", func(t *testing.T) {
		for i := 1; i <= 6; i++ {
			resp, body := get(t, base+"/v1/limited")
			if i <= 5 {
				require.Equal(t, 200, resp.StatusCode, "request %d", i)
				continue
			}
			assert.Equal(t, 429, resp.StatusCode)
			assert.NotEmpty(t, resp.Header.Get("Retry-After"))
			assert.Equal(t, `"default";q=5;w=60`, resp.Header.Get("RateLimit-Policy"))
			assert.Regexp(t, `^"default";r=0;t=\d+$`, resp.Header.Get("RateLimit"))
			assert.Contains(t, string(body), `"code":"too_many_requests"`)
		}
	})
	t.Run("row 19 forwarding headers do not evade the limit", func(t *testing.T) {
		resp, _ := get(t, base+"/v1/limited", "X-Forwarded-For", "198.51.100.77")
		assert.Equal(t, 429, resp.StatusCode)
	})
	t.Run("row 20 enhance your calm", func(t *testing.T) {
		for i := 1; i <= 4; i++ {
			resp, body := get(t, base+"/v1/search")
			if i <= 3 {
				require.Equal(t, 200, resp.StatusCode, "request %d", i)
				continue
			}
			assert.Equal(t, 420, resp.StatusCode)
			assert.Contains(t, string(body), `"title":"Enhance Your Calm"`)
		}
	})
	t.Run("row 25 docs page", func(t *testing.T) {
		resp, body := get(t, base+"/docs/errors")
		assert.Equal(t, 200, resp.StatusCode)
		for _, code := range []string{"304", "400", "401", "403", "404", "405", "406", "410", "413", "415", "420", "422", "429", "500", "502", "503", "504"} {
			assert.Contains(t, string(body), "></a>"+code+" | ", "page lists %s", code)
		}
		assert.Contains(t, string(body), "Record not found")
	})
}

func TestAddressFromEnvironmentAndFlag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	env := func(k string) string {
		if k == "ADDR" {
			return "127.0.0.1:0"
		}
		return ""
	}
	go func() { done <- run(ctx, nil, env, io.Discard, ready) }()
	addr := <-ready
	assert.True(t, strings.HasPrefix(addr, "127.0.0.1:"))
	cancel()
	require.NoError(t, <-done)

	// The flag wins over the environment: a bad ADDR is never used.
	env = func(string) string { return "256.0.0.1:bad" }
	ctx, cancel = context.WithCancel(context.Background())
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, env, io.Discard, ready) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(5 * time.Second):
		t.Fatal("server did not start")
	}
	cancel()
	require.NoError(t, <-done)

	assert.Error(t, run(context.Background(), []string{"-addr", "256.0.0.1:bad"}, env, io.Discard, nil))
}
