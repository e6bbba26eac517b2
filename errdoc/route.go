package errdoc

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// RoutePattern returns the route pattern that matched r, for logs and
// metrics: chi's whole pattern ("/v1/items/{id}") when chi routed r, else
// r.Pattern (which http.ServeMux sets), else "". A middleware mounted above
// chi's subrouters reads the whole pattern too, once the handler has run:
// chi records it in the routing context the request shares, while the
// middleware's own r.Pattern names only the outer mount ("/v1/*").
func RoutePattern(r *http.Request) string {
	if rctx := chi.RouteContext(r.Context()); rctx != nil && len(rctx.RoutePatterns) > 0 {
		if p := rctx.RoutePattern(); p != "" {
			return p
		}
	}
	return r.Pattern
}
