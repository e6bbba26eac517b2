package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The whole pipeline on testdata/fakebench, whose benchmarks have a known
// shape: it builds the binary, discovers the pairs (several anchors, a
// nested pair, an unpaired and a skipped benchmark), measures them at two
// GOMAXPROCS values and writes the report.
//
// Under load: ours does half the work of "double" and the same as "same".
// Each round's ratio compares two runs made back to back and the median of
// three rounds is taken, so the bounds (0.5 expected within 0.25-0.8, 1.0
// within 0.6-1.6) hold unless the machine's speed changes by more than half
// between two consecutive runs in two rounds out of three.
func TestMeasureFakePackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a test binary")
	}
	out := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	var stdout strings.Builder
	err := run(context.Background(), []string{
		"-rounds", "3", "-benchtime", "20ms", "-cpu", "1,2", "-out", out, "./testdata/fakebench",
	}, &stdout, io.Discard)
	require.NoError(t, err)

	md, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, stdout.String(), string(md), "the report is written to the file and standard output")

	cfg, err := parseFlags([]string{"-rounds", "3", "-benchtime", "20ms", "-cpu", "1,2", "./testdata/fakebench"}, io.Discard)
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
	for _, procs := range []int{1, 2} {
		double := rows[rowKey{"BenchmarkWork", "double", procs}]
		assert.InDelta(t, 0.5, double.Ratio.Median, 0.3, "ours does half the work")
		assert.LessOrEqual(t, double.Ratio.Min, double.Ratio.Median)
		assert.GreaterOrEqual(t, double.Ratio.Max, double.Ratio.Median)
		assert.Equal(t, 1.0, double.Ours.Allocs)
		assert.Equal(t, 64.0, double.Ours.Bytes)
		assert.Equal(t, 0.0, double.Base.Allocs)

		same := rows[rowKey{"BenchmarkWork", "same", procs}]
		assert.InDelta(t, 1.0, same.Ratio.Median, 0.6)
		assert.Equal(t, double.Ours, same.Ours, "ours is measured once per round for all its anchors")

		_, ok := rows[rowKey{"BenchmarkNested/deep", "anchor.v2", procs}]
		assert.True(t, ok, "the nested pair")
	}
	assert.Equal(t, []string{"internal/benchtable/testdata/fakebench BenchmarkAlone"}, rep.Unpaired)
	assert.Equal(t, []string{"internal/benchtable/testdata/fakebench BenchmarkSkipped: needs a tool this machine lacks"}, rep.Skipped)
	assert.Empty(t, rep.Failed)
	// 1 discovery run, then 5 sides x 3 rounds x 2 GOMAXPROCS.
	assert.Equal(t, 1+5*3*2, rep.Machine.Invocations)
	assert.NotEmpty(t, rep.Machine.GoVersion)
	assert.Positive(t, rep.Machine.Cores)

	for _, want := range []string{
		"| internal/benchtable/testdata/fakebench | BenchmarkWork | double | 1 |",
		"| internal/benchtable/testdata/fakebench | BenchmarkWork | same | 2 |",
		"| internal/benchtable/testdata/fakebench | BenchmarkNested/deep | anchor.v2 | 2 |",
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
