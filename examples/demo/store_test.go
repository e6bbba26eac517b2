package demo

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// Anonymous clients can create items: the store keeps at most MaxItems of
// them, dropping the oldest created, so memory stays bounded; the seeded
// items stay whatever clients create; and the list of the longest items
// (every name rune one encoding/json writes in 6 bytes) fits MaxListBytes,
// the bound of the /v1 group's computed ETag (rows 2 and 3).
func TestStoreIsBounded(t *testing.T) {
	for _, name := range []string{
		strings.Repeat("n", maxNameRunes),
		strings.Repeat("<", maxNameRunes), // \u003c each
		strings.Repeat("\U0001F600", maxNameRunes),
	} {
		s := NewStore()
		s.Delete("2") // an admin's delete of a seed frees no room for creations
		for i := range 3 * MaxItems {
			s.Add(Item{Name: name, Quantity: math.MaxInt - i})
		}
		list := s.List()
		if len(list) != MaxItems+2 {
			t.Fatalf("%d items, want %d created and 2 seeds", len(list), MaxItems)
		}
		for _, id := range []string{"1", "3"} {
			if _, ok := s.Get(id); !ok {
				t.Errorf("seeded item %s was dropped", id)
			}
		}
		if _, ok := s.Get("4"); ok {
			t.Error("the oldest created item was kept")
		}
		last := strconv.Itoa(3 + 3*MaxItems)
		if _, ok := s.Get(last); !ok {
			t.Errorf("the newest item %s was dropped", last)
		}
		if n := len(s.order); n > 2*MaxItems+1 {
			t.Errorf("order holds %d IDs", n)
		}
		var body strings.Builder
		if err := json.NewEncoder(&body).Encode(append(list, Item{ID: "2", Name: name, Quantity: math.MaxInt})); err != nil {
			t.Fatal(err)
		}
		if b := body.Len(); b > MaxListBytes {
			t.Errorf("a full list of names like %.8q is %d bytes, over MaxListBytes (%d)", name, b, MaxListBytes)
		}
	}
}

// Deleting created items makes room again; deleting seeds does not count
// against creations.
func TestStoreCountsCreatedItems(t *testing.T) {
	s := NewStore()
	for range MaxItems {
		s.Add(Item{Name: "x"})
	}
	if !s.Delete("4") || !s.Delete("1") {
		t.Fatal("delete failed")
	}
	s.Add(Item{Name: "y"}) // room freed by deleting item 4: nothing dropped
	if _, ok := s.Get("5"); !ok {
		t.Error("item 5 was dropped although item 4's deletion made room")
	}
	if n := len(s.List()); n != MaxItems+2 {
		t.Errorf("%d items, want %d", n, MaxItems+2)
	}
}
