package middleware

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"unsafe"

	"github.com/go-chi/chi/v5"
)

// ownRoute is a timed handler's own chi route context. chi's root Mux
// takes its *chi.Context from a sync.Pool and puts it back when its
// ServeHTTP returns, which a Timeout lets happen at the deadline while the
// handler's goroutine runs on: the next request would then route with the
// same *chi.Context, and the late handler would read that request's URL
// parameters (or race with chi's Reset). So the handler never sees the
// pooled one: its context answers chi.RouteCtxKey with a deep copy, made
// before its goroutine starts. Routing that happens on that goroutine (a
// Timeout in a router's Use, or above a Mount) fills the copy; when the
// handler returns in time, the copy's state goes back to the pooled
// context, so middlewares above the Timeout read the route pattern and
// parameters as if there were no Timeout. After the deadline nothing goes
// back: the pooled context is chi's again, and the copy the late handler's
// alone.
//
// The copy must own every slice of chi.Context, the unexported ones too
// (the parameters of the current sub-router, which a Mount reads to find
// the sub-router's path, and the methods a 405 lists): chi appends to them
// in place. chi.Context.Clone does exactly that, at six allocations for a
// route with one parameter. ownRoute does it in arrays of its own, inside
// the allocation of the request's writer, whose shape has an ownRoute only
// for a request routed by chi (newTimeoutWriter: a request without chi
// does not pay for its bytes), writing the two unexported slices at
// offsets found by reflection once, and only when their names and types
// are what this file expects (TestTimeoutRouteLayout pins that for the chi
// version in go.mod). With another layout it falls back to Clone.
//
// The arrays hold two URL parameters, one parameter of the current
// sub-router, and two patterns (a mount's and its route's), which keeps
// the writer in the 896-byte size class (TestTimeoutWriterSize); routes
// with more parameters or patterns grow their slices on the heap, and a
// 405's methods are copied there.
type ownRoute struct {
	ctx    chi.Context
	own    *chi.Context // &ctx, or a Clone when chi's layout is unknown
	pooled *chi.Context // the router's

	keys, values   [2]string
	rkeys, rvalues [1]string
	patterns       [2]string
}

// chiLayout locates chi.Context's unexported fields that ownRoute copies;
// known is false unless each has the expected name and type.
var chiLayout = func() (l struct {
	known                        bool
	routeParams, methods, parent uintptr
}) {
	t := reflect.TypeFor[chi.Context]()
	rp, ok1 := t.FieldByName("routeParams")
	ma, ok2 := t.FieldByName("methodsAllowed")
	pc, ok3 := t.FieldByName("parentCtx")
	if !ok1 || !ok2 || !ok3 ||
		rp.Type != reflect.TypeFor[chi.RouteParams]() ||
		ma.Type.Kind() != reflect.Slice || ma.Type.Elem().Kind() != reflect.Uint ||
		pc.Type != reflect.TypeFor[context.Context]() {
		return l
	}
	// Every other field that refers to memory is exported and copied by
	// take; a new one makes the layout unknown.
	for i := range t.NumField() {
		f := t.Field(i)
		switch f.Type.Kind() {
		case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		case reflect.Struct:
			if f.Type == reflect.TypeFor[chi.RouteParams]() {
				break
			}
			return l
		default:
			continue
		}
		switch f.Name {
		case "Routes", "parentCtx", "URLParams", "routeParams", "RoutePatterns", "methodsAllowed":
		default:
			return l
		}
	}
	l.known = true
	l.routeParams, l.methods, l.parent = rp.Offset, ma.Offset, pc.Offset
	return l
}()

// take copies src, the router's context, into r.
func (r *ownRoute) take(src *chi.Context) {
	r.pooled = src
	if !chiLayout.known {
		r.own = src.Clone()
		return
	}
	r.ctx = *src
	c := &r.ctx
	c.URLParams.Keys = append(r.keys[:0], src.URLParams.Keys...)
	c.URLParams.Values = append(r.values[:0], src.URLParams.Values...)
	c.RoutePatterns = append(r.patterns[:0], src.RoutePatterns...)
	base := unsafe.Pointer(c)
	rp := (*chi.RouteParams)(unsafe.Add(base, chiLayout.routeParams))
	rp.Keys = append(r.rkeys[:0], rp.Keys...)
	rp.Values = append(r.rvalues[:0], rp.Values...)
	if ma := (*[]uint)(unsafe.Add(base, chiLayout.methods)); *ma != nil {
		*ma = slices.Clone(*ma) // a 405's: rare enough for the heap
	}
	*(*context.Context)(unsafe.Add(base, chiLayout.parent)) = nil // as Clone does
	r.own = c
}

// giveBack copies the routing the handler did (or left as it was) back to
// the router's context. Only for a handler that returned in time: its
// goroutine has ended, so nothing reads the copy any more.
func (r *ownRoute) giveBack() {
	dst, c := r.pooled, r.own
	if c.Routes == dst.Routes && c.RoutePath == dst.RoutePath && c.RouteMethod == dst.RouteMethod &&
		len(c.URLParams.Keys) == len(dst.URLParams.Keys) && len(c.RoutePatterns) == len(dst.RoutePatterns) {
		// Nothing routed below the Timeout (chi only appends, and a Mount
		// sets RoutePath): the router's context holds this routing already.
		return
	}
	dst.Routes = c.Routes
	dst.RoutePath = c.RoutePath
	dst.RouteMethod = c.RouteMethod
	dst.URLParams.Keys = append(dst.URLParams.Keys[:0], c.URLParams.Keys...)
	dst.URLParams.Values = append(dst.URLParams.Values[:0], c.URLParams.Values...)
	dst.RoutePatterns = append(dst.RoutePatterns[:0], c.RoutePatterns...)
}

// routedForLog returns r for the records and the 504 of a Timeout whose
// handler is still running. Where chi routes below the Timeout (a Timeout
// in a router's or a sub-router's Use), the routing happens on the
// handler's goroutine, in its copy of the route context, which cannot be
// read here without racing it; r's own context names only the mount
// ("/v1/*") or nothing. So the router looks the request up again, in a
// route context of its own, and the records name the route it matches
// ("/v1/slow"), as the recoverer's do, by the method chi routes it by. It
// costs a lookup at a deadline only; r is returned as it is when chi did
// not route it or nothing matches.
func routedForLog(r *http.Request, route *chi.Context) *http.Request {
	if route == nil || route.Routes == nil {
		return r
	}
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	// The method chi routes by: Routing sends a HEAD that no route takes
	// to the GET route (RouteMethod "GET"), which r.Method does not name.
	method := route.RouteMethod
	if method == "" {
		method = r.Method
	}
	found := chi.NewRouteContext()
	if route.Routes.Find(found, method, path) == "" {
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), chi.RouteCtxKey, found))
}
