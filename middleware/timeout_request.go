package middleware

import (
	"maps"
	"net/http"
	"reflect"
	"slices"
	"unsafe"
)

// The handler's request is a shallow copy of the request the middlewares
// above the Timeout hold, as Request.WithContext makes it, but for its
// path values. Routing below the Timeout (chi in a router's or a
// sub-router's Use) calls SetPathValue on the handler's request, on the
// handler's goroutine, maybe after the deadline; writing into the map of
// the request the middlewares above read (an access log reading PathValue
// once the router returns) would race, and a concurrent map write and
// read ends the process. So the handler's request gets path values of its
// own: the two unexported fields of http.Request that hold them are
// copied, at offsets found by reflection once and used only when their
// names and types are what this file expects (TestTimeoutRequestLayout).
// With another layout, the handler's request is a Request.Clone.
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
