// Command benchtable runs every side-by-side benchmark of the module
// (BenchmarkX/ours beside BenchmarkX/<anchor>) interleaved over several
// rounds and writes the table of ratios, BENCHMARKS.md. make bench runs it:
//
//	go run ./internal/benchtable -rounds 5 -benchtime 200ms -cpu 1,2 -out BENCHMARKS.md ./...
//
// Each package's test binary is built once; each side of each pair then runs
// in its own process, ours and the anchors one after the other in every
// round, so that each round's ratio cancels the machine's drift. The table
// holds the median ratio and its range over the rounds.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	goCmd     string
	rounds    int
	benchtime string
	cpus      []int
	out       string
	match     *regexp.Regexp
	pkgs      []string
	command   string // shown in the report
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("benchtable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	goCmd := fs.String("go", "go", "the go command")
	rounds := fs.Int("rounds", 5, "rounds: measurements of each side of each pair")
	benchtime := fs.String("benchtime", "200ms", "-test.benchtime of each measurement")
	cpu := fs.String("cpu", "1", "comma-separated GOMAXPROCS values, as go test -cpu")
	out := fs.String("out", "BENCHMARKS.md", "the report to write; - for standard output only")
	match := fs.String("match", "", "only pairs whose package/benchmark matches this regular expression")
	command := fs.String("command", "", "the command line shown in the report (default: this one)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	cfg := config{goCmd: *goCmd, rounds: *rounds, benchtime: *benchtime, out: *out, pkgs: fs.Args(), command: *command}
	if cfg.rounds < 1 {
		return config{}, fmt.Errorf("-rounds %d: want at least 1", cfg.rounds)
	}
	if strings.HasPrefix(cfg.benchtime, "-") || cfg.benchtime == "" {
		return config{}, fmt.Errorf("-benchtime %q: want a duration or a count such as 100x", cfg.benchtime)
	}
	cpus, err := parseCPUList(*cpu)
	if err != nil {
		return config{}, err
	}
	cfg.cpus = cpus
	if *match != "" {
		re, err := regexp.Compile(*match)
		if err != nil {
			return config{}, fmt.Errorf("-match: %w", err)
		}
		cfg.match = re
	}
	if len(cfg.pkgs) == 0 {
		cfg.pkgs = []string{"./..."}
	}
	if cfg.command == "" {
		cfg.command = "go run ./internal/benchtable " + strings.Join(args, " ")
	}
	return cfg, nil
}

// parseCPUList parses "1,2,4" as go test -cpu does.
func parseCPUList(s string) ([]int, error) {
	var cpus []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-cpu %q: want positive integers separated by commas", s)
		}
		cpus = append(cpus, n)
	}
	return cpus, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	rep, err := measureAll(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	var w io.Writer = stdout
	if cfg.out != "-" {
		f, err := os.Create(cfg.out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = io.MultiWriter(f, stdout)
	}
	if err := writeMarkdown(w, rep); err != nil {
		return err
	}
	if len(rep.Failed) > 0 {
		return fmt.Errorf("%d benchmark(s) failed: %s", len(rep.Failed), strings.Join(rep.Failed, "; "))
	}
	return nil
}
