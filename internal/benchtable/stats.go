package main

import (
	"math"
	"slices"
)

// median returns the median of xs (the mean of the two middle values for an
// even count), NaN for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// Ratio summarises ours/anchor over the rounds.
type Ratio struct {
	Median   float64
	Min, Max float64
	Rounds   int
}

// ratios returns ours[i]/anchor[i] for every round i in which both sides
// measured a positive time, and their median and range: the drift of the
// machine between rounds cancels in each round's ratio.
func ratios(ours, anchor []float64) Ratio {
	var rs []float64
	for i := 0; i < len(ours) && i < len(anchor); i++ {
		if ours[i] > 0 && anchor[i] > 0 {
			rs = append(rs, ours[i]/anchor[i])
		}
	}
	if len(rs) == 0 {
		return Ratio{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	return Ratio{Median: median(rs), Min: slices.Min(rs), Max: slices.Max(rs), Rounds: len(rs)}
}
