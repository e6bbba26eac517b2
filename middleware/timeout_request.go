package middleware

import (
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/go-chi/chi/v5"
)

// The handler's request is a shallow copy of the request the middlewares
// above the Timeout hold, as Request.WithContext makes it, but for its
// path values when chi still has routing to do below the Timeout (a
// Timeout in a router's or a sub-router's Use, or above a Mount): chi then
// calls SetPathValue on the handler's request, on the handler's goroutine,
// maybe after the deadline, and writing into the map of the request the
// middlewares above read (an access log reading PathValue once the router
// returns) would race; a concurrent map write and read ends the process.
// So the handler's request then gets path values of its own: the two
// unexported fields of http.Request that hold them are copied, at offsets
// found by reflection once and used only when their names and types are
// what this file expects (TestTimeoutRequestLayout). With another layout,
// the handler's request is a Request.Clone. When chi has routed to the
// endpoint already (a Timeout mounted with With on a route), nothing below
// sets path values and the copy costs nothing.
var requestLayout = func() (l struct {
	known                bool
	matches, otherValues uintptr
}) {
	t := reflect.TypeFor[http.Request]()
	m, ok1 := t.FieldByName("matches")
	o, ok2 := t.FieldByName("otherValues")
	if !ok1 || !ok2 || m.Type != reflect.TypeFor[[]string]() || o.Type != reflect.TypeFor[map[string]string]() {
		return l
	}
	l.known, l.matches, l.otherValues = true, m.Offset, o.Offset
	return l
}()

// ownPathValues gives r, a shallow copy, path values of its own: a copy of
// the matched wildcards' values and of the values set by SetPathValue
// (one allocation each, only where there are any). It reports false when
// the layout is unknown and nothing was done.
func ownPathValues(r *http.Request) bool {
	if !requestLayout.known {
		return false
	}
	base := unsafe.Pointer(r)
	if m := (*[]string)(unsafe.Add(base, requestLayout.matches)); *m != nil {
		*m = slices.Clone(*m)
	}
	if o := (*map[string]string)(unsafe.Add(base, requestLayout.otherValues)); *o != nil {
		*o = maps.Clone(*o)
	}
	return true
}

// routingPending reports whether chi has routing left to do below: no
// pattern matched yet (a Timeout in the root router's Use), or the last one
// is a sub-router's mount ("/api/*").
func routingPending(rc *chi.Context) bool {
	n := len(rc.RoutePatterns)
	return n == 0 || strings.HasSuffix(rc.RoutePatterns[n-1], "*")
}
