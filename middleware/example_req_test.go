package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
)

// serve runs one request through h and prints the status, the named
// headers and the body.
func serve(h http.Handler, req *http.Request, headers ...string) {
	req.Header.Set("X-Request-ID", "ex")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	for _, k := range headers {
		fmt.Printf("%s: %s\n", k, rec.Header().Get(k))
	}
	fmt.Println(strings.TrimSpace(rec.Body.String()))
}

func ExampleNewParams() {
	h := errdoc.NewRenderer(errdoc.Options{}).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := middleware.NewParams(r)
		limit := p.Query("limit").Default("20").IntRange(1, 100)
		sort := p.Query("sort").Enum("name", "quantity")
		if err := p.Err(); err != nil {
			errdoc.Write(w, r, err)
			return
		}
		fmt.Fprintln(w, limit, sort)
	}))
	serve(h, httptest.NewRequest(http.MethodGet, "/items?limit=500&sort=price", nil))
	// Output:
	// 400
	// {"errors":[{"id":"ex.1","links":{"about":"http://example.com/docs/errors#bad_request","type":"http://example.com/docs/errors#bad_request"},"status":"400","code":"bad_request","title":"Bad Request","detail":"The query parameter limit must be an integer from 1 to 100.","source":{"parameter":"limit"}},{"id":"ex.2","links":{"about":"http://example.com/docs/errors#bad_request","type":"http://example.com/docs/errors#bad_request"},"status":"400","code":"bad_request","title":"Bad Request","detail":"The query parameter sort must be one of: name, quantity.","source":{"parameter":"sort"}}],"meta":{"request_id":"ex"}}
}

func ExampleAuth() {
	authn := middleware.Auth(middleware.AuthOptions{
		Realm: "api",
		Authenticate: func(r *http.Request) (*http.Request, error) {
			tok, ok := middleware.BearerToken(r)
			if !ok {
				return nil, middleware.ErrNoCredentials
			}
			if tok != "s3cret" {
				return nil, &middleware.AuthError{Code: "invalid_token", Description: "The token has expired."}
			}
			return r, nil
		},
	})
	h := errdoc.NewRenderer(errdoc.Options{}).Handler(authn(http.NotFoundHandler()))
	req := httptest.NewRequest(http.MethodGet, "/private", nil)
	req.Header.Set("Authorization", "Bearer old")
	serve(h, req, "WWW-Authenticate")
	// Output:
	// 401
	// WWW-Authenticate: Bearer realm="api", error="invalid_token", error_description="The token has expired."
	// {"errors":[{"id":"ex","links":{"about":"http://example.com/docs/errors#unauthorized","type":"http://example.com/docs/errors#unauthorized"},"status":"401","code":"unauthorized","title":"Unauthorized","detail":"The token has expired."}]}
}

func ExampleProduces() {
	h := errdoc.NewRenderer(errdoc.Options{}).Handler(
		middleware.Produces("application/json")(http.NotFoundHandler()))
	req := httptest.NewRequest(http.MethodGet, "/items", nil)
	req.Header.Set("Accept", "application/xml")
	serve(h, req, "Content-Type")
	// Output:
	// 406
	// Content-Type: application/json
	// {"errors":[{"id":"ex","links":{"about":"http://example.com/docs/errors#not_acceptable","type":"http://example.com/docs/errors#not_acceptable"},"status":"406","code":"not_acceptable","title":"Not Acceptable","detail":"This resource is available as application/json only, and the Accept header allows none of them.","source":{"header":"Accept"},"meta":{"available":["application/json"]}}]}
}

func ExampleRetired() {
	retired := middleware.Retired(middleware.Lifecycle{
		Sunset:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Successor: "/v2/items",
	})
	h := errdoc.NewRenderer(errdoc.Options{}).Handler(retired(nil))
	serve(h, httptest.NewRequest(http.MethodGet, "/v1/items", nil), "Sunset", "Link")
	// Output:
	// 410
	// Sunset: Wed, 01 Jan 2025 00:00:00 GMT
	// Link: </v2/items>; rel="successor-version"
	// {"errors":[{"id":"ex","links":{"about":"http://example.com/docs/errors#gone","type":"http://example.com/docs/errors#gone"},"status":"410","code":"gone","title":"Gone","detail":"This endpoint has been retired since 2025-01-01. Use /v2/items instead."}]}
}
