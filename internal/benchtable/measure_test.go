package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/internal/measure"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The whole pipeline on testdata/fakebench, whose benchmarks have a known
// shape (several anchors, a nested pair, an unpaired and a skipped
// benchmark) and report fixed times multiplied by a drift that grows every
// round: ours 100 ns beside "double" 200 ns and "same" 100 ns; nested ours
// 50 ns beside 40 ns. The numbers owe nothing to the machine's speed, so
// the test holds under any load, and exact per-round ratios despite a
// threefold drift prove that each ratio compares the two sides of one
// round.
func TestMeasureFakePackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a test binary")
	}
	args := []string{"-rounds", "3", "-benchtime", "20ms", "-cpu", "1,2", "./testdata/fakebench"}

	t.Setenv("FAKEBENCH_STATE", t.TempDir())
	cfg, err := parseFlags(args, io.Discard)
	require.NoError(t, err)
	rep, err := measureAll(context.Background(), cfg, io.Discard)
	require.NoError(t, err)

	type rowKey struct {
		label, anchor string
		procs         int
	}
	rows := map[rowKey]Row{}
	for _, r := range rep.Rows {
		assert.Equal(t, "internal/benchtable/testdata/fakebench", r.Pkg)
		assert.Empty(t, r.Err)
		assert.Equal(t, 3, r.Ratio.Rounds)
		rows[rowKey{r.Label, r.Anchor, r.Procs}] = r
	}
	require.Len(t, rows, 6, "three pairs at two GOMAXPROCS: %v", rep.Rows)
	// Round r of GOMAXPROCS 1 runs with drift r+1, of GOMAXPROCS 2 with r+4:
	// the medians are those of the middle round.
	for procs, mid := range map[int]float64{1: 2, 2: 5} {
		double := rows[rowKey{"BenchmarkWork", "double", procs}]
		assert.Equal(t, measure.Ratio{Median: 0.5, Min: 0.5, Max: 0.5, Rounds: 3}, double.Ratio)
		assert.Equal(t, Side{Ns: 100 * mid, Bytes: 64, Allocs: 1, Fastest: 100 * (mid - 1)}, double.Ours)
		assert.Equal(t, Side{Ns: 200 * mid, Bytes: 0, Allocs: 0, Fastest: 200 * (mid - 1)}, double.Base)
		assert.Equal(t, 0.5, double.FastestRatio())

		same := rows[rowKey{"BenchmarkWork", "same", procs}]
		assert.Equal(t, measure.Ratio{Median: 1, Min: 1, Max: 1, Rounds: 3}, same.Ratio)
		assert.Equal(t, double.Ours, same.Ours, "ours is measured once per round for all its anchors")

		nested := rows[rowKey{"BenchmarkNested/deep", "anchor.v2", procs}]
		assert.InDelta(t, 1.25, nested.Ratio.Median, 1e-9)
		assert.InDelta(t, 1.25, nested.Ratio.Max, 1e-9)
	}
	assert.Equal(t, []string{"internal/benchtable/testdata/fakebench BenchmarkAlone"}, rep.Unpaired)
	assert.Equal(t, []string{"internal/benchtable/testdata/fakebench BenchmarkSkipped: needs a tool this machine lacks"}, rep.Skipped)
	assert.Empty(t, rep.Failed)
	// 3 empty runs and 1 discovery run, then 5 sides x 3 rounds x 2 GOMAXPROCS.
	assert.Equal(t, 4+5*3*2, rep.Machine.Invocations)
	// The fake's loops are real work of 20 ms a run: a round whose CPU time
	// does not exceed an empty run's (a start-up slowed by the machine) has
	// no CPU ratio, but most rounds have one.
	cpuRounds := 0
	for _, r := range rep.Rows {
		cpuRounds += r.CPURatio.Rounds
		if r.CPURatio.Rounds > 0 {
			assert.Positive(t, r.CPURatio.Median)
		}
	}
	assert.Greater(t, cpuRounds, len(rep.Rows)*3/2, "CPU ratios in most of %d rounds", len(rep.Rows)*3)
	assert.NotEmpty(t, rep.Machine.GoVersion)
	assert.Positive(t, rep.Machine.Cores)

	// The command writes the same report to the file and standard output.
	t.Setenv("FAKEBENCH_STATE", t.TempDir())
	out := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	var stdout strings.Builder
	require.NoError(t, run(context.Background(), append([]string{"-out", out}, args...), &stdout, io.Discard))
	md, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, stdout.String(), string(md))
	for _, want := range []string{
		"| internal/benchtable/testdata/fakebench | BenchmarkWork | double | 1 | 200 | 400 | **0.50x** | 0.50x–0.50x | 0.50x | ",
		"| internal/benchtable/testdata/fakebench | BenchmarkWork | same | 2 | 500 | 500 | **1.00x** | 1.00x–1.00x | 1.00x | ",
		"x | 1 | 0 | 64 | 0 |\n",
		"| internal/benchtable/testdata/fakebench | BenchmarkNested/deep | anchor.v2 | 2 | 250 | 200 | **1.25x** |",
		"-test.benchtime=20ms",
		"3 rounds",
		"- internal/benchtable/testdata/fakebench BenchmarkAlone\n",
		"BenchmarkSkipped: needs a tool this machine lacks",
	} {
		assert.Contains(t, string(md), want)
	}
}

// A pair whose side fails is reported, and the run fails.
func TestMeasureReportsFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a test binary")
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module failing\n\ngo 1.24\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f_test.go"), []byte(`package failing

import (
	"os"
	"testing"
)

func BenchmarkX(b *testing.B) {
	b.Run("ours", func(b *testing.B) {
		if b.N > 1 && os.Getenv("NEVER_SET_BY_ANYONE") == "" {
			b.Fatal("ours breaks when measured for real")
		}
	})
	b.Run("chi", func(b *testing.B) {})
}
`), 0o644))
	wd, err := os.Getwd()
	require.NoError(t, err)
	require.NoError(t, os.Chdir(dir))
	defer func() { require.NoError(t, os.Chdir(wd)) }()

	var stdout strings.Builder
	err = run(context.Background(), []string{"-rounds", "1", "-benchtime", "100x", "-out", "-", "./..."}, &stdout, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "BenchmarkX/ours")
	assert.Contains(t, stdout.String(), "| . | BenchmarkX | chi | 1 | failed: ")
	assert.Contains(t, stdout.String(), "ours breaks when measured for real")
}

func TestCPUPerOp(t *testing.T) {
	for _, tc := range []struct {
		cpu, start time.Duration
		n          int64
		want       float64
	}{
		{30 * time.Millisecond, 10 * time.Millisecond, 1000, 20000},
		{10 * time.Millisecond, 10 * time.Millisecond, 1000, -1},
		{5 * time.Millisecond, 10 * time.Millisecond, 1000, -1},
		{30 * time.Millisecond, 0, 0, -1},
	} {
		assert.Equal(t, tc.want, cpuPerOp(tc.cpu, tc.start, tc.n), "%v - %v over %d", tc.cpu, tc.start, tc.n)
	}
}

func TestParseFlags(t *testing.T) {
	cfg, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 5, cfg.rounds)
	assert.Equal(t, []int{1}, cfg.cpus)
	assert.Equal(t, []string{"./..."}, cfg.pkgs)
	assert.Equal(t, "BENCHMARKS.md", cfg.out)

	cfg, err = parseFlags([]string{"-cpu", "1, 2,4", "-command", "make bench", "-match", "Stack", "./errdoc"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 4}, cfg.cpus)
	assert.Equal(t, "make bench", cfg.command)
	assert.True(t, cfg.match.MatchString("examples/stack/BenchmarkStack200/ours"))
	assert.Equal(t, []string{"./errdoc"}, cfg.pkgs)

	for _, bad := range [][]string{
		{"-rounds", "0"},
		{"-cpu", "0"},
		{"-cpu", "1,x"},
		{"-benchtime", ""},
		{"-match", "("},
	} {
		_, err := parseFlags(bad, io.Discard)
		assert.Error(t, err, bad)
	}
}
