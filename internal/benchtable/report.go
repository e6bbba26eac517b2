package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-go/faultline/internal/measure"
)

// Report is everything BENCHMARKS.md says.
type Report struct {
	Rows     []Row
	Unpaired []string // "pkg BenchmarkName" of benchmarks in no pair
	Skipped  []string // "pkg BenchmarkName" of benchmarks that skipped
	Failed   []string // "pkg BenchmarkName: why"
	Machine  Machine
	Rounds   int
	Bench    string // -test.benchtime of each run
	CPUs     []int
	Command  string // how to produce the report again
	Started  time.Time
	Finished time.Time
}

// Row is one pair at one GOMAXPROCS.
type Row struct {
	Pkg    string // package, relative to the module
	Label  string // the benchmark without its "ours" element
	Anchor string // the anchor's element: chi, httprate, ...
	Procs  int
	Ours   Side
	Base   Side
	Ratio  measure.Ratio
	// CPURatio compares the processes' CPU time per operation, beyond what
	// a run of the binary without benchmarks costs: time spent waiting for
	// a core on a busy machine is not in it.
	CPURatio measure.Ratio
	Err      string // why the pair has no numbers, if it has none
}

// Side is the median measurement of one side over the rounds, and its
// fastest round.
type Side struct {
	Ns, Bytes, Allocs float64
	Fastest           float64 // the lowest ns/op of any round
}

// FastestRatio is ours' fastest round over the anchor's: contention on a
// shared machine only ever adds time, so the fastest rounds are the nearest
// to the undisturbed cost. It complements the median of the per-round
// ratios when the rounds spread widely.
func (r Row) FastestRatio() float64 {
	return r.Ours.Fastest / r.Base.Fastest
}

// Machine describes where the numbers come from and how busy it was.
type Machine struct {
	measure.Machine
	LoadBefore  string // measure.LoadAverage before the first run
	LoadAfter   string // and after the last
	Invocations int    // test-binary runs made
}

// writeMarkdown writes the report as BENCHMARKS.md.
func writeMarkdown(w io.Writer, rep Report) error {
	var b strings.Builder
	b.WriteString("# Benchmarks\n\n")
	fmt.Fprintf(&b, "Produced by `%s` on %s, in %s. Do not edit: run it again.\n\n",
		rep.Command, rep.Finished.UTC().Format("2006-01-02 15:04 MST"), rep.Finished.Sub(rep.Started).Round(time.Second))
	b.WriteString("Every side-by-side benchmark of the module: our `BenchmarkX/ours` beside each of its anchors " +
		"(`BenchmarkX/chi`, `BenchmarkX/httprate`, `BenchmarkX/encoding_json`, ...), measured in the same run. " +
		"The ratio is ours/anchor time per operation: below 1 we are faster.\n\n")
	writeTable(&b, rep)
	b.WriteString("\n## How it was produced\n\n")
	fmt.Fprintf(&b, "- Each package's test binary is built once (`go test -c`). A first pass runs every benchmark once "+
		"(`-test.benchtime=1x`) to discover the pairs: a name with an element `ours` and every name equal to it but in that element.\n")
	fmt.Fprintf(&b, "- Then, for each GOMAXPROCS in `-cpu` (%s), %d rounds. In each round every pair runs ours and its anchors one "+
		"after the other, each side in a fresh process (`-test.run=^$ -test.bench=^BenchmarkX$/^ours$ -test.benchtime=%s "+
		"-test.benchmem -test.count=1`), in reverse order every other round.\n", joinInts(rep.CPUs), rep.Rounds, rep.Bench)
	b.WriteString("- Each round gives one ratio ours/anchor from two measurements taken seconds apart, so the drift of a " +
		"shared machine cancels in it; the table shows the median ratio and the lowest and highest round. " +
		"Times, bytes and allocations are the medians over the rounds. " +
		"Contention from other processes only ever adds time: where the rounds spread widely, " +
		"fastest/fastest (each side's fastest round) is the nearer estimate of the undisturbed ratio. " +
		"The CPU ratio is the median over the rounds of ours/anchor CPU time per operation: each process's user and " +
		"system time, less what a run of the same binary without benchmarks costs, over its iterations. Waiting for " +
		"a core is not in it, so it holds on a busy machine; a benchmark's own setup is (it pulls the ratio towards 1), " +
		"and a parallel benchmark counts every core it keeps busy.\n")
	b.WriteString("\n## Machine\n\n")
	m := rep.Machine
	fmt.Fprintf(&b, "- %s, %s\n", m.GoVersion, m.OSArch)
	fmt.Fprintf(&b, "- CPU: %s, %d cores\n", orUnknown(m.CPU), m.Cores)
	if m.LoadBefore != "" || m.LoadAfter != "" {
		fmt.Fprintf(&b, "- load average (1, 5, 15 min): %s before, %s after\n", orUnknown(m.LoadBefore), orUnknown(m.LoadAfter))
	}
	fmt.Fprintf(&b, "- %d test-binary runs\n", m.Invocations)
	if len(rep.Unpaired)+len(rep.Skipped)+len(rep.Failed) > 0 {
		b.WriteString("\n## Not in the table\n\n")
		list := func(title string, items []string) {
			if len(items) == 0 {
				return
			}
			fmt.Fprintf(&b, "%s:\n\n", title)
			for _, it := range items {
				fmt.Fprintf(&b, "- %s\n", it)
			}
			b.WriteString("\n")
		}
		list("Benchmarks without a side-by-side partner", rep.Unpaired)
		list("Skipped, with their reason", rep.Skipped)
		list("Failed", rep.Failed)
	}
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

// writeTable writes the table of pairs.
func writeTable(b *strings.Builder, rep Report) {
	b.WriteString("| package | benchmark | anchor | cpu | ours ns/op | anchor ns/op | ratio | min–max | fastest/fastest | CPU ratio | ours allocs/op | anchor allocs/op | ours B/op | anchor B/op |\n")
	b.WriteString("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range rep.Rows {
		if r.Err != "" {
			fmt.Fprintf(b, "| %s | %s | %s | %d | %s | | | | | | | | | |\n", r.Pkg, r.Label, r.Anchor, r.Procs, "failed: "+r.Err)
			continue
		}
		fmt.Fprintf(b, "| %s | %s | %s | %d | %s | %s | **%s** | %s–%s | %s | %s | %s | %s | %s | %s |\n",
			r.Pkg, r.Label, r.Anchor, r.Procs,
			formatNs(r.Ours.Ns), formatNs(r.Base.Ns),
			formatRatio(r.Ratio.Median), formatRatio(r.Ratio.Min), formatRatio(r.Ratio.Max),
			formatRatio(r.FastestRatio()), formatRatio(r.CPURatio.Median),
			formatCount(r.Ours.Allocs), formatCount(r.Base.Allocs),
			formatCount(r.Ours.Bytes), formatCount(r.Base.Bytes))
	}
}

func formatNs(ns float64) string {
	switch {
	case math.IsNaN(ns) || ns < 0:
		return "–"
	case ns >= 100:
		return strconv.FormatFloat(ns, 'f', 0, 64)
	default:
		return strconv.FormatFloat(ns, 'f', 1, 64)
	}
}

func formatRatio(r float64) string {
	if math.IsNaN(r) {
		return "–"
	}
	return strconv.FormatFloat(r, 'f', 2, 64) + "x"
}

// formatCount formats B/op and allocs/op, which the testing package reports
// as whole numbers (a median of two may end in .5).
func formatCount(v float64) string {
	if math.IsNaN(v) || v < 0 {
		return "–"
	}
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}
