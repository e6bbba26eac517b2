package errdoc

import (
	"context"
	"testing"
	"time"
)

// The walk's assumptions about the standard context types hold on this Go
// release: if a release changes them, this test fails (and the walk, which
// checks the same at run time, finds nothing rather than reading memory
// wrongly).
func TestContextLayoutProbe(t *testing.T) {
	if !stdCtxLayout().ok {
		t.Fatal("the standard context layouts are not the ones the walk assumes")
	}
}

type opaqueCtx struct{ context.Context }

// The walk passes through every standard context type, and stops at one
// it does not know rather than guessing its layout.
func TestContextWalk(t *testing.T) {
	l := stdCtxLayout()
	ctx := context.WithValue(context.Background(), probeKey{1}, "deep")
	ctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	ctx, cancel2 := context.WithCancelCause(ctx)
	defer cancel2(nil)
	ctx = context.WithoutCancel(ctx)
	ctx = context.WithValue(ctx, probeKey{2}, "near")
	var got []string
	l.walk(ctx, func(_, val any) bool { got = append(got, val.(string)); return false })
	if len(got) != 2 || got[0] != "near" || got[1] != "deep" {
		t.Fatalf("walk saw %v", got)
	}
	got = nil
	stop := l.walk(context.WithValue(opaqueCtx{ctx}, probeKey{3}, "top"), func(_, val any) bool {
		got = append(got, val.(string))
		return false
	})
	if len(got) != 1 || got[0] != "top" {
		t.Fatalf("walk past an unknown context type saw %v", got)
	}
	if _, ok := stop.(opaqueCtx); !ok {
		t.Fatalf("walk stopped at %T", stop)
	}
}

// A chain without chi's RequestID costs no allocation once its key types
// are cached, and finds nothing.
func TestChiRequestIDAbsentAllocatesNothing(t *testing.T) {
	var c chiKeyCache
	ctx := context.WithValue(context.WithValue(context.Background(), probeKey{1}, 1), probeKey{2}, 2)
	if _, ok := c.chiRequestID(ctx); ok {
		t.Fatal("found a chi ID in a chain without one")
	}
	if n := testing.AllocsPerRun(100, func() { c.chiRequestID(ctx) }); n != 0 {
		t.Fatalf("%v allocations per lookup", n)
	}
}
