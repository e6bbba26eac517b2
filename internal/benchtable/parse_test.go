package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLine(t *testing.T) {
	for _, tc := range []struct {
		name  string
		line  string
		procs int
		want  Result
		ok    bool
		err   string
	}{
		{
			name: "benchmem at GOMAXPROCS 2", procs: 2,
			line: "BenchmarkWrite404/ours-2         	 1000000	      1043 ns/op	     128 B/op	       1 allocs/op",
			want: Result{Name: "BenchmarkWrite404/ours", Iterations: 1000000, NsPerOp: 1043, BytesPerOp: 128, AllocsPerOp: 1}, ok: true,
		},
		{
			name: "fractional ns, no benchmem, GOMAXPROCS 1 has no suffix", procs: 1,
			line: "BenchmarkRecoverer/tracked/chi 	42000000	        26.55 ns/op",
			want: Result{Name: "BenchmarkRecoverer/tracked/chi", Iterations: 42000000, NsPerOp: 26.55, BytesPerOp: -1, AllocsPerOp: -1}, ok: true,
		},
		{
			name: "a sub-benchmark that ends in a dash and digits keeps them at GOMAXPROCS 1", procs: 1,
			line: "BenchmarkSize/size-8 	100	 5 ns/op",
			want: Result{Name: "BenchmarkSize/size-8", Iterations: 100, NsPerOp: 5, BytesPerOp: -1, AllocsPerOp: -1}, ok: true,
		},
		{
			name: "only the real procs suffix is stripped", procs: 4,
			line: "BenchmarkSize/size-8-4 	100	 5 ns/op",
			want: Result{Name: "BenchmarkSize/size-8", Iterations: 100, NsPerOp: 5, BytesPerOp: -1, AllocsPerOp: -1}, ok: true,
		},
		{
			name: "custom metrics are read past", procs: 2,
			line: "BenchmarkRedis/ours-2   	   52731	     21776 ns/op	     45923 req/s	     420 B/op	      11 allocs/op",
			want: Result{Name: "BenchmarkRedis/ours", Iterations: 52731, NsPerOp: 21776, BytesPerOp: 420, AllocsPerOp: 11}, ok: true,
		},
		{name: "a name printed alone", procs: 1, line: "BenchmarkX/ours", ok: false},
		{name: "a name then log text", procs: 1, line: "BenchmarkX/ours some log output here", ok: false},
		{name: "a value without a unit", procs: 1, line: "BenchmarkX 10 5 ns/op 7", err: "without its unit"},
		{name: "a value that is no number", procs: 1, line: "BenchmarkX 10 fast ns/op", err: "not a number"},
		{name: "no time", procs: 1, line: "BenchmarkX 10 5 B/op 1 allocs/op", err: "no ns/op"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := parseLine(tc.line, tc.procs)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.ok, ok)
			if tc.ok {
				assert.Equal(t, tc.want, got)
			}
		})
	}
}

func TestParseOutput(t *testing.T) {
	const out = `goos: linux
goarch: amd64
pkg: github.com/faultline-go/faultline/ratelimit
cpu: AMD EPYC 7B13
BenchmarkAllowed/1keys/ours-2         	 5000000	       240.0 ns/op	      64 B/op	       2 allocs/op
BenchmarkAllowed/1keys/httprate-2     	 3000000	       400.5 ns/op	      96 B/op	       4 allocs/op
BenchmarkRedis
    redisserver_test.go:30: redis-server not installed
--- SKIP: BenchmarkRedis
BenchmarkBroken/ours-2
--- FAIL: BenchmarkBroken/ours-2
    bench_test.go:9: boom
PASS
`
	got, err := parseOutput(strings.NewReader(out), 2)
	require.NoError(t, err)
	assert.Equal(t, "AMD EPYC 7B13", got.CPU)
	require.Len(t, got.Results, 2)
	assert.Equal(t, "BenchmarkAllowed/1keys/ours", got.Results[0].Name)
	assert.Equal(t, 400.5, got.Results[1].NsPerOp)
	assert.Equal(t, []Skip{{Name: "BenchmarkRedis", Reason: "redis-server not installed"}}, got.Skipped)
	assert.Equal(t, []string{"BenchmarkBroken/ours"}, got.Failed)

	_, err = parseOutput(strings.NewReader("BenchmarkX 10 5 ns/op 3\n"), 1)
	assert.Error(t, err, "a malformed result line is an error, not a silent gap")
}
