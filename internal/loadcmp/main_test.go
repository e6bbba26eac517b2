package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// With LOADCMP_FAKE_WRK set, the test binary acts as wrk (see fakeWrk), so
// that the tests run the whole comparison against the real servers without
// wrk installed and without loading the machine.
func TestMain(m *testing.M) {
	if logPath := os.Getenv("LOADCMP_FAKE_WRK"); logPath != "" {
		os.Exit(fakeWrk(os.Args[1:], logPath))
	}
	goleak.VerifyTestMain(m)
}

// fakeWrk requests the URL (its last argument) once, appends the URL to
// logPath, and prints wrk's report of 3000 requests with that status.
func fakeWrk(args []string, logPath string) int {
	if len(args) == 1 && args[0] == "-v" {
		fmt.Println("wrk fake [test] Copyright (C) nobody")
		return 1
	}
	url := args[len(args)-1]
	resp, err := http.Get(url)
	if err != nil {
		fmt.Println("unable to connect:", err)
		return 1
	}
	resp.Body.Close()
	f, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return 1
	}
	fmt.Fprintln(f, url)
	f.Close()
	non2xx := ""
	if resp.StatusCode >= 400 {
		non2xx = "  Non-2xx or 3xx responses: 3000\n"
	}
	fmt.Printf(`Running 1s test @ %s
  Latency Distribution
     50%%  500.00us
     99%%    2.00ms
  3000 requests in 1.00s, 1.00MB read
%sRequests/sec:   3000.00
`, url, non2xx)
	return 0
}

func TestCompareReversesOrderAndChecksStatuses(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "wrk.log")
	t.Setenv("LOADCMP_FAKE_WRK", logPath)
	t.Setenv("GORACE", "atexit_sleep_ms=0") // a race-enabled fake wrk would sleep a second at exit
	self, err := os.Executable()
	require.NoError(t, err)

	port := func(u string) string { return strings.SplitN(strings.TrimPrefix(u, "http://"), "/", 2)[0] }
	for _, tc := range []struct {
		name    string
		args    []string
		servers int
	}{
		{"with chi's middleware", nil, 3},
		{"stack and bare only", []string{"-chi-middleware=false"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, os.WriteFile(logPath, nil, 0o644))
			var out strings.Builder
			args := append([]string{"-wrk", self, "-rounds", "2", "-duration", "1s"}, tc.args...)
			require.NoError(t, run(context.Background(), args, &out, io.Discard))

			log, err := os.ReadFile(logPath)
			require.NoError(t, err)
			calls := strings.Fields(string(log))
			n := tc.servers
			require.Len(t, calls, n+2*3*n, "a warm-up of each server, then 2 rounds x 3 paths x each server")
			order := make([]string, n) // bare chi, the stack, chi's middleware
			for i := range order {
				order[i] = port(calls[i])
			}
			require.NotEqual(t, order[0], order[1])
			for i, p := range []string{"/items/1", "/items/999", "/nope"} {
				first, second := make([]string, n), make([]string, n)
				for k := range n {
					first[k] = "http://" + order[k] + p
					second[n-1-k] = first[k]
				}
				assert.Equal(t, first, calls[n+n*i:n+n*(i+1)], "round 1: bare chi first, then the stack")
				assert.Equal(t, second, calls[n+3*n+n*i:n+3*n+n*(i+1)], "round 2: the order reversed")
			}
			report := out.String()
			for _, want := range []string{
				"| 200 item `/items/1` | 3000 | 3000 | **1.00x** | 1.00x–1.00x | 1.00x | 500µs | 500µs | 2.00ms | 2.00ms |",
				"| 404 record `/items/999` |",
				"| 404 unknown route `/nope` |",
				"wrk fake [test]",
				"| bare CPU µs/req | stack CPU µs/req | CPU bare/stack |",
				"-t 1 -c 32 -d 1s",
			} {
				assert.Contains(t, report, want)
			}
			kitRow := "| 200 item `/items/1` | 3000 | **1.00x** | **1.00x** | 2.00ms |"
			if n == 3 {
				assert.Contains(t, report, kitRow)
			} else {
				assert.NotContains(t, report, "chi middleware")
			}
		})
	}
}

// The servers answer each path as the comparison expects, and a limiter
// that refuses (here a tiny limit) would be caught on the item path.
func TestServersAndStatusChecks(t *testing.T) {
	srv, err := startServers()
	require.NoError(t, err)
	defer srv.close()
	require.NoError(t, srv.check(context.Background()))

	for _, tc := range []struct {
		name   string
		res    WrkResult
		status int
		err    string
	}{
		{"all 200", WrkResult{Requests: 10}, 200, ""},
		{"429s on the item path", WrkResult{Requests: 10, Non2xx3xx: 3}, 200, "3 of 10 responses were not 2xx"},
		{"all 404", WrkResult{Requests: 10, Non2xx3xx: 10}, 404, ""},
		{"some 200 on a 404 path", WrkResult{Requests: 10, Non2xx3xx: 9}, 404, "1 of 10 responses were 2xx"},
		{"nothing", WrkResult{}, 200, "no request completed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := expectStatus(tc.res, tc.status)
			if tc.err == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tc.err)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	cfg, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, config{wrk: "wrk", rounds: 5, duration: 2 * time.Second, warmup: time.Second, connections: 32, threads: 1, kit: true}, cfg)
	for _, bad := range [][]string{
		{"-rounds", "0"},
		{"-duration", "500ms"},
		{"-threads", "0"},
		{"-threads", "4", "-connections", "2"},
		{"-warmup", "-1s"},
		{"extra"},
	} {
		_, err := parseFlags(bad, io.Discard)
		assert.Error(t, err, bad)
	}
}

func TestMissingWrkSaysHowToInstall(t *testing.T) {
	srv, err := startServers()
	require.NoError(t, err)
	defer srv.close()
	_, err = runWrk(context.Background(), config{wrk: "wrk-not-installed-here", threads: 1, connections: 1}, time.Second, srv.bare, "/items/1")
	assert.ErrorContains(t, err, "apt-get install wrk")
}
