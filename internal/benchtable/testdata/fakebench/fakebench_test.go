package fakebench

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// The benchmarks report fixed times, so that benchtable's end-to-end test
// holds on any machine: ours 100 ns, "double" 200 ns, "same" 100 ns, each
// multiplied by a drift that grows by one every round (see drift).
var (
	factor = drift()
	out    uint64
)

// drift simulates a machine that slows down from round to round. With
// FAKEBENCH_STATE set to a directory, each process counts itself there:
// processes 0-3 are benchtable's three empty runs and its discovery pass
// (factor 1), then every 5 processes (the 5 sides of the two pairs, one
// round) the factor grows by one. Without it, the factor is 1.
func drift() float64 {
	dir := os.Getenv("FAKEBENCH_STATE")
	if dir == "" {
		return 1
	}
	path := filepath.Join(dir, "runs")
	b, _ := os.ReadFile(path)
	n, _ := strconv.Atoi(string(b))
	if err := os.WriteFile(path, []byte(strconv.Itoa(n+1)), 0o644); err != nil {
		panic(err)
	}
	if n < 4 {
		return 1
	}
	return float64(1 + (n-4)/5)
}

// loop runs an empty loop, allocating 64 bytes per iteration if alloc, and
// reports ns × factor as the time per operation.
func loop(b *testing.B, ns float64, alloc bool) {
	b.ReportAllocs()
	for b.Loop() {
		if alloc {
			out += uint64(len(make([]byte, 64+out%2)))
		}
	}
	b.ReportMetric(ns*factor, "ns/op")
}

// BenchmarkWork: ours takes half the time of "double", as long as "same",
// and allocates once.
func BenchmarkWork(b *testing.B) {
	b.Run("ours", func(b *testing.B) { loop(b, 100, true) })
	b.Run("double", func(b *testing.B) { loop(b, 200, false) })
	b.Run("same", func(b *testing.B) { loop(b, 100, false) })
}

func BenchmarkNested(b *testing.B) {
	b.Run("deep/ours", func(b *testing.B) { loop(b, 50, false) })
	b.Run("deep/anchor.v2", func(b *testing.B) { loop(b, 40, false) })
}

func BenchmarkAlone(b *testing.B) { loop(b, 10, false) }

func BenchmarkSkipped(b *testing.B) {
	b.Skip("needs a tool this machine lacks")
	b.Run("ours", func(b *testing.B) {})
	b.Run("chi", func(b *testing.B) {})
}
