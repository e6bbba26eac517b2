// Command overload is issue 18's open-loop overload benchmark: it drives a
// backend of known capacity through load steps and a capacity change,
// guarded in turn by no limiter, Throttle (tuned and mistuned), our
// adaptive limiter and failsafe-go's, and writes OVERLOAD.md (and a plot
// beside it). make overload runs it:
//
//	cd internal/overload && go run . -out ../../OVERLOAD.md -svg ../../OVERLOAD.svg
//
// It is a module of its own so that failsafe-go, the external anchor,
// never enters the main module's go.mod.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/faultline-go/faultline/internal/measure"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "overload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("overload", flag.ContinueOnError)
	cfg := config{tick: 100 * time.Millisecond, bin: 250 * time.Millisecond}
	fs.IntVar(&cfg.workers, "workers", 32, "the backend's workers")
	fs.DurationVar(&cfg.service, "service", 100*time.Millisecond, "the backend's service time")
	fs.DurationVar(&cfg.deadline, "deadline", time.Second, "the clients' deadline")
	fs.DurationVar(&cfg.step, "step", 3*time.Second, "the length of a load step")
	fs.DurationVar(&cfg.halved, "halved", 8*time.Second, "how long capacity stays halved")
	fs.IntVar(&cfg.rounds, "rounds", 1, "rounds of the whole run")
	out := fs.String("out", "OVERLOAD.md", "the report to write")
	svg := fs.String("svg", "OVERLOAD.svg", "the plot to write beside it; empty for none")
	command := fs.String("command", "make overload", "the command shown in the report")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.workers < 2 || cfg.service <= 0 || cfg.deadline <= 0 || cfg.step < time.Second || cfg.halved < time.Second || cfg.rounds < 1 {
		return fmt.Errorf("want -workers ≥ 2, positive -service and -deadline, -step and -halved ≥ 1s, -rounds ≥ 1")
	}
	began := time.Now()
	machine := measure.Describe(ctx, "go")
	outcomes, cs, err := runAll(ctx, cfg, os.Stderr)
	if err != nil {
		return err
	}
	adm := measureAdmission()
	a := analyze(cfg, cs, outcomes)
	svgRef := ""
	if *svg != "" {
		f, err := os.Create(*svg)
		if err != nil {
			return err
		}
		if err := a.writeSVG(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		if rel, err := filepath.Rel(filepath.Dir(*out), *svg); err == nil {
			svgRef = filepath.ToSlash(rel)
		}
	}
	var md strings.Builder
	if err := a.writeMarkdown(&md, machine, *command, time.Since(began), time.Now(), svgRef, adm); err != nil {
		return err
	}
	fmt.Print(md.String())
	return os.WriteFile(*out, []byte(md.String()), 0o644)
}

// measureAdmission runs BenchmarkAdmission's cases once each, in process.
func measureAdmission() []admission {
	var out []admission
	for _, c := range admissionCases() {
		r := testing.Benchmark(func(b *testing.B) { benchAdmission(b, c.h) })
		out = append(out, admission{name: c.name, ns: float64(r.T.Nanoseconds()) / float64(r.N), allocs: r.AllocsPerOp()})
	}
	return out
}
