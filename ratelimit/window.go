package ratelimit

import (
	"math"
	"time"
)

// The sliding-window rule, as in go-chi/httprate: the count of the previous
// fixed window, weighted by how much of it still overlaps the sliding
// window, plus the count of the current one.
//
//	rate = previous*(window-elapsed)/window + current
//
// A request of cost units is admitted when rate+cost <= limit.

// weighted returns the sliding-window rate.
func weighted(prev, curr int64, elapsed, window time.Duration) float64 {
	return float64(prev)*float64(window-elapsed)/float64(window) + float64(curr)
}

// admits reports whether a request of cost fits.
func admits(prev, curr, cost, limit int64, elapsed, window time.Duration) bool {
	return weighted(prev, curr, elapsed, window)+float64(cost) <= float64(limit)
}

// retryAfter returns how long until a request of cost would be admitted,
// given the counts after it was refused, if nothing else is admitted
// meanwhile. It is exact for the rule above: waiting any less is refused.
func retryAfter(prev, curr, cost, limit int64, elapsed, window time.Duration) time.Duration {
	if cost > limit {
		// Never admitted; the best hint is a whole window.
		return window
	}
	W, e, L := float64(window), float64(elapsed), float64(limit)
	// Within the current window the previous count decays linearly.
	if curr+cost <= limit && prev > 0 {
		d := (W - e) - (L-float64(curr+cost))*W/float64(prev)
		if d < 0 {
			d = 0
		}
		if e+d < W {
			return time.Duration(math.Ceil(d))
		}
	}
	// In the next window the current count becomes the previous one.
	x := 0.0
	if curr > 0 {
		x = W * (1 - (L-float64(cost))/float64(curr))
		if x < 0 {
			x = 0
		}
	}
	return time.Duration(math.Ceil((W - e) + x))
}

// wholeSeconds rounds d up to whole seconds, at least 1.
func wholeSeconds(d time.Duration) int64 {
	s := int64((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

// remaining returns the whole units still available after the decision.
func remaining(prev, curr, limit int64, elapsed, window time.Duration) int64 {
	r := int64(math.Floor(float64(limit) - weighted(prev, curr, elapsed, window)))
	if r < 0 {
		return 0
	}
	return r
}
