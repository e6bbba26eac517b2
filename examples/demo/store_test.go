package demo

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// Anonymous clients can create items: the store keeps at most MaxItems,
// dropping the oldest, so memory stays bounded and the list stays small
// enough for the /v1 group's computed ETag (rows 2 and 3).
func TestStoreIsBounded(t *testing.T) {
	s := NewStore()
	s.Delete("2")
	for i := range 3 * MaxItems {
		s.Add(Item{Name: strings.Repeat("n", 100), Quantity: math.MaxInt - i}) // the longest items
	}
	list := s.List()
	if len(list) != MaxItems {
		t.Fatalf("%d items, want %d", len(list), MaxItems)
	}
	if _, ok := s.Get("1"); ok {
		t.Error("the oldest item was kept")
	}
	last := strconv.Itoa(3 + 3*MaxItems)
	if _, ok := s.Get(last); !ok {
		t.Errorf("the newest item %s was dropped", last)
	}
	if n := len(s.order); n > 2*MaxItems+1 {
		t.Errorf("order holds %d IDs", n)
	}
	body, _ := json.Marshal(list)
	if b := len(body); b > 64<<10 {
		t.Errorf("a full list is %d bytes, over the ETag bound", b)
	}
}
