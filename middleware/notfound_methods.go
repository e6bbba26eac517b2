package middleware

import (
	"net/http"
	"slices"
	"sync/atomic"

	"github.com/go-chi/chi/v5"
)

// standardMethods are the methods listed in Allow, in this order, before the
// application's own.
var standardMethods = [...]string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace,
}

// standardMethod reports whether m is one of standardMethods, a method no
// client made up (so a document may name it).
func standardMethod(m string) bool { return slices.Contains(standardMethods[:], m) }

// allowRank is m's position in Allow: its index in standardMethods, or
// after all of them for an application's own method.
func allowRank(m string) int {
	if i := slices.Index(standardMethods[:], m); i >= 0 {
		return i
	}
	return len(standardMethods)
}

// methodSet is the set of methods the routes of one router know.
type methodSet struct {
	routes chi.Routes // the router it describes
	list   []string   // in Allow order
}

func (s *methodSet) has(m string) bool {
	return slices.Contains(s.list, m)
}

// knownCache holds the method set of the last router asked about. The set is
// computed once per router: routes are defined before serving.
type knownCache struct {
	p atomic.Pointer[methodSet]
}

func (c *knownCache) get(routes chi.Routes, head bool) *methodSet {
	if s := c.p.Load(); s != nil && s.routes == routes {
		return s
	}
	s := &methodSet{routes: routes, list: knownMethods(routes, head)}
	c.p.Store(s)
	return s
}

// knownMethods returns every method a route of routes is registered for,
// through its subrouters, plus HEAD where GET is when head is set, in Allow
// order.
func knownMethods(routes chi.Routes, head bool) []string {
	seen := map[string]bool{}
	var walk func(chi.Routes)
	walk = func(rs chi.Routes) {
		for _, rt := range rs.Routes() {
			if rt.SubRoutes != nil {
				walk(rt.SubRoutes)
			}
			for m := range rt.Handlers {
				if m != "*" { // chi also registers a catch-all route under each method
					seen[m] = true
				}
			}
		}
	}
	walk(routes)
	if head && seen[http.MethodGet] {
		seen[http.MethodHead] = true
	}
	list := make([]string, 0, len(seen))
	for _, m := range standardMethods {
		if seen[m] {
			list = append(list, m)
			delete(seen, m)
		}
	}
	extra := make([]string, 0, len(seen))
	for m := range seen {
		extra = append(extra, m)
	}
	slices.Sort(extra)
	return append(list, extra...)
}
