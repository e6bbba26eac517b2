package demo

import (
	"slices"
	"strconv"
	"sync"
)

// Item is one record of the demo store.
type Item struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
}

// MaxItems bounds the items clients create: the demo is open to
// anonymous clients, so creating one past it drops the oldest created
// item. The seeded items 1, 2 and 3 are never dropped (only an admin's
// DELETE removes them), so no client can make the contract's rows about
// item 1 fail by creating items.
const MaxItems = 256

// seeds is how many items NewStore seeds.
const seeds = 3

// maxNameRunes is the longest name POST /v1/items accepts (the max=100 of
// newItem's validate tag).
const maxNameRunes = 100

// maxItemJSON is the most bytes one item takes in the list encoding/json
// writes: an ID and a quantity of up to 20 digits, and a name whose every
// rune takes 6 bytes (encoding/json escapes <, > and & as \u003c; other
// runes take at most 4).
const maxItemJSON = len(`{"id":"","name":"","quantity":},`) + 20 + 6*maxNameRunes + 20

// MaxListBytes bounds the body of GET /v1/items, a full store of the
// longest items: the /v1 group computes ETags up to it, so the list
// always has one (rows 2 and 3).
const MaxListBytes = len("[]\n") + (seeds+MaxItems)*maxItemJSON

// Store is a small in-memory item store, safe for concurrent use: the
// seeded items and at most MaxItems created ones.
type Store struct {
	mu      sync.RWMutex
	items   map[string]Item
	order   []string // created IDs in the order they were added; deleted ones too
	created int      // created items in items
	nextID  int
}

// NewStore returns a store seeded with items 1, 2 and 3.
func NewStore() *Store {
	s := &Store{items: map[string]Item{}, nextID: seeds + 1}
	for i, it := range []Item{{Name: "bolt", Quantity: 3}, {Name: "nut", Quantity: 10}, {Name: "washer", Quantity: 25}} {
		it.ID = strconv.Itoa(i + 1)
		s.items[it.ID] = it
	}
	return s
}

// seeded reports whether id is one of the items NewStore seeded.
func seeded(id string) bool {
	n, err := strconv.Atoi(id)
	return err == nil && n >= 1 && n <= seeds
}

// Get returns the item with id.
func (s *Store) Get(id string) (Item, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	it, ok := s.items[id]
	return it, ok
}

// List returns all items ordered by numeric ID.
func (s *Store) List() []Item {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Item, 0, len(s.items))
	for _, it := range s.items {
		out = append(out, it)
	}
	slices.SortFunc(out, func(a, b Item) int {
		x, _ := strconv.Atoi(a.ID)
		y, _ := strconv.Atoi(b.ID)
		return x - y
	})
	return out
}

// Add stores a new item and returns it with its ID. With MaxItems created
// items stored, it first drops the oldest created one.
func (s *Store) Add(it Item) Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.created >= MaxItems && len(s.order) > 0 {
		if _, ok := s.items[s.order[0]]; ok {
			delete(s.items, s.order[0])
			s.created--
		}
		s.order = s.order[1:]
	}
	if len(s.order) > 2*MaxItems { // drop the IDs of deleted items
		live := s.order[:0:0]
		for _, id := range s.order {
			if _, ok := s.items[id]; ok {
				live = append(live, id)
			}
		}
		s.order = live
	}
	it.ID = strconv.Itoa(s.nextID)
	s.nextID++
	s.items[it.ID] = it
	s.order = append(s.order, it.ID)
	s.created++
	return it
}

// Delete removes the item with id and reports whether it existed.
func (s *Store) Delete(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.items[id]
	if ok {
		delete(s.items, id)
		if !seeded(id) {
			s.created--
		}
	}
	return ok
}
