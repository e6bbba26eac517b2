package logbuf

import (
	"sync"
	"testing"
)

func TestConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				_, _ = b.Write([]byte("x;"))
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	if n := b.Count("x;"); n != 800 {
		t.Fatalf("Count = %d, want 800", n)
	}
}
