package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Output of wrk 4.1.0 --latency, as Debian ships it.
const wrkOK = `Running 3s test @ http://127.0.0.1:39555/items/1
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  409.25us   9.55ms   83.20%
    Req/Sec    31.74k     1.60k   33.72k    86.67%
  Latency Distribution
     50%  968.00us
     75%    1.18ms
     90%    1.46ms
     99%    2.38ms
  94771 requests in 3.00s, 17.08MB read
Requests/sec:  31581.38
Transfer/sec:      5.69MB
`

const wrk404 = `Running 3s test @ http://127.0.0.1:39555/nope
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  409.25us   1.02s    83.20%
    Req/Sec    31.74k     1.60k   33.72k    86.67%
  Latency Distribution
     50%  968.00us
     75%    1.18ms
     90%    1.46ms
     99%    1.20s
  94771 requests in 3.00s, 17.08MB read
  Socket errors: connect 0, read 2, write 1, timeout 4
  Non-2xx or 3xx responses: 94771
Requests/sec:  31581.38
Transfer/sec:      5.69MB
`

func TestParseWrk(t *testing.T) {
	for _, tc := range []struct {
		name string
		out  string
		want WrkResult
		err  string
	}{
		{"200s", wrkOK, WrkResult{Requests: 94771, RequestsPerS: 31581.38, P50: 968 * time.Microsecond, P99: 2380 * time.Microsecond}, ""},
		{"404s with socket errors", wrk404, WrkResult{Requests: 94771, RequestsPerS: 31581.38, P50: 968 * time.Microsecond, P99: 1200 * time.Millisecond, Non2xx3xx: 94771, SocketErrors: 7}, ""},
		{"without --latency", strings.Replace(wrkOK, "     99%    2.38ms\n", "", 1), WrkResult{}, "99% latency"},
		{"a broken rate", strings.Replace(wrkOK, "31581.38", "fast", 1), WrkResult{}, "Requests/sec"},
		{"a broken latency", strings.Replace(wrkOK, "2.38ms", "2.38parsecs", 1), WrkResult{}, "latency"},
		{"nothing", "unable to connect to 127.0.0.1:1 Connection refused\n", WrkResult{}, "no Requests/sec"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseWrk(strings.NewReader(tc.out))
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParseWrkDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"512.34us", 512340 * time.Nanosecond},
		{"1.50ms", 1500 * time.Microsecond},
		{"2.00s", 2 * time.Second},
		{"1.50m", 90 * time.Second},
		{"1.00h", time.Hour},
	} {
		got, err := parseWrkDuration(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{"", "ms", "1.5", "-1ms", "1.5d"} {
		_, err := parseWrkDuration(bad)
		assert.Error(t, err, bad)
	}
}
