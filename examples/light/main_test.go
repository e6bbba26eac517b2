package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The light stack answers as the full one does: the route, the 404 and 406
// documents, the 401 challenge, the 410 of a retired route, the
// Deprecation header, and http.ServeMux's routes and 405.
func TestLightStack(t *testing.T) {
	srv := httptest.NewServer(newRouter())
	defer srv.Close()
	for _, tc := range []struct {
		method, path, accept string
		status               int
		header, contains     string
	}{
		{"GET", "/v1/items", "", 200, "RateLimit-Policy", `"bolt"`},
		{"GET", "/v1/nope", "", 404, "X-Request-Id", `"code":"not_found"`},
		{"GET", "/v1/items", "application/xml", 406, "", `"code":"not_acceptable"`},
		{"GET", "/v1/private", "", 401, "WWW-Authenticate", `"status":"401"`},
		{"GET", "/v1/legacy", "", 410, "Sunset", `"status":"410"`},
		{"GET", "/v1/old", "", 200, "Deprecation", `"bolt"`},
		{"GET", "/std/items", "", 200, "", `"bolt"`},
		{"POST", "/std/items", "", 405, "Allow", `"status":"405"`},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		if tc.accept != "" {
			req.Header.Set("Accept", tc.accept)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: %d, want %d: %s", tc.method, tc.path, resp.StatusCode, tc.status, body)
		}
		if tc.header != "" && resp.Header.Get(tc.header) == "" {
			t.Errorf("%s %s: no %s header", tc.method, tc.path, tc.header)
		}
		if !strings.Contains(string(body), tc.contains) {
			t.Errorf("%s %s: %s does not contain %s", tc.method, tc.path, body, tc.contains)
		}
	}
}
