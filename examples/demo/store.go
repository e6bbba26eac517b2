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

// Store is a small in-memory item store, safe for concurrent use.
type Store struct {
	mu     sync.RWMutex
	items  map[string]Item
	nextID int
}

// NewStore returns a store seeded with items 1, 2 and 3.
func NewStore() *Store {
	s := &Store{items: map[string]Item{}, nextID: 4}
	for i, it := range []Item{{Name: "bolt", Quantity: 3}, {Name: "nut", Quantity: 10}, {Name: "washer", Quantity: 25}} {
		it.ID = strconv.Itoa(i + 1)
		s.items[it.ID] = it
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

// Add stores a new item and returns it with its ID.
func (s *Store) Add(it Item) Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	it.ID = strconv.Itoa(s.nextID)
	s.nextID++
	s.items[it.ID] = it
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
