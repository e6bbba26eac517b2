package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/faultline-go/faultline/internal/measure"
)

const (
	ours     = "adaptive (ours)"
	failsafe = "failsafe-go"
	tuned    = "Throttle tuned"
)

// bar is one of issue 18's bars with what was measured.
type bar struct {
	what, measured string
	met            bool
}

// admission is one limiter's admission cost, measured in process.
type admission struct {
	name   string
	ns     float64
	allocs int64
}

func (a *analysis) bars(adm []admission) []bar {
	o, f, t := a.index(ours), a.index(failsafe), a.index(tuned)
	var out []bar
	for _, st := range []int{step2x, step5x} {
		g := a.load[st][o].goodput / a.best1x
		out = append(out, bar{
			what:     fmt.Sprintf("%s: goodput ≥ 90%% of the best at 1x (%.0f/s)", a.steps[st].name, a.best1x),
			measured: fmt.Sprintf("%.0f/s = %.0f%%", a.load[st][o].goodput, 100*g),
			met:      g >= 0.9,
		})
		p := float64(a.load[st][o].p99) / float64(a.unloadedP99)
		out = append(out, bar{
			what:     fmt.Sprintf("%s: p99 of admitted ≤ 2x the unloaded p99 (%.1f ms)", a.steps[st].name, ms(a.unloadedP99)),
			measured: fmt.Sprintf("%.1f ms = %.2fx", ms(a.load[st][o].p99), p),
			met:      p <= 2,
		})
	}
	r := a.halved[o].goodput / a.halved[t].goodput
	out = append(out, bar{
		what:     "capacity halved: goodput ≥ 1.5x Throttle tuned for the old capacity",
		measured: fmt.Sprintf("%.0f/s vs %.0f/s = %.2fx", a.halved[o].goodput, a.halved[t].goodput, r),
		met:      r >= 1.5,
	})
	out = append(out, bar{
		what:     fmt.Sprintf("capacity halved: back within 10%% of the new best (%.0f/s) within 10 s", a.newBest),
		measured: secondsText(a.down[o]),
		met:      a.down[o] <= 10,
	})
	worstG, worstP := math.Inf(1), 0.0
	var whereG, whereP string
	for _, sp := range a.spans() {
		g := sp.s[o].goodput / sp.s[f].goodput
		p := float64(sp.s[o].p99) / float64(sp.s[f].p99)
		if g < worstG {
			worstG, whereG = g, sp.name
		}
		if p > worstP {
			worstP, whereP = p, sp.name
		}
	}
	out = append(out, bar{
		what:     "every step: goodput ≥ failsafe-go's",
		measured: fmt.Sprintf("lowest ratio %.2fx (%s)", worstG, whereG),
		met:      worstG >= 1,
	})
	out = append(out, bar{
		what:     "every step: p99 of admitted no worse than failsafe-go's",
		measured: fmt.Sprintf("highest ratio %.2fx (%s)", worstP, whereP),
		met:      worstP <= 1,
	})
	for _, ad := range adm {
		if ad.name == "ours" {
			out = append(out, bar{
				what:     "admission when not overloaded: ≤ 150 ns, 0 allocations",
				measured: fmt.Sprintf("%.0f ns, %d allocs (in process; `make bench` has the interleaved pairs)", ad.ns, ad.allocs),
				met:      ad.ns <= 150 && ad.allocs == 0,
			})
		}
	}
	return out
}

// span is a named part of the run with every contender's stats.
type span struct {
	name string
	s    []stats
}

func (a *analysis) spans() []span {
	var out []span
	for st := range a.steps {
		if st == stepCapacity {
			continue
		}
		out = append(out, span{a.steps[st].name, a.load[st]})
		if st == step5x {
			out = append(out, span{"1x after 5x", a.tail})
		}
	}
	return append(out, span{"capacity: before", a.before}, span{"capacity: halved", a.halved}, span{"capacity: recovered", a.after})
}

func secondsText(s float64) string {
	if math.IsInf(s, 1) {
		return "never, in the span measured"
	}
	return fmt.Sprintf("%.2f s", s)
}

func yes(b bool) string {
	if b {
		return "**met**"
	}
	return "**unmet**"
}

// writeMarkdown writes OVERLOAD.md.
func (a *analysis) writeMarkdown(w io.Writer, m measure.Machine, command string, took time.Duration, when time.Time, svg string, adm []admission) error {
	cfg := a.cfg
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Overload\n\n")
	p("Produced by `%s` on %s, in %s. Do not edit: run it again.\n\n", command, when.UTC().Format("2006-01-02 15:04 UTC"), took.Round(time.Second))
	p("Machine: %s, %s, %d logical CPUs (%s), shared with whatever else ran; load average before: %s. Every ratio below is within this one run.\n\n",
		m.OSArch, orUnknown(m.CPU), m.Cores, m.GoVersion, measure.LoadAverage())
	p("**The setup.** A backend of known capacity: %d workers (its bounded resource, a connection pool say), each request holding one for %s; requests beyond the workers wait for one in arrival order, as long as their clients do. Capacity C = %.0f requests/s. ",
		cfg.workers, cfg.service, cfg.capacity())
	p("An open-loop generator (this module's `fire`, tested to keep sending at its schedule while the server answers nothing) sends at a constant rate over cleartext HTTP/2, each request with a %s deadline counted from its scheduled send time, so the generator's own lateness counts against the server. ", cfg.deadline)
	p("Goodput is the 2xx answers within the deadline per second. Steps of %s at 0.5x, 1x, 2x and 5x C; the 5x step is followed by %s at 1x to time the recovery; then %s at 1x C during which the service time doubles for %s (capacity halves: the load is 2x the new capacity) and recovers. ",
		cfg.step, cfg.step, 2*cfg.step+cfg.halved, cfg.halved)
	p("Contenders, alternated within each step, each on its own backend and server, each keeping its state from step to step as a server would: no limiter; `Throttle` tuned (limit %d, the workers), mistuned at 0.5x (%d) and 2x (%d); ours (`adaptive.New(adaptive.Options{})`, the defaults); failsafe-go v0.9.8's adaptive limiter with its defaults (`adaptivelimiter.NewWithDefaults`, a permit or a refusal at once, recorded when the handler returns). ",
		cfg.workers, max(1, cfg.workers/2), 2*cfg.workers)
	p("Every refusal is the same errdoc 503. %d round(s); each figure is the median over rounds.\n\n", cfg.rounds)

	p("## The bars (issue 18)\n\n| bar | measured | |\n|---|---|---|\n")
	for _, br := range a.bars(adm) {
		p("| %s | %s | %s |\n", br.what, br.measured, yes(br.met))
	}
	p("\nThe unloaded p99 is the bare backend's at 0.5x.\n\n")
	if notes := a.notes(); len(notes) > 0 {
		p("### Notes on the bars\n\n")
		for _, n := range notes {
			p("- %s\n", n)
		}
		p("\n")
	}

	p("## Goodput per step (requests/s; C = %.0f)\n\n| contender |", cfg.capacity())
	sps := a.spans()
	for _, sp := range sps {
		p(" %s |", sp.name)
	}
	p("\n|---|")
	for range sps {
		p("--:|")
	}
	p("\n")
	for c, n := range a.names {
		p("| %s |", n)
		for _, sp := range sps {
			p(" %.0f |", sp.s[c].goodput)
		}
		p("\n")
	}
	p("\n## Every step in detail\n\nLatencies in ms, from the scheduled send time. Admitted: answered 2xx (within the deadline or not). Timeouts: ended by the client's deadline.\n\n")
	for _, sp := range sps {
		p("### %s\n\n| contender | sent | goodput/s | p50 admitted | p99 admitted | 503s | p99 to a 503 | timeouts | other |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n", sp.name)
		for c, n := range a.names {
			s := sp.s[c]
			p("| %s | %d | %.0f | %s | %s | %d | %s | %d | %d |\n", n, s.sent, s.goodput, msText(s.p50, s.good+s.rejected+s.timeouts > 0 && s.p50 > 0), msText(s.p99, s.p99 > 0), s.rejected, msText(s.p99Reject, s.rejected > 0), s.timeouts, s.other)
		}
		p("\n")
	}
	p("## Recovery\n\nSeconds until the goodput over a 1 s span is back within 10%% of the target: after the 5x step ends (target: the best 1x goodput, %.0f/s); after capacity halves (target: the best goodput at the new capacity, %.0f/s, over the second half of the halved span); after it recovers (target: the best before, %.0f/s).\n\n",
		a.best1x, a.newBest, a.oldBest)
	p("| contender | after 5x | capacity halved | capacity recovered |\n|---|--:|--:|--:|\n")
	for c, n := range a.names {
		p("| %s | %s | %s | %s |\n", n, secondsText(a.recov[c]), secondsText(a.down[c]), secondsText(a.up[c]))
	}
	p("\n## The limit over time\n\n")
	if svg != "" {
		p("![limit and goodput over time](%s)\n\n", svg)
	}
	p("Limit (min / median / max of the samples every %s, round 1) of the adaptive limiters in each step:\n\n| step | ours | failsafe-go |\n|---|--:|--:|\n", cfg.tick)
	o, f := a.index(ours), a.index(failsafe)
	for st := range a.steps {
		p("| %s | %s | %s |\n", a.steps[st].name, limitRange(a.first[st][o].limits), limitRange(a.first[st][f].limits))
	}
	p("\n## Admission cost (in process)\n\n| limiter | ns/op | allocs/op |\n|---|--:|--:|\n")
	for _, ad := range adm {
		p("| %s | %.0f | %d |\n", ad.name, ad.ns, ad.allocs)
	}
	p("\nOne `testing.Benchmark` run each, on this busy machine: `make bench` runs the same `BenchmarkAdmission` pairs interleaved over rounds into BENCHMARKS.md.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func orUnknown(s string) string {
	if s == "" {
		return "CPU unknown"
	}
	return s
}

func msText(d time.Duration, ok bool) string {
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.1f", ms(d))
}

func limitRange(ss []sample) string {
	if len(ss) == 0 {
		return "–"
	}
	var v []float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		x := float64(s.limit)
		v = append(v, x)
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return fmt.Sprintf("%.0f / %.0f / %.0f", lo, measure.Median(v), hi)
}

// notes explain, from the run's own numbers, what the bars' verdicts rest
// on. They are written for whichever way the run went.
func (a *analysis) notes() []string {
	o, f, t := a.index(ours), a.index(failsafe), a.index(tuned)
	newCap := a.cfg.capacity() / 2
	var out []string
	if a.halved[o].goodput < 1.5*a.halved[t].goodput && a.halved[t].goodput >= 0.9*newCap {
		out = append(out, fmt.Sprintf("Capacity halved: the backend's bounded resource is a pool of %d workers, and doubling the service time halves its capacity "+
			"(to %.0f/s) but leaves the concurrency it serves without queueing where it was, at the workers. Throttle tuned at the workers therefore stays right: "+
			"it served %.0f/s, %.0f%% of the new capacity, and no limiter can serve more than the capacity, so 1.5x of it is out of reach in this setup. "+
			"The bar presumes a fixed limit that overshoots when the server slows down; that is the mistuned Throttle 2x here (admitted p99 %.0f ms at halved capacity, ours %.0f ms).",
			a.cfg.workers, newCap, a.halved[t].goodput, 100*a.halved[t].goodput/newCap, ms(a.halved[a.index("Throttle 2x")].p99), ms(a.halved[o].p99)))
	}
	worst, where := 0.0, -1
	sps := a.spans()
	for i, sp := range sps {
		if r := float64(sp.s[o].p99) / float64(sp.s[f].p99); r > worst {
			worst, where = r, i
		}
	}
	if where >= 0 && worst > 1 {
		sp := sps[where]
		var lim []float64
		for _, sm := range a.first[step2x][f].limits {
			lim = append(lim, float64(sm.limit))
		}
		out = append(out, fmt.Sprintf("p99 beside failsafe-go: the widest gap is in %s (ours %.0f ms at %.0f/s, failsafe-go %.0f ms at %.0f/s). "+
			"failsafe-go's defaults hold its limit near or below the %d workers (a median of %.0f in the 2x step), so little queues inside the backend and its admitted p99 stays near "+
			"the bare service time; what it pays is goodput wherever it sits below the workers (%.0f/s at 2x, ours %.0f/s). Ours lets queueing add up to Tolerance (1.25x) "+
			"of the baseline before it cuts, which keeps every worker busy, and its cycle peaks there; a lower Tolerance trades goodput for p99.",
			sp.name, ms(sp.s[o].p99), sp.s[o].goodput, ms(sp.s[f].p99), sp.s[f].goodput,
			a.cfg.workers, measure.Median(lim), a.load[step2x][f].goodput, a.load[step2x][o].goodput))
	}
	out = append(out, "Admission: a request with a free slot costs a compare-and-swap and an atomic add; a measured one costs two reads of the monotonic clock and three atomic adds more "+
		"(the clock reads dominate on this VM's kvm-clock). Under heavy traffic only a random sample of the requests is measured (one in two once a window holds 128 measurements, and so on), "+
		"which is what a tight benchmark loop sees; at the rates of this run every admitted request is measured.")
	return out
}
