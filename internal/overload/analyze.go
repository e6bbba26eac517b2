package main

import (
	"math"
	"time"

	"github.com/faultline-go/faultline/internal/measure"
)

// analysis is what the report says, computed from every round's outcomes:
// each figure is the median over rounds; the plots show the first round.
type analysis struct {
	cfg   config
	names []string
	steps []stepDef

	load  [][]stats // [step][contender], over the step's first segment
	tail  []stats   // [contender], the 1x step after 5x
	recov []float64 // [contender], seconds from the end of 5x back to 90% of the best 1x goodput; +Inf: never

	before, halved, after []stats   // [contender], the capacity step's three spans
	down, up              []float64 // [contender], seconds back to 90% of the new best, and of the old best after recovery
	newBest, oldBest      float64   // best goodput at halved capacity (its second half) and before it

	best1x      float64       // best goodput at 1x, any contender
	unloadedP99 time.Duration // p99 of the bare backend at 0.5x

	first [][]outcome // round 1, for the plots
}

const (
	stepHalf = iota
	step1x
	step2x
	step5x
	stepCapacity
)

func analyze(cfg config, names []contender, out [][][]outcome) *analysis {
	a := &analysis{cfg: cfg, steps: cfg.steps(), first: out[0]}
	for _, c := range names {
		a.names = append(a.names, c.name)
	}
	nc := len(a.names)
	// over returns f's median over the rounds, for step st and contender c.
	statsOver := func(st, c int, from, to time.Duration) stats {
		var per []stats
		for _, round := range out {
			per = append(per, summarize(round[st][c].res, from, to, cfg.deadline))
		}
		return medianStats(per)
	}
	for st := range a.steps {
		row := make([]stats, nc)
		for c := range nc {
			row[c] = statsOver(st, c, 0, a.steps[st].load[0].dur)
		}
		a.load = append(a.load, row)
	}
	for c := range nc {
		a.best1x = math.Max(a.best1x, a.load[step1x][c].goodput)
	}
	a.unloadedP99 = a.load[stepHalf][0].p99

	s, h := cfg.step, cfg.halved
	capDur := 2*s + h
	for c := range nc {
		a.tail = append(a.tail, statsOver(step5x, c, s, 2*s))
		a.before = append(a.before, statsOver(stepCapacity, c, 0, s))
		a.halved = append(a.halved, statsOver(stepCapacity, c, s, s+h))
		a.after = append(a.after, statsOver(stepCapacity, c, s+h, capDur))
		steady := statsOver(stepCapacity, c, s+h/2, s+h)
		a.newBest = math.Max(a.newBest, steady.goodput)
		a.oldBest = math.Max(a.oldBest, a.before[c].goodput)
	}
	for c := range nc {
		var r5, rd, ru []float64
		for _, round := range out {
			bins := goodputBins(round[step5x][c].res, cfg.bin, 2*s, cfg.deadline)
			r5 = append(r5, seconds(recovery(bins, cfg.bin, s, time.Second, 0.9*a.best1x)))
			bins = goodputBins(round[stepCapacity][c].res, cfg.bin, capDur, cfg.deadline)
			rd = append(rd, seconds(recovery(bins[:int((s+h)/cfg.bin)], cfg.bin, s, time.Second, 0.9*a.newBest)))
			ru = append(ru, seconds(recovery(bins, cfg.bin, s+h, time.Second, 0.9*a.oldBest)))
		}
		a.recov = append(a.recov, measure.Median(r5))
		a.down = append(a.down, measure.Median(rd))
		a.up = append(a.up, measure.Median(ru))
	}
	return a
}

// seconds is d in seconds, +Inf for recovery's "never" (-1).
func seconds(d time.Duration) float64 {
	if d < 0 {
		return math.Inf(1)
	}
	return d.Seconds()
}

// medianStats is the median of each field over rounds.
func medianStats(per []stats) stats {
	if len(per) == 1 {
		return per[0]
	}
	f := func(get func(stats) float64) float64 {
		var v []float64
		for _, s := range per {
			v = append(v, get(s))
		}
		return measure.Median(v)
	}
	d := func(get func(stats) time.Duration) time.Duration {
		return time.Duration(f(func(s stats) float64 { return float64(get(s)) }))
	}
	i := func(get func(stats) int) int { return int(f(func(s stats) float64 { return float64(get(s)) })) }
	return stats{
		sent:      i(func(s stats) int { return s.sent }),
		good:      i(func(s stats) int { return s.good }),
		goodput:   f(func(s stats) float64 { return s.goodput }),
		p50:       d(func(s stats) time.Duration { return s.p50 }),
		p99:       d(func(s stats) time.Duration { return s.p99 }),
		rejected:  i(func(s stats) int { return s.rejected }),
		p99Reject: d(func(s stats) time.Duration { return s.p99Reject }),
		timeouts:  i(func(s stats) int { return s.timeouts }),
		other:     i(func(s stats) int { return s.other }),
	}
}

// index of a contender by name, -1 if none.
func (a *analysis) index(name string) int {
	for i, n := range a.names {
		if n == name {
			return i
		}
	}
	return -1
}
