package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSummarize(t *testing.T) {
	ms := time.Millisecond
	res := []result{
		{at: 0, latency: 10 * ms, status: 200},
		{at: 100 * ms, latency: 30 * ms, status: 200},
		{at: 200 * ms, latency: 300 * ms, status: 200}, // late: admitted, not good
		{at: 300 * ms, latency: 1 * ms, status: 503},
		{at: 400 * ms, latency: 200 * ms, timeout: true},
		{at: 500 * ms, latency: 5 * ms, status: 500},
		{at: 2 * time.Second, latency: 10 * ms, status: 200}, // outside the span
	}
	s := summarize(res, 0, time.Second, 250*ms)
	assert.Equal(t, stats{sent: 6, good: 2, goodput: 2, p50: 30 * ms, p99: 300 * ms, rejected: 1, p99Reject: ms, timeouts: 1, other: 1}, s)
}

func TestQuantile(t *testing.T) {
	for _, tt := range []struct {
		in   []time.Duration
		q    float64
		want time.Duration
	}{
		{nil, 0.99, 0},
		{[]time.Duration{5}, 0.5, 5},
		{[]time.Duration{4, 1, 3, 2}, 0.5, 2},
		{[]time.Duration{4, 1, 3, 2}, 0.99, 4},
		{[]time.Duration{4, 1, 3, 2}, 0.75, 3},
	} {
		assert.Equal(t, tt.want, quantile(tt.in, tt.q), "%v q%v", tt.in, tt.q)
	}
}

func TestRecovery(t *testing.T) {
	bin := 250 * time.Millisecond
	bins := []float64{100, 100, 10, 10, 20, 90, 95, 100, 100, 100}
	// From bin 2 (500ms): the first 4-bin span averaging 90 starts at bin 5.
	assert.Equal(t, 750*time.Millisecond, recovery(bins, bin, 500*time.Millisecond, time.Second, 90))
	assert.Equal(t, time.Duration(-1), recovery(bins, bin, 500*time.Millisecond, time.Second, 150))
	assert.Equal(t, time.Duration(0), recovery(bins, bin, 0, 500*time.Millisecond, 100))
}

func TestGoodputBins(t *testing.T) {
	ms := time.Millisecond
	res := []result{
		{at: 0, latency: 10 * ms, status: 200},
		{at: 100 * ms, latency: 10 * ms, status: 503},
		{at: 600 * ms, latency: 10 * ms, status: 200},
		{at: 700 * ms, latency: 900 * ms, status: 200},
	}
	assert.Equal(t, []float64{2, 2}, goodputBins(res, 500*ms, time.Second, 500*ms))
}
