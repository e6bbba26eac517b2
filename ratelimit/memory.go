package ratelimit

import (
	"context"
	"hash/maphash"
	"sync"
)

// MemoryOptions configures a MemoryCounter. The zero value is ready to use.
type MemoryOptions struct {
	// MaxKeys bounds how many keys the counter holds. When it is full, a new
	// key first displaces keys whose windows have expired, then the lightest
	// of a random sample of live keys (heavy clients, the ones being limited,
	// keep their counts). Zero means 262,144 keys (about 20 MiB of heap,
	// measured after a flood of a million distinct keys).
	MaxKeys int
}

// MemoryCounter is an in-process Counter: sharded, so requests for
// different keys rarely wait on each other, and bounded, so a flood of
// distinct keys cannot grow it without limit. Keys are hashed with a
// per-process random seed, so clients cannot choose keys that collide with
// someone else's.
type MemoryCounter struct {
	seed   maphash.Seed
	perCap int
	shards [memShards]memShard
}

const (
	memShards   = 64
	evictSample = 16
)

type memShard struct {
	mu      sync.Mutex
	entries map[uint64]memEntry
	_       [40]byte // keep shards on separate cache lines
}

type memEntry struct {
	win  int64 // index of the current fixed window
	curr int64
	prev int64
}

// NewMemoryCounter returns an empty counter.
func NewMemoryCounter(opts MemoryOptions) *MemoryCounter {
	max := opts.MaxKeys
	if max <= 0 {
		max = 1 << 18
	}
	per := max / memShards
	if per < 1 {
		per = 1
	}
	c := &MemoryCounter{seed: maphash.MakeSeed(), perCap: per}
	for i := range c.shards {
		c.shards[i].entries = make(map[uint64]memEntry)
	}
	return c
}

// Take implements Counter. It never fails.
func (c *MemoryCounter) Take(_ context.Context, key string, q Quota) (Result, error) {
	h := maphash.String(c.seed, key)
	s := &c.shards[h%memShards]
	idx, elapsed := windowIndex(q.Now, q.Window)

	s.mu.Lock()
	e, ok := s.entries[h]
	switch {
	case !ok:
		s.makeRoom(c.perCap, idx)
		e = memEntry{win: idx}
	case e.win == idx:
	case e.win == idx-1:
		e = memEntry{win: idx, prev: e.curr}
	case e.win < idx:
		e = memEntry{win: idx}
	}
	// A clock that went backwards keeps the newer window's counts.
	allowed := admits(e.prev, e.curr, q.Cost, q.Limit, elapsed, q.Window)
	if allowed {
		e.curr += q.Cost
	}
	s.entries[h] = e // counted, or rolled to the current window
	s.mu.Unlock()
	return Result{Allowed: allowed, Current: e.curr, Previous: e.prev, Elapsed: elapsed}, nil
}

// makeRoom frees a slot in a full shard: expired entries first, else the
// lightest of a random sample (map iteration starts at a random place).
func (s *memShard) makeRoom(capacity int, idx int64) {
	if len(s.entries) < capacity {
		return
	}
	var victim uint64
	lightest := int64(-1)
	n := 0
	for k, e := range s.entries {
		if e.win < idx-1 {
			delete(s.entries, k)
			if len(s.entries) < capacity {
				return
			}
			continue
		}
		if load := e.curr + e.prev; lightest < 0 || load < lightest {
			victim, lightest = k, load
		}
		if n++; n >= evictSample {
			break
		}
	}
	if len(s.entries) >= capacity && lightest >= 0 {
		delete(s.entries, victim)
	}
}

// Len returns how many keys the counter holds.
func (c *MemoryCounter) Len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += len(s.entries)
		s.mu.Unlock()
	}
	return n
}
