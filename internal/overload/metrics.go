package main

import (
	"math"
	"slices"
	"time"
)

// stats summarizes the results of one span of a step.
type stats struct {
	sent      int
	good      int           // 2xx within the deadline
	goodput   float64       // good per second of the span
	p50, p99  time.Duration // of the admitted (2xx) requests
	rejected  int           // 503s
	p99Reject time.Duration // time to a 503, 99th percentile
	timeouts  int           // ended by the client's deadline
	other     int           // any other outcome
}

// summarize computes the stats of the requests scheduled in [from, to).
func summarize(res []result, from, to, deadline time.Duration) stats {
	var s stats
	var ok, rej []time.Duration
	for _, r := range res {
		if r.at < from || r.at >= to {
			continue
		}
		s.sent++
		switch {
		case r.status >= 200 && r.status < 300:
			ok = append(ok, r.latency)
			if r.latency <= deadline {
				s.good++
			}
		case r.status == 503:
			rej = append(rej, r.latency)
		case r.timeout:
			s.timeouts++
		default:
			s.other++
		}
	}
	s.rejected = len(rej)
	s.goodput = float64(s.good) / (to - from).Seconds()
	s.p50, s.p99 = quantile(ok, 0.5), quantile(ok, 0.99)
	s.p99Reject = quantile(rej, 0.99)
	return s
}

// quantile is the q-quantile of d (nearest rank), zero for none. It sorts d.
func quantile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(math.Ceil(q*float64(len(d)))) - 1
	return d[min(max(i, 0), len(d)-1)]
}

// goodputBins is the goodput of each bin of the span [0, dur), by
// scheduled time.
func goodputBins(res []result, bin, dur, deadline time.Duration) []float64 {
	out := make([]float64, int(dur/bin))
	for _, r := range res {
		i := int(r.at / bin)
		if i < len(out) && r.status >= 200 && r.status < 300 && r.latency <= deadline {
			out[i]++
		}
	}
	for i := range out {
		out[i] /= bin.Seconds()
	}
	return out
}

// recovery is the time from from to the start of the first span of span
// bins whose mean goodput is at least target; -1 if none is.
func recovery(bins []float64, bin, from, span time.Duration, target float64) time.Duration {
	n := int(span / bin)
	for i := int(from / bin); i+n <= len(bins); i++ {
		sum := 0.0
		for _, g := range bins[i : i+n] {
			sum += g
		}
		if sum/float64(n) >= target {
			return time.Duration(i)*bin - from
		}
	}
	return -1
}
