package ratelimit

import (
	"context"
	"hash/maphash"
	"math"
	"math/bits"
	"sync"
	"sync/atomic"
)

// MemoryOptions configures a MemoryCounter. The zero value is ready to use.
type MemoryOptions struct {
	// MaxKeys bounds how many keys each limiter using the counter holds.
	// Keys are spread over 64 shards of MaxKeys/64 keys each; a new key in
	// a full shard first displaces an expired key, then the lightest of a
	// sample of live keys (heavy clients, the ones being limited, keep
	// their counts). A shard can fill a little before the whole counter
	// does: with MaxKeys 1,000,000, a million clients left 996,500 held.
	// Zero means 262,144 keys, about 5 MiB (measured: 20 bytes a key, 16
	// for the key and the free slots that keep probing short).
	MaxKeys int
}

// MemoryCounter is an in-process Counter: sharded, so requests for
// different keys rarely wait on each other, and bounded, so a flood of
// distinct keys cannot grow it without limit. Each limiter using it has its
// own table (Quota.Namespace), so limiters never see each other's counts.
//
// A key is kept as 40 bits of its hash (with a per-process random seed, so
// clients cannot choose keys that collide with someone else's) beside the
// low 24 bits of its window number and two 32-bit counts: 16 bytes a key.
// Two keys of one limiter share a count only if those 46 bits of their
// hashes agree (about once in 2^46 pairs per shard), and counts saturate at
// 2^32-1 units per window.
type MemoryCounter struct {
	Claims
	seed   maphash.Seed
	perCap int
	maxLen int

	mu     sync.Mutex // serialises adding tables
	tables atomic.Pointer[[]*memTable]
}

const (
	memShards   = 64
	evictSample = 16
	minSlots    = 16
	winBits     = 24
	winMask     = 1<<winBits - 1
)

// memTable holds the keys of one namespace.
type memTable struct {
	ns     string
	shards [memShards]memShard
}

// memShard is an open-addressing table with linear probing: slots grow by
// doubling up to the bound, and deletion shifts the probe run back, so
// there are no tombstones.
type memShard struct {
	mu    sync.Mutex
	slots []memSlot
	n     int
	rng   uint64
	_     [16]byte // keep shards on separate cache lines
}

// memSlot is one key: tag is the key's 40-bit fingerprint above the low 24
// bits of its window number (0 marks a free slot).
type memSlot struct {
	tag  uint64
	curr uint32
	prev uint32
}

// NewMemoryCounter returns an empty counter.
func NewMemoryCounter(opts MemoryOptions) *MemoryCounter {
	keys := opts.MaxKeys
	if keys <= 0 {
		keys = 1 << 18
	}
	per := (keys + memShards - 1) / memShards
	// Room for per keys at a load of at most 7/8, and at least 4 free slots.
	maxLen := max(per*8/7+1, per+4, minSlots)
	c := &MemoryCounter{seed: maphash.MakeSeed(), perCap: per, maxLen: maxLen}
	c.tables.Store(new([]*memTable))
	return c
}

// table returns the table of namespace ns, adding it on first use.
func (c *MemoryCounter) table(ns string) *memTable {
	for _, t := range *c.tables.Load() {
		if t.ns == ns {
			return t
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.tables.Load()
	for _, t := range old {
		if t.ns == ns {
			return t
		}
	}
	t := &memTable{ns: ns}
	for i := range t.shards {
		t.shards[i].slots = make([]memSlot, minSlots)
		t.shards[i].rng = uint64(i+1) * 0x9e3779b97f4a7c15
	}
	next := append(old[:len(old):len(old)], t)
	c.tables.Store(&next)
	return t
}

// Take implements Counter. It never fails.
func (c *MemoryCounter) Take(_ context.Context, key string, q Quota) (Result, error) {
	t := c.table(q.Namespace)
	h := maphash.String(c.seed, key)
	s := &t.shards[h%memShards]
	fp := h >> winBits // the top 40 bits
	if fp == 0 {
		fp = 1
	}
	idx, elapsed := windowIndex(q.Now, q.Window)
	win := uint64(idx) & winMask

	s.mu.Lock()
	i, found := s.find(fp)
	if !found {
		i = s.insert(fp, c.perCap, c.maxLen, win)
	}
	e := &s.slots[i]
	switch w := e.tag & winMask; {
	case w == win:
	case w == (win-1)&winMask:
		e.prev, e.curr = e.curr, 0
	default: // older, or a clock that went back more than a window
		e.prev, e.curr = 0, 0
	}
	e.tag = fp<<winBits | win
	prev, curr := int64(e.prev), int64(e.curr)
	allowed := admits(prev, curr, q.Cost, q.Limit, elapsed, q.Window)
	if allowed {
		curr = min(curr+q.Cost, math.MaxUint32)
		e.curr = uint32(curr)
	}
	s.mu.Unlock()
	return Result{Allowed: allowed, Current: curr, Previous: prev, Elapsed: elapsed}, nil
}

// home returns the slot a fingerprint probes from in a table of n slots.
func home(fp uint64, n int) int {
	hi, _ := bits.Mul64(fp<<winBits, uint64(n))
	return int(hi)
}

// find returns the slot of fp, or the free slot ending its probe run.
func (s *memShard) find(fp uint64) (int, bool) {
	n := len(s.slots)
	for i := home(fp, n); ; i++ {
		if i == n {
			i = 0
		}
		switch tag := s.slots[i].tag; {
		case tag == 0:
			return i, false
		case tag>>winBits == fp:
			return i, true
		}
	}
}

// insert adds fp with zero counts and returns its slot: growing the shard
// while it may, else displacing an expired or the lightest sampled key.
func (s *memShard) insert(fp uint64, perCap, maxLen int, win uint64) int {
	if s.n >= perCap {
		s.evict(win)
	} else if s.n+1 > len(s.slots)*7/8 && len(s.slots) < maxLen {
		s.grow(min(len(s.slots)*2, maxLen))
	}
	i, _ := s.find(fp)
	s.slots[i] = memSlot{tag: fp<<winBits | win}
	s.n++
	return i
}

func (s *memShard) grow(n int) {
	old := s.slots
	s.slots = make([]memSlot, n)
	for _, e := range old {
		if e.tag != 0 {
			i, _ := s.find(e.tag >> winBits)
			s.slots[i] = e
		}
	}
}

// evict frees one slot: the first expired key of a sample of slots from a
// random place, else the sample's lightest live key.
func (s *memShard) evict(win uint64) {
	s.rng ^= s.rng << 13
	s.rng ^= s.rng >> 7
	s.rng ^= s.rng << 17
	n := len(s.slots)
	victim, lightest := -1, uint64(math.MaxUint64)
	seen := 0
	for j, i := 0, int(s.rng%uint64(n)); j < n && seen < evictSample; j, i = j+1, i+1 {
		if i == n {
			i = 0
		}
		e := &s.slots[i]
		if e.tag == 0 {
			continue
		}
		seen++
		w := e.tag & winMask
		if w != win && w != (win-1)&winMask {
			victim = i
			break
		}
		load := uint64(e.curr) + uint64(e.prev)
		if w != win {
			load = uint64(e.curr) // its current window is the previous one now
		}
		if load < lightest {
			victim, lightest = i, load
		}
	}
	if victim >= 0 {
		s.delete(victim)
	}
}

// delete frees slot i and shifts the rest of its probe run back.
func (s *memShard) delete(i int) {
	n := len(s.slots)
	for j := i + 1; ; j++ {
		if j == n {
			j = 0
		}
		e := s.slots[j]
		if e.tag == 0 {
			break
		}
		k := home(e.tag>>winBits, n)
		// e may move to i when its home is not in the cyclic range (i, j].
		if (i <= j && (k <= i || k > j)) || (i > j && k <= i && k > j) {
			s.slots[i] = e
			i = j
		}
	}
	s.slots[i] = memSlot{}
	s.n--
}

// Len returns how many keys the counter holds, over every limiter.
func (c *MemoryCounter) Len() int {
	n := 0
	for _, t := range *c.tables.Load() {
		for i := range t.shards {
			s := &t.shards[i]
			s.mu.Lock()
			n += s.n
			s.mu.Unlock()
		}
	}
	return n
}
