package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// writeReport prints the comparison as Markdown.
func writeReport(w io.Writer, rep Report) error {
	var b strings.Builder
	c := rep.Config
	fmt.Fprintf(&b, "## The README stack against bare chi on sockets (make load)\n\n")
	fmt.Fprintf(&b, "`%s --latency -t %d -c %d -d %v` on each server, %d rounds, reversing the servers' order every round; "+
		"requests/s and p99 are medians over the rounds, the ratio is stack/bare per round (median, lowest–highest); "+
		"best/best compares each server's best round, the nearest to an undisturbed machine. "+
		"CPU µs/req is the servers' process CPU time over a run divided by its requests (medians): "+
		"what a request costs the server whatever else the machine runs; bare/stack is the throughput ratio "+
		"a server bound by its own CPU would see. "+
		"The servers run in one process on 127.0.0.1 (examples/stack); the limiters count every item request "+
		"(2^30 a minute: no 429).\n\n", c.wrk, c.threads, c.connections, c.duration, c.rounds)
	b.WriteString("| path | bare chi req/s | stack req/s | stack/bare | min–max | best/best | bare p50 | stack p50 | bare p99 | stack p99 | bare CPU µs/req | stack CPU µs/req | CPU bare/stack |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range rep.Rows {
		fmt.Fprintf(&b, "| %s `%s` | %.0f | %.0f | **%.2fx** | %.2fx–%.2fx | %.2fx | %s | %s | %s | %s | %.1f | %.1f | %.2fx |\n",
			r.Name, r.Path, r.Bare.RPS, r.Stack.RPS, r.Ratio.Median, r.Ratio.Min, r.Ratio.Max, r.Stack.Best/r.Bare.Best,
			latency(r.Bare.P50), latency(r.Stack.P50), latency(r.Bare.P99), latency(r.Stack.P99),
			r.Bare.CPU, r.Stack.CPU, r.Bare.CPU/r.Stack.CPU)
	}
	b.WriteString("\n")
	if len(rep.Rows) > 0 && rep.Rows[0].Kit != nil {
		b.WriteString("chi's own middleware on the same paths (RequestID, Recoverer, httprate.LimitBy client IP on the item route; " +
			"measured in the same rounds): what a team mounts without faultline.\n\n")
		b.WriteString("| path | chi middleware req/s | chi middleware/bare | stack/chi middleware | chi middleware p99 | chi middleware CPU µs/req |\n")
		b.WriteString("|---|--:|--:|--:|--:|--:|\n")
		for _, r := range rep.Rows {
			fmt.Fprintf(&b, "| %s `%s` | %.0f | **%.2fx** | **%.2fx** | %s | %.1f |\n",
				r.Name, r.Path, r.Kit.RPS, r.KitRatio.Median, r.StackKit.Median, latency(r.Kit.P99), r.Kit.CPU)
		}
		b.WriteString("\n")
	}
	for _, r := range rep.Rows {
		if r.SocketErrors > 0 {
			fmt.Fprintf(&b, "- %s: %d socket errors over all its runs\n", r.Path, r.SocketErrors)
		}
	}
	m := rep.Machine
	fmt.Fprintf(&b, "- per-round ratios: %s\n", roundRatios(rep.Rows))
	fmt.Fprintf(&b, "- %s, %s, %s, CPU %s, %d cores\n", m.GoVersion, m.OSArch, rep.Wrk, m.CPU, m.Cores)
	fmt.Fprintf(&b, "- load average (1, 5, 15 min): %s before, %s after; %s, in %s\n",
		rep.Load[0], rep.Load[1], rep.Finished.UTC().Format("2006-01-02 15:04 MST"), rep.Finished.Sub(rep.Started).Round(time.Second))
	_, err := io.WriteString(w, b.String())
	return err
}

func roundRatios(rows []Row) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		rs := make([]string, len(r.RoundsOfRatio))
		for j, x := range r.RoundsOfRatio {
			rs[j] = strconv.FormatFloat(x, 'f', 2, 64)
		}
		parts[i] = r.Path + " " + strings.Join(rs, " ")
	}
	return strings.Join(parts, "; ")
}

// latency formats a wrk latency to three significant figures.
func latency(d time.Duration) string {
	switch {
	case d >= time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + "s"
	case d >= time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + "ms"
	default:
		return strconv.FormatFloat(float64(d)/float64(time.Microsecond), 'f', 0, 64) + "µs"
	}
}
