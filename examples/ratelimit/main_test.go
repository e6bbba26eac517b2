package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/faultline-go/faultline/ratelimit"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// status gets url and returns the response, its body read and closed.
func status(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestMountings(t *testing.T) {
	h, err := newHandler(ratelimit.NewMemoryCounter(ratelimit.MemoryOptions{}))
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	t.Run("router-wide", func(t *testing.T) {
		resp, body := status(t, srv.URL+"/items")
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "items\n", body)
		assert.Equal(t, `"client";q=100;w=60`, resp.Header.Get("RateLimit-Policy"))
		assert.Regexp(t, `^"client";r=99;t=\d+$`, resp.Header.Get("RateLimit"), "99 remaining")
	})
	t.Run("route group", func(t *testing.T) {
		for i := range 3 {
			resp, _ := status(t, srv.URL+"/search")
			require.Equal(t, 200, resp.StatusCode, "search %d", i+1)
			assert.Equal(t, `"search";q=3;w=60`, resp.Header.Get("RateLimit-Policy"), "the group's limiter answers last")
		}
		resp, body := status(t, srv.URL+"/search")
		assert.Equal(t, 429, resp.StatusCode)
		assert.Contains(t, body, `"code":"too_many_requests"`)
		wait, err := strconv.Atoi(resp.Header.Get("Retry-After"))
		require.NoError(t, err)
		// Exact for the sliding window: the 3 searches of this minute weigh
		// on the next one until a third of it has passed.
		assert.True(t, wait >= 20 && wait <= 80, "Retry-After %d", wait)
	})
	t.Run("plain handler", func(t *testing.T) {
		for i := range 2 {
			resp, body := status(t, srv.URL+"/std/export")
			require.Equal(t, 200, resp.StatusCode, "export %d", i+1)
			assert.Equal(t, "export\n", body)
		}
		resp, body := status(t, srv.URL+"/std/export")
		assert.Equal(t, 429, resp.StatusCode)
		assert.Equal(t, `"export";q=2;w=3600`, resp.Header.Get("RateLimit-Policy"))
		assert.Contains(t, body, `"code":"too_many_requests"`)
	})
}

// TestInstancesShareRedis runs two instances of the service, each with its
// own Redis client and counter, as two processes would have: a client's
// searches count against one budget whichever instance serves them.
func TestInstancesShareRedis(t *testing.T) {
	addr := startRedis(t)
	instance := func() string {
		// main's 100ms, made generous for a loaded machine: a call that
		// timed out would admit a search uncounted (FailOpen).
		shared, rdb, err := newRedisCounter(addr, 2*time.Second)
		require.NoError(t, err)
		t.Cleanup(func() { _ = rdb.Close() })
		h, err := newHandler(shared)
		require.NoError(t, err)
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	a, b := instance(), instance()

	for i, base := range []string{a, b, a} {
		resp, _ := status(t, base+"/search")
		require.Equal(t, 200, resp.StatusCode, "search %d", i+1)
	}
	for _, base := range []string{b, a} {
		resp, body := status(t, base+"/search")
		assert.Equal(t, 429, resp.StatusCode, "the budget of 3 is spent on both instances")
		assert.Contains(t, body, `"code":"too_many_requests"`)
	}
	resp, _ := status(t, b+"/items")
	assert.Regexp(t, `^"client";r=94;t=\d+$`, resp.Header.Get("RateLimit"), "the router-wide limiter counted all six requests")
}

// startRedis starts redis-server on a free loopback port for the test, or
// skips the test when the binary is missing.
func startRedis(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server is not on PATH (Debian: apt-get install redis-server); skipping the shared-Redis test")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	require.NoError(t, ln.Close())

	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := "127.0.0.1:" + port
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	require.Eventually(t, func() bool { return rdb.Ping(context.Background()).Err() == nil },
		10*time.Second, 10*time.Millisecond, "redis-server did not answer on %s", addr)
	return addr
}
