package errdoc

import "net/http"

// HandlerFunc is a handler that returns its failure instead of writing it. Its
// ServeHTTP renders a returned error with Write, so handlers of this type
// mount on chi routes like any other:
//
//	r.Method("GET", "/items/{id}", errdoc.HandlerFunc(getItem))
//
// When the handler already committed the response before returning an error,
// nothing more is written and the error is logged.
type HandlerFunc func(http.ResponseWriter, *http.Request) error

// ServeHTTP calls f and renders its error.
func (f HandlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw, tracking := Track(w)
	defer tracking.Release()
	if err := f(tw, r); err != nil {
		Write(tw, r, err)
	}
}
