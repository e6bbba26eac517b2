package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-go/faultline/internal/measure"
)

// Report is the comparison's outcome.
type Report struct {
	Rows     []Row
	Machine  measure.Machine
	Wrk      string // wrk's version line
	Config   config
	Load     [2]string // load average before and after
	Started  time.Time
	Finished time.Time
}

// Row is one path: the medians over the rounds.
type Row struct {
	Name, Path    string
	Bare, Stack   Side
	Ratio         measure.Ratio // stack/bare requests per second
	SocketErrors  int64         // summed over every run on this path
	RoundsOfRatio []float64     // each round's ratio, in order

	// Kit is chi's own middleware (stack.ChiMiddleware) when the run
	// measured it (-chi-middleware), with its ratio to bare chi and the
	// stack's ratio to it, requests per second.
	Kit                *Side
	KitRatio, StackKit measure.Ratio
}

// Side is one server's medians on one path, and its best round.
type Side struct {
	RPS      float64
	Best     float64 // the most requests/s of any round
	P50, P99 time.Duration
	CPU      float64 // the server's CPU time per request, µs
}

// compare runs wrk against every server on every path, one after the
// other, reversing their order from round to round.
func compare(ctx context.Context, cfg config, srv *servers, log io.Writer) (Report, error) {
	rep := Report{Config: cfg, Machine: measure.Describe(ctx, "go"), Started: time.Now(), Wrk: wrkVersion(ctx, cfg.wrk)}
	rep.Load[0] = measure.LoadAverage()
	all := srv.all(cfg.kit)
	if cfg.warmup > 0 {
		for _, sv := range all {
			fmt.Fprintf(log, "warm-up %s %s\n", sv.name, paths[0].path)
			if _, err := runWrk(ctx, cfg, cfg.warmup, sv, paths[0].path); err != nil {
				return rep, err
			}
		}
	}
	// results[path][server] are the runs of one server on one path, the
	// servers in all's order.
	results := make([][][]WrkResult, len(paths))
	for i := range results {
		results[i] = make([][]WrkResult, len(all))
	}
	for round := range cfg.rounds {
		for i, p := range paths {
			for k := range all {
				j := k
				if round%2 == 1 {
					j = len(all) - 1 - k
				}
				sv := all[j]
				cpu0 := processCPU()
				res, err := runWrk(ctx, cfg, cfg.duration, sv, p.path)
				if err != nil {
					return rep, err
				}
				res.ServerCPU = processCPU() - cpu0
				if err := expectStatus(res, p.status); err != nil {
					return rep, fmt.Errorf("%s %s: %v", sv.name, p.path, err)
				}
				fmt.Fprintf(log, "round %d/%d %-8s %-18s %9.0f req/s  p99 %-9v %5.1f µs CPU/req\n",
					round+1, cfg.rounds, sv.name, p.path, res.RequestsPerS, res.P99, cpuPerRequest(res))
				results[i][j] = append(results[i][j], res)
			}
		}
	}
	for i, p := range paths {
		runs := results[i]
		row := Row{Name: p.name, Path: p.path, Bare: summarise(runs[0]), Stack: summarise(runs[1])}
		bare, st := rates(runs[0]), rates(runs[1])
		row.Ratio = measure.Ratios(st, bare)
		for j := range bare {
			row.RoundsOfRatio = append(row.RoundsOfRatio, st[j]/bare[j])
		}
		if len(runs) > 2 {
			kit := summarise(runs[2])
			row.Kit = &kit
			row.KitRatio = measure.Ratios(rates(runs[2]), bare)
			row.StackKit = measure.Ratios(st, rates(runs[2]))
		}
		for _, rs := range runs {
			for _, r := range rs {
				row.SocketErrors += r.SocketErrors
			}
		}
		rep.Rows = append(rep.Rows, row)
	}
	rep.Load[1] = measure.LoadAverage()
	rep.Finished = time.Now()
	return rep, nil
}

// expectStatus checks that wrk saw only the status class the path answers:
// all 2xx for the item (a 429 from the limiter would show here), none for
// the 404 paths.
func expectStatus(res WrkResult, status int) error {
	if res.Requests == 0 {
		return fmt.Errorf("no request completed")
	}
	if status < 300 && res.Non2xx3xx != 0 {
		return fmt.Errorf("%d of %d responses were not 2xx or 3xx (the rate limit?)", res.Non2xx3xx, res.Requests)
	}
	if status >= 400 && res.Non2xx3xx != res.Requests {
		return fmt.Errorf("%d of %d responses were 2xx or 3xx; want %d only", res.Requests-res.Non2xx3xx, res.Requests, status)
	}
	return nil
}

func runWrk(ctx context.Context, cfg config, d time.Duration, sv *server, path string) (WrkResult, error) {
	cmd := exec.CommandContext(ctx, cfg.wrk, "--latency",
		"-t", strconv.Itoa(cfg.threads), "-c", strconv.Itoa(cfg.connections),
		"-d", strconv.Itoa(int(d.Round(time.Second)/time.Second))+"s", "http://"+sv.addr+path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if execErr, ok := err.(*exec.Error); ok {
			return WrkResult{}, fmt.Errorf("%v: install wrk (Debian: apt-get install wrk)", execErr)
		}
		return WrkResult{}, fmt.Errorf("wrk: %v: %s", err, strings.TrimSpace(out.String()))
	}
	return parseWrk(&out)
}

// wrkVersion returns wrk's version line ("wrk debian/4.1.0-3 [epoll] ..."
// up to its copyright).
func wrkVersion(ctx context.Context, wrk string) string {
	out, _ := exec.CommandContext(ctx, wrk, "-v").CombinedOutput() // wrk -v exits 1
	line, _, _ := strings.Cut(string(out), "\n")
	line, _, _ = strings.Cut(line, " Copyright")
	return strings.TrimSpace(line)
}

func rates(rs []WrkResult) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = r.RequestsPerS
	}
	return out
}

func summarise(rs []WrkResult) Side {
	var p50, p99 []float64
	for _, r := range rs {
		p50 = append(p50, float64(r.P50))
		p99 = append(p99, float64(r.P99))
	}
	side := Side{RPS: measure.Median(rates(rs)), P50: time.Duration(measure.Median(p50)), P99: time.Duration(measure.Median(p99))}
	var cpu []float64
	for _, r := range rs {
		side.Best = max(side.Best, r.RequestsPerS)
		cpu = append(cpu, cpuPerRequest(r))
	}
	side.CPU = measure.Median(cpu)
	return side
}

// cpuPerRequest is the server process's CPU time over a run divided by the
// requests served, in µs: what a request costs the server, whatever else
// the machine was running (waiting for a core costs no CPU time).
func cpuPerRequest(r WrkResult) float64 {
	if r.Requests == 0 {
		return 0
	}
	return float64(r.ServerCPU) / float64(time.Microsecond) / float64(r.Requests)
}
