package middleware_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/go-chi/chi/v5"
)

func ExampleTimeout() {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler)
	release := make(chan struct{})
	finished := make(chan struct{})
	r.With(middleware.Timeout(50*time.Millisecond)).Get("/report", func(w http.ResponseWriter, r *http.Request) {
		defer close(finished)
		<-release // a handler that ignores its context
		_, err := io.WriteString(w, "too late")
		fmt.Println("late write:", err)
	})

	req := httptest.NewRequest(http.MethodGet, "/report", nil)
	req.Header.Set("X-Request-ID", "ex-504")
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req) // returns at the deadline
	close(release)
	<-finished

	fmt.Println(rec.Code)
	fmt.Println(rec.Body.String())
	// Output:
	// late write: http: Handler timeout
	// 504
	// {"errors":[{"id":"ex-504","links":{"about":"http://example.com/docs/errors#gateway_timeout","type":"http://example.com/docs/errors#gateway_timeout"},"status":"504","code":"gateway_timeout","title":"Gateway Timeout","detail":"The server is up but the request could not be completed in time, often because a service it depends on was too slow. Try again later."}]}
}

func ExampleConditional() {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(middleware.Conditional()).Get("/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"v1"`) // the handler's validator; etag.ETag computes one
		_, _ = io.WriteString(w, `[{"id":"1"}]`)
	})

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/items", nil))
	fmt.Println(rec.Code, rec.Header().Get("ETag"), rec.Body.String())

	req := httptest.NewRequest(http.MethodGet, "/items", nil)
	req.Header.Set("If-None-Match", `"v1"`)
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("ETag"), rec.Body.Len())
	// Output:
	// 200 "v1" [{"id":"1"}]
	// 304 "v1" 0
}

func ExampleMaintenance() {
	m := middleware.NewMaintenance(middleware.MaintenanceOptions{RetryAfter: 10 * time.Minute})
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler)
	r.With(m.Handler).Post("/imports", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})

	m.Enable()
	req := httptest.NewRequest(http.MethodPost, "/imports", nil)
	req.Header.Set("X-Request-ID", "ex-503")
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Retry-After"))
	fmt.Println(rec.Body.String())
	// Output:
	// 503 600
	// {"errors":[{"id":"ex-503","links":{"about":"http://example.com/docs/errors#service_unavailable","type":"http://example.com/docs/errors#service_unavailable"},"status":"503","code":"service_unavailable","title":"Service Unavailable","detail":"This service is down for maintenance."}]}
}

func ExampleUpstreamError() {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler)
	r.Get("/stock", func(w http.ResponseWriter, r *http.Request) {
		// A loopback port where nothing listens: the connection is refused.
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, "http://127.0.0.1:1/stock", nil)
		resp, err := middleware.DoUpstream(nil, req)
		if err != nil {
			errdoc.Write(w, r, err) // 502; the address and the error only in the log
			return
		}
		resp.Body.Close()
	})

	req := httptest.NewRequest(http.MethodGet, "/stock", nil)
	req.Header.Set("X-Request-ID", "ex-502")
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	fmt.Println(rec.Body.String())
	// Output:
	// 502
	// {"errors":[{"id":"ex-502","links":{"about":"http://example.com/docs/errors#bad_gateway","type":"http://example.com/docs/errors#bad_gateway"},"status":"502","code":"bad_gateway","title":"Bad Gateway","detail":"A service this API depends on could not be reached or answered wrongly. Try again later."}]}
}

func ExampleThrottle() {
	var limited http.Handler
	limited = errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler(middleware.Throttle(1)(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/outer" {
				// While this request holds the only slot, another is refused.
				rec := httptest.NewRecorder()
				limited.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/inner", nil))
				fmt.Println("inner:", rec.Code, rec.Header().Get("Retry-After"))
			}
			w.WriteHeader(http.StatusNoContent)
		})))

	rec := httptest.NewRecorder()
	limited.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/outer", nil))
	fmt.Println("outer:", rec.Code)
	// Output:
	// inner: 503 1
	// outer: 204
}
