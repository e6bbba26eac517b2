package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/go-chi/chi/v5"
)

func ExampleRouting() {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	middleware.Routing(r) // before the routes
	r.Get("/items", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "[]") })
	r.Delete("/items/{id}", func(w http.ResponseWriter, r *http.Request) {})

	for _, method := range []string{"HEAD", "DELETE", "BREW"} {
		req := httptest.NewRequest(method, "/items", nil)
		req.Header.Set("X-Request-ID", "ex-1")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		body := rec.Body.String()
		if method == http.MethodHead {
			body = "" // a server sends no body with HEAD; the recorder keeps it
		}
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%s: %d Allow=%q %s", method, rec.Code, rec.Header().Get("Allow"), body)))
	}
	// Output:
	// HEAD: 200 Allow=""
	// DELETE: 405 Allow="GET, HEAD, OPTIONS" {"errors":[{"id":"ex-1","links":{"about":"http://example.com/docs/errors#method_not_allowed","type":"http://example.com/docs/errors#method_not_allowed"},"status":"405","code":"method_not_allowed","title":"Method Not Allowed","detail":"DELETE is not allowed here; use GET, HEAD, OPTIONS."}]}
	// BREW: 501 Allow="" {"errors":[{"id":"ex-1","links":{"about":"http://example.com/docs/errors#not_implemented","type":"http://example.com/docs/errors#not_implemented"},"status":"501","code":"not_implemented","title":"Not Implemented","detail":"The server does not recognise the request's method for any resource. An OPTIONS request to the resource lists the methods it allows."}]}
}
