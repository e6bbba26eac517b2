package middleware

import (
	"net/http"
	"strings"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/go-chi/chi/v5"
)

// allMethods are the methods probed for the Allow header, in the order they
// are listed.
var allMethods = [...]string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace,
}

// Routing installs NotFound and MethodNotAllowed on r, so that unmatched
// routes and methods answer with error documents.
func Routing(r chi.Router) {
	r.NotFound(NotFound())
	r.MethodNotAllowed(MethodNotAllowed(r))
}

// NotFound returns a handler for chi's Mux.NotFound that renders a 404 error
// document naming the path.
func NotFound() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		errdoc.Write(w, r, errdoc.New(http.StatusNotFound, "No route matches "+r.URL.Path+"."))
	}
}

// MethodNotAllowed returns a handler for chi's Mux.MethodNotAllowed that
// renders a 405 error document with an Allow header listing the methods
// routes accepts for the request's path. GET implies HEAD, as in net/http
// and chi's middleware.GetHead. routes is the router the handler is
// installed on (its root, for subrouters mounted on it).
func MethodNotAllowed(routes chi.Routes) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		allow := AllowedMethods(routes, r)
		method := "This method"
		if knownMethod(r.Method) {
			method = r.Method // a client's made-up method is not echoed
		}
		e := errdoc.New(http.StatusMethodNotAllowed, method+" is not allowed here.")
		if allow != "" {
			e.SetHeader("Allow", allow)
			e.Detail = method + " is not allowed here; use " + allow + "."
		}
		errdoc.Write(w, r, e)
	}
}

// AllowedMethods returns the comma-separated methods routes accepts for r's
// path, "" when none.
func AllowedMethods(routes chi.Routes, r *http.Request) string {
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	var b strings.Builder
	get := false
	for _, m := range allMethods {
		ok := routes.Match(chi.NewRouteContext(), m, path)
		if m == http.MethodGet {
			get = ok
		}
		if m == http.MethodHead && get {
			ok = true
		}
		if !ok {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(m)
	}
	return b.String()
}

func knownMethod(m string) bool {
	for _, k := range allMethods {
		if m == k {
			return true
		}
	}
	return false
}
