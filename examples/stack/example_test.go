package stack_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/faultline-go/faultline/examples/stack"
)

// The same missing record, from the stack and from bare chi.
func Example() {
	for _, router := range []struct {
		name string
		h    http.Handler
	}{{"ours", stack.New(stack.Options{})}, {"bare", stack.Bare()}} {
		req := httptest.NewRequest(http.MethodGet, stack.PathRecordMissing, nil)
		req.Header.Set("X-Request-ID", "ex-1")
		rec := httptest.NewRecorder()
		router.h.ServeHTTP(rec, req)
		fmt.Print(router.name, " ", rec.Code, " ", rec.Body.String())
		if router.name == "ours" {
			fmt.Println()
		}
	}
	// Output:
	// ours 404 {"errors":[{"id":"ex-1","links":{"about":"http://example.com/docs/errors#record_not_found","type":"http://example.com/docs/errors#record_not_found"},"status":"404","code":"record_not_found","title":"Record not found","detail":"The record identified by 999 could not be found."}]}
	// bare 404 {"errors":[{"status":"404","code":"record_not_found","title":"Record not found","detail":"The record identified by 999 could not be found."}]}
}
