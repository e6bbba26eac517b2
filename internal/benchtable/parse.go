package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Result is one line of `go test -bench` output.
type Result struct {
	Name        string  // full name, without the -GOMAXPROCS suffix
	Iterations  int64   // b.N
	NsPerOp     float64 // ns/op
	BytesPerOp  float64 // B/op, -1 when -benchmem was off
	AllocsPerOp float64 // allocs/op, -1 when -benchmem was off
	CPUPerOp    float64 // CPU ns/op of the process (not parsed: measured), -1 when unknown
}

// Output is what one run of a test binary printed.
type Output struct {
	CPU     string   // the "cpu:" header, if any
	Results []Result // in the order printed
	Skipped []Skip   // benchmarks that reported --- SKIP (printed with -test.v)
	Failed  []string // benchmarks that reported --- FAIL
}

// Skip is a skipped benchmark and the last line it logged, its reason.
type Skip struct {
	Name, Reason string
}

// parseOutput reads a test binary's benchmark output. procs is the
// GOMAXPROCS the benchmarks ran with: the testing package appends "-procs"
// to the names when it is not 1, and only that suffix is stripped (a
// sub-benchmark may itself be named "size-8").
func parseOutput(r io.Reader, procs int) (Output, error) {
	var out Output
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	logged := "" // the last log line (indented) seen
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "    "):
			logged = trimmed
		case strings.HasPrefix(line, "cpu: "):
			out.CPU = strings.TrimSpace(strings.TrimPrefix(line, "cpu: "))
		case strings.HasPrefix(trimmed, "--- SKIP: Benchmark"):
			out.Skipped = append(out.Skipped, Skip{Name: benchField(trimmed, procs), Reason: logReason(logged)})
		case strings.HasPrefix(trimmed, "--- FAIL: Benchmark"):
			out.Failed = append(out.Failed, benchField(trimmed, procs))
		case strings.HasPrefix(line, "Benchmark"):
			res, ok, err := parseLine(line, procs)
			if err != nil {
				return out, err
			}
			if ok {
				out.Results = append(out.Results, res)
			}
		}
	}
	return out, sc.Err()
}

// logReason strips the "file_test.go:12: " prefix of a logged line.
func logReason(line string) string {
	if file, rest, ok := strings.Cut(line, ": "); ok && strings.Contains(file, ".go:") {
		return rest
	}
	return line
}

// benchField returns the benchmark name of a "--- SKIP: name" line.
func benchField(line string, procs int) string {
	f := strings.Fields(line)
	if len(f) < 3 {
		return ""
	}
	return stripProcs(f[2], procs)
}

// parseLine parses one result line:
//
//	BenchmarkX/ours-2   1000000   1043 ns/op   128 B/op   1 allocs/op   12.5 req/s
//
// It reports ok == false for a line that starts with "Benchmark" but is no
// result (a name printed alone before a benchmark's own output, say), and an
// error for a result line it cannot read.
func parseLine(line string, procs int) (res Result, ok bool, err error) {
	f := strings.Fields(line)
	if len(f) < 4 {
		return Result{}, false, nil
	}
	n, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return Result{}, false, nil
	}
	res = Result{Name: stripProcs(f[0], procs), Iterations: n, NsPerOp: -1, BytesPerOp: -1, AllocsPerOp: -1}
	if len(f)%2 != 0 {
		return Result{}, false, fmt.Errorf("benchmark line %q: a value without its unit", line)
	}
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return Result{}, false, fmt.Errorf("benchmark line %q: %q is not a number", line, f[i])
		}
		switch f[i+1] {
		case "ns/op":
			res.NsPerOp = v
		case "B/op":
			res.BytesPerOp = v
		case "allocs/op":
			res.AllocsPerOp = v
		}
	}
	if res.NsPerOp < 0 {
		return Result{}, false, fmt.Errorf("benchmark line %q: no ns/op", line)
	}
	return res, true, nil
}

// stripProcs removes the "-procs" suffix the testing package adds to
// benchmark names when GOMAXPROCS is not 1.
func stripProcs(name string, procs int) string {
	if procs == 1 {
		return name
	}
	return strings.TrimSuffix(name, "-"+strconv.Itoa(procs))
}
