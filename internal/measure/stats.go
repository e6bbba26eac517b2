package measure

import (
	"math"
	"slices"
)

// Median returns the median of xs (the mean of the two middle values for an
// even count), NaN for none. xs is left as it was.
func Median(xs []float64) float64 {
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

// Ratio summarises a/b over rounds.
type Ratio struct {
	Median   float64 // the median of the per-round ratios
	Min, Max float64 // the lowest and highest round
	Rounds   int     // rounds in which both sides measured
}

// Ratios returns a[i]/b[i] for every round i in which both sides measured a
// positive value, summarised: a machine that slows down between rounds
// slows both sides of a round, and the ratio cancels it. All fields but
// Rounds are NaN when no round measured both.
func Ratios(a, b []float64) Ratio {
	var rs []float64
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] > 0 && b[i] > 0 {
			rs = append(rs, a[i]/b[i])
		}
	}
	if len(rs) == 0 {
		return Ratio{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	return Ratio{Median: Median(rs), Min: slices.Min(rs), Max: slices.Max(rs), Rounds: len(rs)}
}
