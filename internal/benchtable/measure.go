package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-go/faultline/internal/measure"
)

// pkg is a package with benchmarks and its built test binary.
type pkg struct {
	ImportPath string
	Dir        string
	Rel        string // relative to the module: errdoc, examples/stack
	bin        string
	startCPU   time.Duration // CPU time of a run of the binary that runs no benchmark
}

// measureAll builds, discovers and runs every pair, and returns the report.
func measureAll(ctx context.Context, cfg config, log io.Writer) (Report, error) {
	rep := Report{Rounds: cfg.rounds, Bench: cfg.benchtime, CPUs: cfg.cpus, Command: cfg.command, Started: time.Now()}
	rep.Machine = Machine{Machine: measure.Describe(ctx, cfg.goCmd), LoadBefore: measure.LoadAverage()}

	tmp, err := os.MkdirTemp("", "benchtable")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)

	pkgs, err := listPackages(ctx, cfg.goCmd, cfg.pkgs)
	if err != nil {
		return rep, err
	}
	var groups []Group
	for i := range pkgs {
		pkgs[i].bin = filepath.Join(tmp, strconv.Itoa(i)+".test")
		gs, err := discover(ctx, cfg, &pkgs[i], &rep, log)
		if err != nil {
			return rep, err
		}
		groups = append(groups, gs...)
	}
	s, err := runRounds(ctx, cfg, pkgs, groups, &rep, log)
	if err != nil {
		return rep, err
	}
	for _, g := range groups {
		rel := relOf(pkgs, g.Pkg)
		for _, procs := range cfg.cpus {
			ours := s.samples[sampleKey{procs, g.Pkg, g.Ours}]
			for _, a := range g.Anchors {
				row := Row{Pkg: rel, Label: g.Label(), Anchor: g.AnchorLabel(a), Procs: procs}
				for _, name := range []string{g.Ours, a} {
					if e, ok := s.errs[sampleKey{procs, g.Pkg, name}]; ok {
						row.Err = e
						if msg := fmt.Sprintf("%s %s (cpu %d): %s", rel, name, procs, firstLine(e)); !slices.Contains(rep.Failed, msg) {
							rep.Failed = append(rep.Failed, msg)
						}
					}
				}
				if row.Err == "" {
					anchor := s.samples[sampleKey{procs, g.Pkg, a}]
					row.Ours, row.Base = summarise(ours), summarise(anchor)
					row.Ratio = measure.Ratios(column(ours, nsPerOp), column(anchor, nsPerOp))
					row.CPURatio = measure.Ratios(column(ours, cpuPerOpOf), column(anchor, cpuPerOpOf))
				}
				rep.Rows = append(rep.Rows, row)
			}
		}
	}
	rep.Machine.LoadAfter = measure.LoadAverage()
	rep.Finished = time.Now()
	return rep, nil
}

// discover builds p's test binary, runs every benchmark once at GOMAXPROCS 1
// (no name suffix), records what skipped, failed or has no partner in rep,
// and returns the pairs that cfg.match selects.
func discover(ctx context.Context, cfg config, p *pkg, rep *Report, log io.Writer) ([]Group, error) {
	fmt.Fprintf(log, "build %s\n", p.ImportPath)
	if out, err := exec.CommandContext(ctx, cfg.goCmd, "test", "-c", "-o", p.bin, p.ImportPath).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go test -c %s: %v\n%s", p.ImportPath, err, out)
	}
	// What a run costs before any benchmark: the median of three.
	var starts []float64
	for range 3 {
		out, cpu, err := runBinary(ctx, *p, "-test.run=^$", "-test.bench=^$")
		rep.Machine.Invocations++
		if err != nil {
			return nil, fmt.Errorf("%s: %v\n%s", p.ImportPath, err, tail(out))
		}
		starts = append(starts, float64(cpu))
	}
	p.startCPU = time.Duration(measure.Median(starts))
	out, _, err := runBinary(ctx, *p, "-test.run=^$", "-test.bench=.", "-test.benchtime=1x", "-test.cpu=1", "-test.v")
	rep.Machine.Invocations++
	parsed, perr := parseOutput(bytes.NewReader(out), 1)
	if perr != nil {
		return nil, fmt.Errorf("%s: %v", p.ImportPath, perr)
	}
	if rep.Machine.CPU == "" {
		rep.Machine.CPU = parsed.CPU
	}
	for _, s := range parsed.Skipped {
		rep.Skipped = append(rep.Skipped, p.Rel+" "+s.Name+": "+s.Reason)
	}
	for _, f := range parsed.Failed {
		rep.Failed = append(rep.Failed, p.Rel+" "+f+": failed in the discovery pass")
	}
	if err != nil && len(parsed.Failed) == 0 {
		return nil, fmt.Errorf("%s: %v\n%s", p.ImportPath, err, tail(out))
	}
	var names []string
	for _, r := range parsed.Results {
		if !slices.Contains(names, r.Name) {
			names = append(names, r.Name)
		}
	}
	all, unpaired := findPairs(p.ImportPath, names)
	for _, u := range unpaired {
		rep.Unpaired = append(rep.Unpaired, p.Rel+" "+u)
	}
	var groups []Group
	for _, g := range all {
		if cfg.match == nil || cfg.match.MatchString(p.Rel+"/"+g.Ours) {
			groups = append(groups, g)
		}
	}
	return groups, nil
}

// sampleKey names one side of a pair at one GOMAXPROCS.
type sampleKey struct {
	procs int
	pkg   string // import path
	name  string
}

// sampled holds every measurement: samples[k][round], a zero Result for a
// round that failed, whose error is in errs[k].
type sampled struct {
	samples map[sampleKey][]Result
	errs    map[sampleKey]string
}

// runRounds measures every side of every group, round after round: within
// a round each group's sides run back to back, reversed every other round.
func runRounds(ctx context.Context, cfg config, pkgs []pkg, groups []Group, rep *Report, log io.Writer) (sampled, error) {
	s := sampled{samples: map[sampleKey][]Result{}, errs: map[sampleKey]string{}}
	total := 0
	for _, g := range groups {
		total += (1 + len(g.Anchors)) * cfg.rounds * len(cfg.cpus)
	}
	runs := 0
	for _, procs := range cfg.cpus {
		for round := range cfg.rounds {
			for _, g := range groups {
				p := pkgs[slices.IndexFunc(pkgs, func(p pkg) bool { return p.ImportPath == g.Pkg })]
				order := append([]string{g.Ours}, g.Anchors...)
				if round%2 == 1 {
					slices.Reverse(order)
				}
				for _, name := range order {
					k := sampleKey{procs, g.Pkg, name}
					if s.samples[k] == nil {
						s.samples[k] = make([]Result, cfg.rounds)
					}
					runs++
					res, err := measureOne(ctx, p, name, procs, cfg.benchtime)
					rep.Machine.Invocations++
					if err != nil {
						if ctx.Err() != nil {
							return s, ctx.Err()
						}
						s.errs[k] = err.Error()
						fmt.Fprintf(log, "[%d/%d] cpu %d round %d %s %s: %v\n", runs, total, procs, round+1, p.Rel, name, err)
						continue
					}
					s.samples[k][round] = res
					fmt.Fprintf(log, "[%d/%d] cpu %d round %d %s %s: %s ns/op\n", runs, total, procs, round+1, p.Rel, name, formatNs(res.NsPerOp))
				}
			}
		}
	}
	return s, nil
}

// relOf returns the module-relative path of the package importPath.
func relOf(pkgs []pkg, importPath string) string {
	for _, p := range pkgs {
		if p.ImportPath == importPath {
			return p.Rel
		}
	}
	return importPath
}

// measureOne runs the single benchmark name of p at GOMAXPROCS procs.
func measureOne(ctx context.Context, p pkg, name string, procs int, benchtime string) (Result, error) {
	out, cpu, err := runBinary(ctx, p, "-test.run=^$", "-test.bench="+benchPattern(name),
		"-test.benchtime="+benchtime, "-test.benchmem", "-test.count=1", "-test.cpu="+strconv.Itoa(procs))
	if err != nil {
		return Result{}, fmt.Errorf("%v: %s", err, tail(out))
	}
	parsed, err := parseOutput(bytes.NewReader(out), procs)
	if err != nil {
		return Result{}, err
	}
	for _, r := range parsed.Results {
		if r.Name == name {
			r.CPUPerOp = cpuPerOp(cpu, p.startCPU, r.Iterations)
			return r, nil
		}
	}
	return Result{}, fmt.Errorf("no result for %s in: %s", name, tail(out))
}

// cpuPerOp is the CPU ns per operation of a run that used cpu, of which
// start is what a run without benchmarks costs; -1 when the run used no
// more than that (a benchmark too short to tell) or made no iteration.
func cpuPerOp(cpu, start time.Duration, iterations int64) float64 {
	spent := cpu - start
	if spent <= 0 || iterations <= 0 {
		return -1
	}
	return float64(spent) / float64(iterations)
}

// runBinary runs p's test binary in p's directory (tests find their
// testdata there) and returns its standard output and error, and the CPU
// time (user and system) the process used.
func runBinary(ctx context.Context, p pkg, args ...string) ([]byte, time.Duration, error) {
	cmd := exec.CommandContext(ctx, p.bin, append(args, "-test.timeout=10m")...)
	cmd.Dir = p.Dir
	out, err := cmd.CombinedOutput()
	var cpu time.Duration
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	return out, cpu, err
}

// column returns one value of every round's result.
func column(rs []Result, value func(Result) float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = value(r)
	}
	return out
}

func nsPerOp(r Result) float64    { return r.NsPerOp }
func cpuPerOpOf(r Result) float64 { return r.CPUPerOp }

// summarise returns the medians of the measured rounds.
func summarise(rs []Result) Side {
	var ns, b, a []float64
	for _, r := range rs {
		if r.Name == "" {
			continue
		}
		ns = append(ns, r.NsPerOp)
		b = append(b, r.BytesPerOp)
		a = append(a, r.AllocsPerOp)
	}
	side := Side{Ns: measure.Median(ns), Bytes: measure.Median(b), Allocs: measure.Median(a), Fastest: math.NaN()}
	if len(ns) > 0 {
		side.Fastest = slices.Min(ns)
	}
	return side
}

// listPackages returns the packages matching patterns whose test files
// declare a benchmark.
func listPackages(ctx context.Context, goCmd string, patterns []string) ([]pkg, error) {
	args := append([]string{"list", "-json=ImportPath,Dir,TestGoFiles,XTestGoFiles,Module"}, patterns...)
	out, err := exec.CommandContext(ctx, goCmd, args...).Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	var pkgs []pkg
	var modDirs []string // the modules' roots: the shortest is the main module's
	for dec.More() {
		var lp struct {
			ImportPath, Dir           string
			TestGoFiles, XTestGoFiles []string
			Module                    *struct{ Path, Dir string }
		}
		if err := dec.Decode(&lp); err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		has := false
		for _, f := range append(lp.TestGoFiles, lp.XTestGoFiles...) {
			src, err := os.ReadFile(filepath.Join(lp.Dir, f))
			if err != nil {
				return nil, err
			}
			if bytes.Contains(src, []byte("\nfunc Benchmark")) {
				has = true
				break
			}
		}
		if !has {
			continue
		}
		rel := lp.ImportPath
		if lp.Module != nil {
			rel = strings.TrimPrefix(strings.TrimPrefix(rel, lp.Module.Path), "/")
			if rel == "" {
				rel = "."
			}
		}
		// A nested module's package (make bench's workspace adds
		// internal/overload) is named by its directory under the main
		// module's, not as its own module's root.
		if lp.Module != nil && lp.Module.Dir != "" {
			modDirs = append(modDirs, lp.Module.Dir)
		}
		pkgs = append(pkgs, pkg{ImportPath: lp.ImportPath, Dir: lp.Dir, Rel: rel})
	}
	if len(modDirs) > 0 {
		root := slices.MinFunc(modDirs, func(a, b string) int { return len(a) - len(b) })
		for i, p := range pkgs {
			if r, err := filepath.Rel(root, p.Dir); err == nil && filepath.IsLocal(r) {
				pkgs[i].Rel = filepath.ToSlash(r)
			}
		}
	}
	return pkgs, nil
}

// tail returns the last lines of a run's output, for error messages.
func tail(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return strings.Join(lines, "\n")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
