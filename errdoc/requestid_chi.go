package errdoc

import (
	"context"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// chi's middleware.RequestID stores its ID in the request's context under a
// key of an unexported type, middleware.ctxKeyRequestID. Importing chi's
// middleware package for that key would link net/http/pprof and expvar
// into every program that uses errdoc, and register their handlers on
// http.DefaultServeMux: a price no user of errdoc without chi should pay.
// So Handler finds the key the first time it meets it: it walks the
// request's context, through the standard library's own context types
// (whose layouts are checked when first needed), and recognises chi's key
// by its type's package path and name. From then on the key is known and
// looked up as any other. A context type the walk does not know (another
// library's) ends the walk: the ID is then not found until the key is
// known, which one request through a walkable chain is enough for.

// chiMiddlewarePkg and chiRequestIDKeyType name the type of chi's key.
const (
	chiMiddlewarePkg    = "github.com/go-chi/chi/v5/middleware"
	chiRequestIDKeyType = "ctxKeyRequestID"
	maxContextWalk      = 64 // nodes; a deeper chain is not walked further
	notChiCacheSize     = 8
)

// chiKeyCache is what a Renderer has learnt about chi's request-ID key.
type chiKeyCache struct {
	key atomic.Pointer[any] // chi's RequestIDKey, once seen
	// notChi holds type words of context keys known not to be chi's, so
	// that a chain without chi's RequestID costs a few comparisons.
	notChi [notChiCacheSize]atomic.Pointer[byte]
}

// eface is the layout of an empty interface value.
type eface struct {
	typ  *byte
	data unsafe.Pointer
}

// iface is the layout of a non-empty interface value (context.Context).
type iface struct {
	tab  unsafe.Pointer
	data unsafe.Pointer
}

// valueCtxLayout mirrors context.valueCtx.
type valueCtxLayout struct {
	context.Context
	key, val any
}

// ctxLayout holds the itabs of the standard context types the walk goes
// through. ok is false when the layouts are not the ones the walk assumes
// (a future Go release): then nothing is walked.
type ctxLayout struct {
	value, cancel, timer, without unsafe.Pointer
	ok                            bool
}

// stdCtxLayout is computed once, on first use, and never changed.
var stdCtxLayout = sync.OnceValue(probeCtxLayout)

type probeKey struct{ n int }

func tabOf(ctx context.Context) unsafe.Pointer { return (*iface)(unsafe.Pointer(&ctx)).tab }

// probeCtxLayout learns the itabs from contexts of each kind, then checks
// that a walk over a chain of all of them finds exactly the values stored.
func probeCtxLayout() ctxLayout {
	base := context.WithValue(context.Background(), probeKey{1}, "one")
	c1, cancel1 := context.WithCancel(base)
	defer cancel1()
	c2, cancel2 := context.WithDeadline(c1, time.Now().Add(time.Hour))
	defer cancel2()
	c3 := context.WithoutCancel(c2)
	c4 := context.WithValue(c3, probeKey{2}, "two")
	l := ctxLayout{value: tabOf(base), cancel: tabOf(c1), timer: tabOf(c2), without: tabOf(c3), ok: true}
	var seen []any
	var got []string
	end := l.walk(c4, func(key, val any) bool {
		seen = append(seen, key)
		s, _ := val.(string)
		got = append(got, s)
		return false
	})
	if end != context.Background() || len(seen) != 2 || seen[0] != (probeKey{2}) || seen[1] != (probeKey{1}) ||
		got[0] != "two" || got[1] != "one" {
		return ctxLayout{}
	}
	return l
}

// walk calls visit with the key and value of every context.WithValue node
// of ctx's chain, innermost first, until visit returns true; it returns
// the context where it stopped (the first of a type it does not know).
func (l *ctxLayout) walk(ctx context.Context, visit func(key, val any) bool) context.Context {
	for range maxContextWalk {
		if ctx == nil {
			return nil
		}
		w := (*iface)(unsafe.Pointer(&ctx))
		switch w.tab {
		case l.value:
			v := (*valueCtxLayout)(w.data)
			if visit(v.key, v.val) {
				return ctx
			}
			ctx = v.Context
		case l.cancel, l.timer, l.without:
			// Each holds its parent as its first word pair.
			ctx = *(*context.Context)(w.data)
		default:
			return ctx
		}
	}
	return ctx
}

// chiRequestID returns the ID chi's middleware.RequestID stored in ctx, if
// it did.
func (c *chiKeyCache) chiRequestID(ctx context.Context) (string, bool) {
	if k := c.key.Load(); k != nil {
		id, ok := ctx.Value(*k).(string)
		return id, ok
	}
	l := stdCtxLayout()
	if !l.ok {
		return "", false
	}
	var id string
	found := false
	l.walk(ctx, func(key, val any) bool {
		typ := (*eface)(unsafe.Pointer(&key)).typ
		free := -1
		for i := range c.notChi {
			switch c.notChi[i].Load() {
			case typ:
				return false
			case nil:
				if free < 0 {
					free = i
				}
			}
		}
		t := reflect.TypeOf(key)
		if t.Name() != chiRequestIDKeyType || t.PkgPath() != chiMiddlewarePkg {
			if free >= 0 {
				c.notChi[free].CompareAndSwap(nil, typ)
			}
			return false
		}
		k := key
		c.key.Store(&k)
		id, found = val.(string)
		return true
	})
	return id, found
}
