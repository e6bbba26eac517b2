package etag_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/go-chi/chi/v5"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/etag"
)

func ExampleETag() {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(middleware.Conditional(), etag.ETag(64<<10)).Get("/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `[{"id":"1"}]`)
	})

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/items", nil))
	tag := rec.Header().Get("ETag")
	fmt.Println(rec.Code, rec.Body.String())

	req := httptest.NewRequest(http.MethodGet, "/items", nil)
	req.Header.Set("If-None-Match", tag)
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("ETag") == tag, rec.Body.Len())
	// Output:
	// 200 [{"id":"1"}]
	// 304 true 0
}
