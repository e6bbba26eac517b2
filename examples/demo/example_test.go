package demo_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/faultline-go/faultline/examples/demo"
)

func ExampleNewRouter() {
	h := demo.NewRouter(demo.Config{DocsURL: "http://127.0.0.1:8080/docs/errors"})

	req := httptest.NewRequest(http.MethodGet, "/v1/items/999", nil)
	req.Header.Set("X-Request-ID", "example-1")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	fmt.Println(rec.Code)
	fmt.Println(rec.Body.String())
	// Output:
	// 404
	// {"errors":[{"id":"example-1","links":{"about":"http://127.0.0.1:8080/docs/errors#record_not_found","type":"http://127.0.0.1:8080/docs/errors#record_not_found"},"status":"404","code":"record_not_found","title":"Record not found","detail":"The record identified by 999 could not be found."}]}
}
