package middleware

import (
	"net/http"
	"slices"
	"strings"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/go-chi/chi/v5"
)

// Routing makes r answer every request a route does not take as RFC 9110
// asks, with an error document, and every GET route answer HEAD:
//
//   - HEAD on a GET route runs the GET handler as net/http runs a HEAD: same
//     status, same headers, no body. A route registered for HEAD itself
//     keeps its own handler.
//   - A path no route matches answers 404 Not Found, whatever the method;
//     but GET and HEAD on /docs/errors answer the response-code page when
//     the renderer links its documents there (errdoc.Options.DocsURL
//     unset) and no route of the application serves that path.
//   - OPTIONS on a path some route serves answers 204 No Content with an
//     Allow header (RFC 9110 §9.3.7), unless a route takes OPTIONS itself.
//     A CORS preflight that gets here was not answered by a CORS
//     middleware: mount that outermost, above Routing and every route
//     group (the first such preflight is logged with this hint).
//   - A method RFC 9110 defines (GET, HEAD, POST, PUT, DELETE, CONNECT,
//     OPTIONS, TRACE), PATCH, or one some route is registered for, that the
//     path's routes do not accept answers 405 Method Not Allowed with an
//     Allow header listing exactly the methods that path serves: HEAD
//     wherever GET is, and OPTIONS. A 405 always carries Allow.
//   - Any other method (one the server does not recognise at all) on a
//     path some route serves answers 501 Not Implemented (the catalog's
//     "not_implemented" entry), as RFC 9110 §15.6.2 asks.
//
// Methods chi does not know (not registered with chi.RegisterMethod) can
// never reach a route. A plain http.Handler mounted with Mount is opaque to
// chi: Allow lists only the methods chi's routes show. The method set is
// computed from the routes at the first request that needs it, and kept:
// define every route before serving, as chi requires anyway.
//
// Call Routing on the root router, after its middlewares and before its
// routes (chi.Mux.Use panics once a route is defined); subrouters created
// with Route, Mount and Group inherit the 404, 405 and 501 handlers, and the
// root's HEAD mapping covers their GET routes. A subrouter with its own
// NotFound or MethodNotAllowed handler keeps it.
func Routing(r chi.Router) {
	rt := &routing{routes: r, head: true, options: true}
	r.Use(rt.headFromGet)
	r.NotFound(rt.notFound)
	r.MethodNotAllowed(rt.methodNotAllowed)
}

// NotFound returns a handler for chi's Mux.NotFound that renders a 404 error
// document naming the path. It answers every method alike, as Routing's
// handler does.
func NotFound() http.HandlerFunc { return notFound }

// MethodNotAllowed returns a handler for chi's Mux.MethodNotAllowed that
// answers as Routing's does: OPTIONS with 204 and Allow, a method the server
// does not recognise with 501, any other method with a 405 whose Allow
// header lists what AllowedMethods returns and OPTIONS; when no route serves
// the path at all, it answers 404. routes is the router the handler is
// installed on, its root for subrouters mounted on it. Unlike Routing's
// handler, it does not count HEAD as allowed on GET routes unless HEAD is
// routed: use Routing to serve HEAD.
func MethodNotAllowed(routes chi.Routes) http.HandlerFunc {
	return (&routing{routes: routes, options: true}).methodNotAllowed
}

// AllowedMethods returns the comma-separated methods routes accepts for r's
// path, "" when none: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, CONNECT
// and TRACE in that order, then the methods the application registered with
// chi.RegisterMethod, sorted. HEAD and OPTIONS are listed only where a route
// accepts them itself: a router set up by Routing also serves HEAD on its
// GET routes, and OPTIONS on every path it serves.
func AllowedMethods(routes chi.Routes, r *http.Request) string {
	return (&routing{routes: routes}).allowed(r)
}

// routing answers the requests a router's routes do not take.
type routing struct {
	routes  chi.Routes // the router Routing was called on
	head    bool       // GET routes answer HEAD (headFromGet is installed)
	options bool       // OPTIONS is answered on every path a route serves
	known   knownCache
	hinted  preflightHint
}

func (rt *routing) notFound(w http.ResponseWriter, r *http.Request) {
	notFound(w, r)
}

// methodNotAllowed runs for every request whose path some route matches
// but whose method none takes, and for every method chi does not know.
func (rt *routing) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	allow := rt.allowed(r)
	switch {
	case allow == "":
		// No method is served at this path: a 405 without Allow would be
		// a contradiction, and no route matches.
		notFound(w, r)
	case r.Method == http.MethodOptions && rt.options:
		answerOptions(w, r, allow, &rt.hinted)
	case !rt.recognises(r):
		notImplemented(w, r)
	default:
		// The method is one the server recognises (a standard one, or
		// one the application registered), so it is safe to echo.
		errdoc.Write(w, r, methodNotAllowedError(r.Method, allow))
	}
}

// notFound answers a path no route matches; the response-code page, when
// that is the path and the renderer links its documents there by default.
func notFound(w http.ResponseWriter, r *http.Request) {
	rd := errdoc.FromContext(r.Context())
	if rd.ServeDefaultDocs(w, r) {
		return
	}
	rd.Write(w, r, notFoundError(r.URL.Path))
}

// notFoundError is the 404 of a path no route matches, for chi and
// http.ServeMux alike: it names the path, when it is short enough to read.
func notFoundError(path string) *errdoc.Error {
	if len(path) > 256 {
		return errdoc.NewMessage(http.StatusNotFound, "routing.not_found_long")
	}
	return errdoc.NewMessage(http.StatusNotFound, "routing.not_found", errdoc.Str("path", path))
}

// methodNotAllowedError is the 405 of a method the routes at the path do
// not accept, for chi and http.ServeMux alike. method is echoed, so callers
// pass a method they know is not made up, else "This method"; allow, when
// not empty, is the Allow header and named in the detail.
func methodNotAllowedError(method, allow string) *errdoc.Error {
	if allow == "" {
		return errdoc.NewMessage(http.StatusMethodNotAllowed, "routing.method_not_allowed", errdoc.Str("method", method))
	}
	e := errdoc.NewMessage(http.StatusMethodNotAllowed, "routing.method_not_allowed_allow",
		errdoc.Str("method", method), errdoc.Str("allow", allow))
	e.SetHeader("Allow", allow)
	return e
}

// notImplemented answers a method no route knows. The method is not echoed:
// it is whatever the client made up.
func notImplemented(w http.ResponseWriter, r *http.Request) {
	errdoc.Write(w, r, errdoc.NewMessage(http.StatusNotImplemented, "routing.not_implemented"))
}

// rootRoutes returns the router serving r: the root chi stores in the
// routing context, falling back to the router Routing was called on.
func (rt *routing) rootRoutes(r *http.Request) chi.Routes {
	if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.Routes != nil {
		return rctx.Routes
	}
	return rt.routes
}

// allowed returns the Allow header for r's path: every method the router
// knows that a route at the path serves, HEAD included where GET is when
// rt.head is set.
func (rt *routing) allowed(r *http.Request) string {
	routes := rt.rootRoutes(r)
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	if path == "" {
		path = "/"
	}
	var list [16]string
	allow := list[:0]
	get, options := false, false
	tctx := chi.NewRouteContext()
	for _, m := range rt.known.get(routes, rt.head).list {
		tctx.Reset()
		ok := routes.Match(tctx, m, path)
		if m == http.MethodGet {
			get = ok
		}
		if m == http.MethodHead && rt.head && get {
			ok = true
		}
		if ok {
			allow = append(allow, m)
			options = options || m == http.MethodOptions
		}
	}
	if rt.options && len(allow) > 0 && !options {
		// Served on every path that serves any method, in its place.
		i := 0
		for i < len(allow) && allowRank(allow[i]) < allowRank(http.MethodOptions) {
			i++
		}
		allow = slices.Insert(allow, i, http.MethodOptions)
	}
	return strings.Join(allow, ", ")
}

// recognises reports whether r's method is one the server knows: one RFC
// 9110 defines, PATCH, or one some route of the router serving r is
// registered for.
func (rt *routing) recognises(r *http.Request) bool {
	return standardMethod(r.Method) || rt.known.get(rt.rootRoutes(r), rt.head).has(r.Method)
}
