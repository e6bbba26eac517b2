package errdoc

import (
	"net/http"
	"reflect"
	"runtime"
	"strings"

	"github.com/go-chi/chi/v5"
)

// chi's middleware.RequestID mounted below Handler reads only the request's
// own header: finding no ID there, it makes one of its own, after Handler
// has already put its ID in the response's header. Handler must not write
// to the request it is given (it is the caller's; see assignID), and
// handing every request a copy of its header costs a copy of the map (two
// allocations, four past seven fields; BenchmarkHandlerChiBelow). So
// Handler looks, once, for chi's RequestID
// below it, and only where it finds one hands the request down with a copy
// of its header that carries Handler's ID (withIDHeader): chi's RequestID
// then adopts it, and one ID is the request's everywhere.
//
// Where it looks, on the first request (belowVerdict):
//   - next itself: chi's RequestID wrapping what follows, a chi.Chain
//     holding it, a chi router whose middlewares or routes mount it, or a
//     handler of this module that guards one (another Handler, recoverer,
//     Timeout, Throttle, the adaptive limiter: their Unwrap) above it;
//   - the chi router that routes the request: its middlewares after
//     Handler's, and every route group, subrouter, With chain and route
//     handler below it.
//
// An inner Handler, below one that gave the request its ID, hands the ID
// down as well where it sees chi's RequestID below it: the outer one may
// not have seen it.
//
// A RequestID it cannot see (inside another library's handler) is learnt
// the first time its ID meets Handler's (RequestIDFrom, at a document or a
// log record): from then on the renderer's Handlers hand the header down
// too (Renderer.chiBelow).

const (
	chiRequestIDFunc  = chiMiddlewarePkg + ".RequestID"
	handlerMethodFunc = "github.com/faultline-go/faultline/errdoc.(*Renderer).Handler-fm"
	maxRoutesDepth    = 32 // subrouters deeper than this are not searched
	// chiRequestIDHeader is the header chi's RequestID reads by default
	// (its RequestIDHeader), canonical for direct map access.
	chiRequestIDHeader = "X-Request-Id"
)

// The verdicts of handler.below.
const (
	belowUnknown int32 = iota
	belowFound
	belowNotFound
)

// chiRequestIDBelow reports whether chi's RequestID may be mounted below h.
// It costs two atomic loads once the first request has looked.
func (h *handler) chiRequestIDBelow(r *http.Request) bool {
	switch h.below.Load() {
	case belowFound:
		return true
	case belowNotFound:
		return h.rd.chiBelow.Load()
	}
	v := belowNotFound
	if h.findChiRequestIDBelow(r) {
		v = belowFound
	}
	h.below.Store(v)
	return v == belowFound || h.rd.chiBelow.Load()
}

func (h *handler) findChiRequestIDBelow(r *http.Request) bool {
	if handlerMountsRequestID(h.next, 0) {
		return true // rd.Handler(chimw.RequestID(...)), rd.Handler(router), chi.Chain...
	}
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.Routes == nil {
		return false
	}
	mws := rctx.Routes.Middlewares()
	for i, mw := range mws {
		if funcName(mw) == handlerMethodFunc {
			if holdsRequestID(mws[i+1:]) {
				return true // r.Use(rd.Handler, ..., chimw.RequestID)
			}
			break
		}
	}
	return treeMountsRequestID(rctx.Routes.Routes(), 0)
}

// handlerMountsRequestID reports whether next is chi's RequestID, or a
// handler chi (or errdoc) builds whose chain mounts it: a router, a
// chi.Chain or With chain, another Handler.
func handlerMountsRequestID(next http.Handler, depth int) bool {
	if depth > maxRoutesDepth {
		return false
	}
	switch n := next.(type) {
	case http.HandlerFunc:
		return isChiRequestIDClosure(n)
	case *chi.ChainHandler:
		return holdsRequestID(n.Middlewares) || handlerMountsRequestID(n.Endpoint, depth+1)
	case chi.Routes:
		return routesMountRequestID(n, depth+1)
	case interface{ Unwrap() http.Handler }:
		// Another Handler (an inner renderer's), and the middlewares of
		// this module that guard one handler: recoverer, Timeout,
		// Throttle, the adaptive limiter.
		return handlerMountsRequestID(n.Unwrap(), depth+1)
	}
	return false
}

// routesMountRequestID reports whether rt or anything routed below it
// mounts chi's RequestID.
func routesMountRequestID(rt chi.Routes, depth int) bool {
	if depth > maxRoutesDepth {
		return false
	}
	if holdsRequestID(rt.Middlewares()) {
		return true
	}
	return treeMountsRequestID(rt.Routes(), depth)
}

// treeMountsRequestID reports whether a route of routes, its handler, With
// chain, route group or subrouter, mounts chi's RequestID.
func treeMountsRequestID(routes []chi.Route, depth int) bool {
	for _, route := range routes {
		if route.SubRoutes != nil && routesMountRequestID(route.SubRoutes, depth+1) {
			return true
		}
		for _, h := range route.Handlers {
			if handlerMountsRequestID(h, depth+1) {
				return true
			}
		}
	}
	return false
}

func holdsRequestID(mws chi.Middlewares) bool {
	for _, mw := range mws {
		if funcName(mw) == chiRequestIDFunc {
			return true
		}
	}
	return false
}

// isChiRequestIDClosure reports whether f is the handler chi's RequestID
// returns. Inlined into its caller, the closure takes the caller's name
// ("main.newRouter.RequestID.func1", or "...RequestID.7"), so its source
// file tells it apart: the one closure of chi's request_id.go.
func isChiRequestIDClosure(f http.HandlerFunc) bool {
	fn := funcOf(f)
	if fn == nil || !strings.Contains(fn.Name(), "RequestID.") {
		return false
	}
	file, _ := fn.FileLine(fn.Entry())
	return strings.HasSuffix(file, "/middleware/request_id.go") && strings.Contains(file, "/go-chi/chi/")
}

// funcOf returns the function f holds, or nil.
func funcOf(f any) *runtime.Func {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return nil
	}
	return runtime.FuncForPC(v.Pointer())
}

// funcName returns the name of the function f holds, or "".
func funcName(f any) string {
	if fn := funcOf(f); fn != nil {
		return fn.Name()
	}
	return ""
}

// withIDHeader returns a copy of h in which the request-ID headers named
// (Handler's and chi's) hold only ids, or h itself when they already do.
// The values are shared with h, as Request.WithContext shares the whole
// map: nothing writes into them.
func withIDHeader(h http.Header, ids []string, names ...string) http.Header {
	same := true
	for _, name := range names {
		if v := h[name]; len(v) != 1 || v[0] != ids[0] {
			same = false
		}
	}
	if same {
		return h
	}
	c := make(http.Header, len(h)+len(names))
	for k, v := range h {
		c[k] = v
	}
	for _, name := range names {
		c[name] = ids
	}
	return c
}

// noteChiBelow records that chi's RequestID gave a request below one of
// rd's Handlers an ID of its own.
func (rd *Renderer) noteChiBelow() {
	if !rd.chiBelow.Load() {
		rd.chiBelow.Store(true)
	}
}
