package middleware

import (
	"net/http"

	"github.com/faultline-go/faultline/errdoc"
)

// ServeMux returns a handler that serves mux, the standard library's router
// with Go 1.22 patterns ("GET /items/{id}"), and answers the requests no
// pattern takes as middleware.Routing does for chi, with error documents
// instead of mux's plain text: 404 for a path no pattern matches, whatever
// the method (the response-code page for GET /docs/errors, as Routing); 204 with Allow for OPTIONS on a path a pattern serves; 405
// with the Allow header mux computed (plus OPTIONS) for a method RFC 9110
// defines or PATCH; 501 for any other method. Its redirects (to a path with
// a trailing slash, or a cleaned path) pass through unchanged, and so does
// everything a matched handler writes, its own 404s included.
//
//	mux := http.NewServeMux()
//	mux.HandleFunc("GET /items/{id}", getItem)
//	http.ListenAndServe(addr, rd.Handler(middleware.ServeMux(mux)))
func ServeMux(mux *http.ServeMux) http.Handler {
	hint := new(preflightHint)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r) // matched (or redirected): sets r's path values
			return
		}
		// No pattern: h is mux's 404, its 405, or a redirect to the cleaned
		// path. Run it on the side and keep only what it decided.
		var c capture
		h.ServeHTTP(&c, r)
		switch c.status {
		case http.StatusNotFound:
			notFound(w, r)
		case http.StatusMethodNotAllowed:
			allow := withOptions(c.header.Get("Allow"))
			switch {
			case r.Method == http.MethodOptions:
				answerOptions(w, r, allow, hint)
			case !standardMethod(r.Method):
				notImplemented(w, r) // a client's made-up method is not echoed
			default:
				errdoc.Write(w, r, methodNotAllowedError(r.Method, allow))
			}
		default:
			for k, vs := range c.header {
				w.Header()[k] = vs
			}
			w.WriteHeader(c.status)
			_, _ = w.Write(c.body)
		}
	})
}

// capture records the short response of one of ServeMux's own handlers.
type capture struct {
	header http.Header
	status int
	body   []byte
}

func (c *capture) Header() http.Header {
	if c.header == nil {
		c.header = http.Header{}
	}
	return c.header
}

func (c *capture) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

func (c *capture) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if len(c.body) < 4<<10 { // mux's own answers are a line of text
		c.body = append(c.body, p[:min(len(p), 4<<10-len(c.body))]...)
	}
	return len(p), nil
}
