package middleware_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newRouter() chi.Router {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	middleware.Routing(r)
	r.Route("/v1", func(r chi.Router) {
		r.Get("/items", func(w http.ResponseWriter, r *http.Request) {})
		r.Post("/items", func(w http.ResponseWriter, r *http.Request) {})
		r.Delete("/items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	})
	sub := chi.NewRouter()
	sub.Put("/thing", func(w http.ResponseWriter, r *http.Request) {})
	r.Mount("/mounted", sub)
	return r
}

func TestRouting(t *testing.T) {
	srv := httptest.NewServer(newRouter())
	defer srv.Close()
	tests := []struct {
		method, path string
		status       int
		allow        string
		detail       string
	}{
		{"GET", "/v1/nope", 404, "", "No route matches /v1/nope."},
		{"DELETE", "/v1/items", 405, "GET, HEAD, POST", "DELETE is not allowed here; use GET, HEAD, POST."},
		{"GET", "/v1/items/7", 405, "DELETE", ""},
		{"GET", "/mounted/thing", 405, "PUT", ""},
		{"BREW", "/v1/items", 405, "GET, HEAD, POST", "This method is not allowed here; use GET, HEAD, POST."},
		{"GET", "/v1/items", 200, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
			if tc.status == 200 {
				return
			}
			var e *errdoc.Error
			resp.Body = io.NopCloser(bytes.NewReader(body))
			require.ErrorAs(t, errdoc.ParseResponse(resp), &e)
			assert.Equal(t, tc.status, e.Status)
			if tc.detail != "" {
				assert.Equal(t, tc.detail, e.Detail)
			}
		})
	}
}
