package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/internal/measure"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatting(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{formatNs(1043.4), "1043"},
		{formatNs(26.55), "26.6"},
		{formatNs(math.NaN()), "–"},
		{formatRatio(1.2345), "1.23x"},
		{formatRatio(math.NaN()), "–"},
		{formatCount(12), "12"},
		{formatCount(11.5), "11.5"},
		{formatCount(-1), "–"},
	} {
		assert.Equal(t, tc.want, tc.got)
	}
}

func TestWriteMarkdown(t *testing.T) {
	start := time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)
	rep := Report{
		Rows: []Row{
			{Pkg: "examples/stack", Label: "BenchmarkStack200", Anchor: "chi", Procs: 2,
				Ours: Side{Ns: 1600, Bytes: 1304, Allocs: 12, Fastest: 1500}, Base: Side{Ns: 750, Bytes: 768, Allocs: 6, Fastest: 600},
				Ratio: measure.Ratio{Median: 2.133, Min: 2.01, Max: 2.3, Rounds: 5}, CPURatio: measure.Ratio{Median: 2.2, Rounds: 5}},
			{Pkg: "ratelimit", Label: "BenchmarkRedis", Anchor: "httprate", Procs: 2, Err: "exit status 1"},
		},
		Unpaired: []string{"errdoc BenchmarkWriteProblem"},
		Machine:  Machine{Machine: measure.Machine{GoVersion: "go1.26.8", OSArch: "linux/amd64", CPU: "AMD EPYC", Cores: 2}, LoadBefore: "1.0 1.0 1.0", LoadAfter: "2.0 1.5 1.1", Invocations: 61},
		Rounds:   5, Bench: "200ms", CPUs: []int{1, 2}, Command: "make bench",
		Started: start, Finished: start.Add(150 * time.Second),
	}
	var b strings.Builder
	require.NoError(t, writeMarkdown(&b, rep))
	md := b.String()
	for _, want := range []string{
		"Produced by `make bench` on 2026-11-24 01:02 UTC, in 2m30s.",
		"| examples/stack | BenchmarkStack200 | chi | 2 | 1600 | 750 | **2.13x** | 2.01x–2.30x | 2.50x | 2.20x | 12 | 6 | 1304 | 768 |\n",
		"| ratelimit | BenchmarkRedis | httprate | 2 | failed: exit status 1 | | | | | | | | | |\n",
		"for each GOMAXPROCS in `-cpu` (1,2), 5 rounds",
		"-test.benchtime=200ms",
		"- go1.26.8, linux/amd64\n",
		"- CPU: AMD EPYC, 2 cores\n",
		"1.0 1.0 1.0 before, 2.0 1.5 1.1 after",
		"- errdoc BenchmarkWriteProblem\n",
	} {
		assert.Contains(t, md, want)
	}
	assert.NotContains(t, md, "Skipped")
	assert.True(t, strings.HasSuffix(md, "\n") && !strings.HasSuffix(md, "\n\n"))
}
