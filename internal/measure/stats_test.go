package measure

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		xs   []float64
		want float64
	}{
		{"one", []float64{3}, 3},
		{"odd, unsorted", []float64{5, 1, 3}, 3},
		{"even: mean of the middle two", []float64{4, 1, 3, 2}, 2.5},
		{"an outlier does not move it", []float64{10, 11, 12, 1000, 9}, 11},
		{"duplicates", []float64{2, 2, 7, 2}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]float64(nil), tc.xs...)
			assert.Equal(t, tc.want, Median(tc.xs))
			assert.Equal(t, in, tc.xs, "the input is left as it was")
		})
	}
	assert.True(t, math.IsNaN(Median(nil)))
}

func TestRatios(t *testing.T) {
	for _, tc := range []struct {
		name        string
		ours, base  []float64
		med, lo, hi float64
		rounds      int
	}{
		{
			name: "drift cancels: both sides slow down together in round 2",
			ours: []float64{200, 400, 210}, base: []float64{100, 200, 100},
			med: 2, lo: 2, hi: 2.1, rounds: 3,
		},
		{
			name: "the median of the per-round ratios, not the ratio of medians",
			ours: []float64{100, 300, 100, 100}, base: []float64{100, 100, 50, 200},
			med: 1.5, lo: 0.5, hi: 3, rounds: 4,
		},
		{
			name: "a failed round (zero) on either side is left out",
			ours: []float64{100, 0, 150}, base: []float64{50, 60, 0},
			med: 2, lo: 2, hi: 2, rounds: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Ratios(tc.ours, tc.base)
			assert.InDelta(t, tc.med, r.Median, 1e-9)
			assert.InDelta(t, tc.lo, r.Min, 1e-9)
			assert.InDelta(t, tc.hi, r.Max, 1e-9)
			assert.Equal(t, tc.rounds, r.Rounds)
		})
	}
	r := Ratios([]float64{0}, []float64{1})
	assert.True(t, math.IsNaN(r.Median))
	assert.Zero(t, r.Rounds)
}

func TestCPUModel(t *testing.T) {
	const cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n"
	assert.Equal(t, "AMD EPYC 7B13", cpuModel(cpuinfo))
	assert.Equal(t, "", cpuModel("processor : 0\n"))
}
