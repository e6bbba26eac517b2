package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/go-chi/chi/v5"
)

func ExampleRouting() {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	middleware.Routing(r)
	r.Get("/items", func(w http.ResponseWriter, r *http.Request) {})

	req := httptest.NewRequest(http.MethodDelete, "/items", nil)
	req.Header.Set("Accept", "application/problem+json")
	req.Header.Set("X-Request-ID", "ex-1")
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)

	fmt.Println(rec.Code, rec.Header().Get("Allow"))
	fmt.Println(rec.Body.String())
	// Output:
	// 405 GET, HEAD
	// {"type":"/docs/errors#method_not_allowed","title":"Method Not Allowed","status":405,"detail":"DELETE is not allowed here; use GET, HEAD.","instance":"urn:faultline:request:ex-1","request_id":"ex-1","code":"method_not_allowed"}
}
