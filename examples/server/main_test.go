package main

import (
	"context"
	"encoding/json"
	"github.com/faultline-go/faultline/internal/logbuf"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type lockedBuffer = logbuf.Buffer

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
	return do(t, http.MethodGet, url, nil, header...)
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

// The server logs JSON, one access record per request carrying the request
// ID that the error document shows, so a quoted ID finds its request.
func TestAccessLogCarriesRequestID(t *testing.T) {
	base, logs := startDemo(t)
	resp, _ := get(t, base+"/v1/items/999", "X-Request-ID", "log-me-1")
	require.Equal(t, 404, resp.StatusCode)
	found := false
	for _, line := range strings.Split(logs.String(), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), "every log line is JSON: %s", line)
		if rec["msg"] == "request" && rec["request_id"] == "log-me-1" {
			found = true
			assert.Equal(t, "/v1/items/{id}", rec["route"])
			assert.Equal(t, float64(404), rec["status"])
			assert.Equal(t, "GET", rec["method"])
		}
	}
	assert.True(t, found, "an access record for log-me-1 in %s", logs.String())
}

// The documents' links name an address a client can reach: the listen
// address, localhost for a wildcard one, or -base-url.
func TestPublicBase(t *testing.T) {
	tcp := func(s string) net.Addr { return net.TCPAddrFromAddrPort(netip.MustParseAddrPort(s)) }
	for _, tc := range []struct {
		listen  net.Addr
		baseURL string
		want    string
		err     bool
	}{
		{tcp("127.0.0.1:8080"), "", "http://127.0.0.1:8080", false},
		{tcp("[::1]:8080"), "", "http://[::1]:8080", false},
		{tcp("0.0.0.0:8080"), "", "http://localhost:8080", false},
		{tcp("[::]:8080"), "", "http://localhost:8080", false},
		{tcp("0.0.0.0:8080"), "https://api.example.com/", "https://api.example.com", false},
		{tcp("0.0.0.0:8080"), "https://api.example.com/demo", "https://api.example.com/demo", false},
		{tcp("0.0.0.0:8080"), "api.example.com", "", true},
		{tcp("0.0.0.0:8080"), "ftp://api.example.com", "", true},
		{tcp("0.0.0.0:8080"), "https://api.example.com/?x=1", "", true},
		{tcp("0.0.0.0:8080"), "https://u:p@api.example.com", "", true},
	} {
		got, err := publicBase(tc.listen, tc.baseURL)
		if tc.err {
			assert.Error(t, err, tc.baseURL)
			continue
		}
		require.NoError(t, err, tc.baseURL)
		assert.Equal(t, tc.want, got, "%v %q", tc.listen, tc.baseURL)
	}
}

func TestCORSOriginFlagIsChecked(t *testing.T) {
	for _, bad := range []string{"localhost:5173", "ftp://x", "http://app.example.com/path", "http://", "*"} {
		var stderr lockedBuffer
		err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-cors-origin", bad}, func(string) string { return "" }, &stderr, nil)
		assert.ErrorContains(t, err, "-cors-origin", bad)
	}
}
