package middleware

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// headFromGet routes a HEAD request that no route takes as HEAD to the GET
// route of its path, as net/http's ServeMux does: the GET handler runs with
// r.Method still HEAD, so it sets the same status and headers, and net/http
// discards the body it writes (computing Content-Length from it when it fits
// the response buffer). It changes only chi's routing method, never
// r.Method, so a HEAD on a path without a GET route still gets the 404, 405
// (whose Allow is computed for HEAD) or 501 the router gives.
func (rt *routing) headFromGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		rctx := chi.RouteContext(r.Context())
		if rctx == nil || rctx.RouteMethod != "" && rctx.RouteMethod != http.MethodHead {
			next.ServeHTTP(w, r) // another middleware already chose the method
			return
		}
		path := rctx.RoutePath
		if path == "" {
			if path = r.URL.RawPath; path == "" {
				path = r.URL.Path
			}
		}
		// Match writes into the context it is given: not the request's.
		if !rt.routes.Match(chi.NewRouteContext(), http.MethodHead, path) {
			// Route as GET. Where no GET route matches either, the
			// router's 404 or 405 handler runs with r.Method still HEAD,
			// and answers for HEAD.
			rctx.RouteMethod = http.MethodGet
		}
		next.ServeHTTP(w, r)
	})
}
