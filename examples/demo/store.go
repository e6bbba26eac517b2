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

// MaxItems bounds the store: the demo is open to anonymous clients, so
// creating an item past it drops the oldest one. It also keeps the list
// (at most about 150 bytes an item, names being at most 100) under the
// 64 KiB up to which the /v1 group computes ETags.
const MaxItems = 256

// Store is a small in-memory item store, safe for concurrent use, of at
// most MaxItems items.
type Store struct {
	mu     sync.RWMutex
	items  map[string]Item
	order  []string // IDs in the order they were added; deleted ones too
	nextID int
}

// NewStore returns a store seeded with items 1, 2 and 3.
func NewStore() *Store {
	s := &Store{items: map[string]Item{}, nextID: 4}
	for i, it := range []Item{{Name: "bolt", Quantity: 3}, {Name: "nut", Quantity: 10}, {Name: "washer", Quantity: 25}} {
		it.ID = strconv.Itoa(i + 1)
		s.items[it.ID] = it
		s.order = append(s.order, it.ID)
	}
	return s
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

// Add stores a new item and returns it with its ID. A full store first
// drops its oldest item.
func (s *Store) Add(it Item) Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.items) >= MaxItems && len(s.order) > 0 {
		delete(s.items, s.order[0])
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
	return it
}

// Delete removes the item with id and reports whether it existed.
func (s *Store) Delete(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.items[id]
	delete(s.items, id)
	return ok
}
