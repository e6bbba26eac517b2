package errdoc_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/faultline-go/faultline/errdoc"
)

func Example() {
	cat, _ := errdoc.DefaultCatalog().With(errdoc.Entry{
		Status: 404, Code: "record_not_found", Title: "Record not found",
		Description: "The record identified in the request does not exist.",
	})
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat, DocsURL: "https://api.example.com/docs/errors"})

	h := rd.Handler(errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		return errdoc.Coded("record_not_found", "The record identified by 999 could not be found.")
	}))

	req := httptest.NewRequest(http.MethodGet, "/v1/items/999", nil)
	req.Header.Set("X-Request-ID", "req-1")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(rec.Body.String())
	// Output:
	// 404 application/json
	// {"errors":[{"id":"req-1","links":{"about":"https://api.example.com/docs/errors#record_not_found","type":"https://api.example.com/docs/errors#record_not_found"},"status":"404","code":"record_not_found","title":"Record not found","detail":"The record identified by 999 could not be found."}]}
}

func ExampleParseResponse() {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept", "application/problem+json")
	errdoc.Write(rec, req, errdoc.New(429, "Slow down.").SetHeader("Retry-After", "17"))

	err := errdoc.ParseResponse(rec.Result())
	if e, ok := err.(*errdoc.Error); ok {
		fmt.Println(e.Status, e.Code, e.Detail, e.Header.Get("Retry-After"))
	}
	// Output:
	// 429 too_many_requests Slow down. 17
}

// A handler that set up a download and then failed: the error response
// drops what described the download, keeps the cookie, and says it varies on
// Accept and must not be stored. As problem details, the request ID is
// request_id and instance an absolute URI naming the occurrence.
func ExampleRenderer_Write_headers() {
	rd := errdoc.NewRenderer(errdoc.Options{InstanceURI: "https://api.example.com/requests/"})
	h := rd.Handler(errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Disposition", `attachment; filename="report.csv"`)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("ETag", `"v7"`)
		w.Header().Set("Set-Cookie", "session=rotated; HttpOnly")
		return errdoc.New(http.StatusNotFound, "Report 7 does not exist.")
	}))

	req := httptest.NewRequest(http.MethodGet, "/v1/reports/7", nil)
	req.Header.Set("Accept", "application/problem+json")
	req.Header.Set("X-Request-ID", "req/7")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	for _, k := range []string{"Content-Disposition", "Cache-Control", "ETag", "Set-Cookie", "Vary"} {
		fmt.Printf("%s: %q\n", k, rec.Header().Get(k))
	}
	fmt.Println(rec.Body.String())
	// Output:
	// Content-Disposition: ""
	// Cache-Control: "no-store"
	// ETag: ""
	// Set-Cookie: "session=rotated; HttpOnly"
	// Vary: "Accept"
	// {"type":"http://example.com/docs/errors#not_found","title":"Not Found","status":404,"detail":"Report 7 does not exist.","instance":"https://api.example.com/requests/req%2F7","request_id":"req/7","code":"not_found"}
}
