package middleware

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/httpsyntax"
	"github.com/go-chi/chi/v5"
)

// Produces returns a middleware for a route group whose responses come in
// the given media types: a request whose Accept header allows none of them
// (q-values and wildcards weighed as RFC 9110 section 12.5.1 says) is
// answered 406 listing them, in meta "available". The 406 document itself
// is rendered in a format errdoc supports even though Accept refused it: a
// client is better served by a readable error than by none. The type chosen
// for an accepted request is available to handlers from Negotiated, and
// every response gets "Vary: Accept".
//
//	r.With(middleware.Produces("application/json")).Get("/items", list)
//
// A request without Accept accepts everything. A range naming
// application/problem+json only says which format error documents should
// come in (errdoc honours it): it neither accepts nor refuses the route's
// own types, so "Accept: application/problem+json" alone reaches the
// handler, whose errors then come as problem details. Produces panics if a type is
// not a plain type/subtype (no wildcards or parameters), or none is given.
func Produces(types ...string) func(http.Handler) http.Handler {
	if len(types) == 0 {
		panic("middleware: Produces needs at least one media type")
	}
	offers := make([]offer, len(types))
	for i, t := range types {
		typ, sub, params, ok := httpsyntax.SplitMediaType(t)
		if !ok || typ == "*" || sub == "*" || strings.TrimSpace(params) != "" {
			panic(fmt.Sprintf("middleware: Produces: %q is not a media type", t))
		}
		offers[i] = offer{typ: typ, sub: sub, name: typ + "/" + sub}
	}
	names := make([]string, len(offers))
	for i, o := range offers {
		names[i] = o.name
	}
	// The 406's detail, shared by every refusal; its Args are never written.
	msg := errdoc.Message{Key: "accept.none", Args: []errdoc.Arg{errdoc.Str("types", strings.Join(names, ", "))}}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			errdoc.VaryAccept(w.Header())
			chosen, ok := negotiateOffers(strings.Join(r.Header["Accept"], ","), offers)
			if !ok && !routeExists(r) {
				// No route serves this method here: a 406 would claim a
				// resource that does not exist. Routing answers instead
				// (404, 405 with Allow, 501), whatever Accept says.
				next.ServeHTTP(w, r)
				return
			}
			if !ok {
				e := &errdoc.Error{Status: http.StatusNotAcceptable, Message: msg}
				e.AtHeader("Accept")
				e.Meta = map[string]any{"available": names}
				errdoc.Write(w, r, e)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), negotiatedKey{}, chosen)))
		})
	}
}

// routeExists reports whether the chi router serving r has a route for its
// method (HEAD counting as GET, as Routing serves it) and path. Outside chi
// it cannot tell, and reports true.
func routeExists(r *http.Request) bool {
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.Routes == nil {
		return true
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	return rctx.Routes.Match(chi.NewRouteContext(), method, path)
}

type negotiatedKey struct{}

// Negotiated returns the media type Produces chose for r, "" when r went
// through no Produces.
func Negotiated(r *http.Request) string {
	s, _ := r.Context().Value(negotiatedKey{}).(string)
	return s
}

type offer struct{ typ, sub, name string }

// negotiateOffers returns the offer the accept header prefers: the highest
// q of the most specific range matching each offer, ties going to the
// earlier offer. An empty header accepts the first offer; ranges that do
// not parse are ignored, and a header of nothing but such ranges accepts
// everything, as if it were absent.
func negotiateOffers(accept string, offers []offer) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return offers[0].name, true
	}
	best, bestQ := "", 0
	anyValid := false
	for _, o := range offers {
		q, spec := -1, -1 // q of the most specific matching range
		rest := accept
		for rest != "" {
			var rng string
			if i := strings.IndexByte(rest, ','); i >= 0 {
				rng, rest = rest[:i], rest[i+1:]
			} else {
				rng, rest = rest, ""
			}
			if strings.TrimSpace(rng) == "" {
				continue
			}
			typ, sub, params, ok := httpsyntax.SplitMediaType(rng)
			if !ok || typ == "*" && sub != "*" || typ == "application" && sub == "problem+json" && o.sub != sub {
				continue
			}
			anyValid = true
			s := -1
			switch {
			case typ == o.typ && sub == o.sub:
				s = 2
			case typ == o.typ && sub == "*":
				s = 1
			case typ == "*" && sub == "*":
				s = 0
			}
			if s > spec {
				spec, q = s, weight(params)
			}
		}
		if q > bestQ {
			best, bestQ = o.name, q
		}
	}
	if !anyValid {
		return offers[0].name, true
	}
	return best, bestQ > 0
}

// weight returns the q parameter of a range's parameters in thousandths,
// 1000 when absent, 0 when malformed (a range the client weighed wrongly
// is not taken as a preference).
func weight(params string) int {
	for params != "" {
		var name, value string
		name, value, params = httpsyntax.NextParam(params)
		if name != "q" {
			continue
		}
		if len(value) == 0 || len(value) > 5 {
			return 0
		}
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || f < 0 || f > 1 {
			return 0
		}
		return int(f*1000 + 0.5)
	}
	return 1000
}
