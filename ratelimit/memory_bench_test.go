package ratelimit_test

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/faultline-go/faultline/ratelimit"
	"github.com/go-chi/httprate"
)

// heapAfter returns the live heap after a full collection.
func heapAfter() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// fillOurs counts one request for each of n distinct keys in a
// MemoryCounter with opts, and returns the heap it holds and its keys.
func fillOurs(n int, opts ratelimit.MemoryOptions) (bytes uint64, held int) {
	keys := memKeys(n)
	before := heapAfter()
	c := ratelimit.NewMemoryCounter(opts)
	q := ratelimit.Quota{Namespace: "~100/1m0s", Limit: 100, Cost: 1, Window: time.Minute, Now: time.Unix(1_800_000_000, 0)}
	for _, k := range keys {
		_, _ = c.Take(context.Background(), k, q)
	}
	after := heapAfter()
	held = c.Len()
	runtime.KeepAlive(c)
	runtime.KeepAlive(keys)
	return after - before, held
}

// fillHTTPRate is fillOurs for httprate's in-memory counter.
func fillHTTPRate(n int) (bytes uint64, held int) {
	keys := memKeys(n)
	before := heapAfter()
	c := httprate.NewLocalLimitCounter(time.Minute)
	now := time.Now().UTC().Truncate(time.Minute)
	for _, k := range keys {
		_ = c.IncrementBy(k, now, 1)
	}
	after := heapAfter()
	runtime.KeepAlive(c)
	runtime.KeepAlive(keys)
	return after - before, n
}

func memKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "10." + strconv.Itoa(i>>16&0xff) + "." + strconv.Itoa(i>>8&0xff) + "." + strconv.Itoa(i&0xff)
		if i >= 1<<24 {
			keys[i] += "/" + strconv.Itoa(i>>24)
		}
	}
	return keys
}

// BenchmarkMemoryPerKey reports the heap a counter holds per key it holds,
// after one request from each of 100,000 and 1,000,000 distinct clients:
// ours (bounded at its default 262,144 keys, and sized for every key)
// beside httprate's in-memory counter (unbounded). Run with -benchtime 1x.
func BenchmarkMemoryPerKey(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		name := strconv.Itoa(n/1000) + "k"
		if n >= 1_000_000 {
			name = strconv.Itoa(n/1_000_000) + "M"
		}
		b.Run(name+"/ours", measure(func() (uint64, int) { return fillOurs(n, ratelimit.MemoryOptions{}) }))
		b.Run(name+"/ours-every-key", measure(func() (uint64, int) { return fillOurs(n, ratelimit.MemoryOptions{MaxKeys: n}) }))
		b.Run(name+"/httprate", measure(func() (uint64, int) { return fillHTTPRate(n) }))
	}
}

// measure runs fill and reports the bytes per key held and the keys held.
func measure(fill func() (bytes uint64, held int)) func(*testing.B) {
	return func(b *testing.B) {
		var bytes uint64
		var held int
		for b.Loop() {
			bytes, held = fill()
		}
		b.ReportMetric(float64(bytes)/float64(held), "B/key")
		b.ReportMetric(float64(held), "keys")
	}
}

// The MemoryCounter holds at most httprate's 24 bytes a key: at 100,000
// keys, full at its default bound after a flood, and sized for a million.
// (BenchmarkMemoryPerKey measures httprate beside it.)
func TestMemoryCounterBytesPerKey(t *testing.T) {
	cases := []struct {
		n    int
		opts ratelimit.MemoryOptions
	}{
		{100_000, ratelimit.MemoryOptions{}},
		{400_000, ratelimit.MemoryOptions{}}, // past the default 262,144: full
	}
	if !testing.Short() && !raceEnabled {
		cases = append(cases, struct {
			n    int
			opts ratelimit.MemoryOptions
		}{1_000_000, ratelimit.MemoryOptions{MaxKeys: 1_000_000}})
	}
	for _, tc := range cases {
		bytes, held := fillOurs(tc.n, tc.opts)
		perKey := float64(bytes) / float64(held)
		t.Logf("%d keys, MaxKeys %d: %d held, %.1f B/key", tc.n, tc.opts.MaxKeys, held, perKey)
		if perKey > 24 {
			t.Errorf("%.1f bytes a key at %d keys (MaxKeys %d); httprate holds 24", perKey, tc.n, tc.opts.MaxKeys)
		}
		if bound := max(tc.opts.MaxKeys, 1<<18); held > bound {
			t.Errorf("%d keys held, over the bound %d", held, bound)
		}
	}
}
