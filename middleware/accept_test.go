package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
)

func TestProduces(t *testing.T) {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(middleware.Produces("application/json", "text/csv")).Get("/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", middleware.Negotiated(r))
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	tests := []struct {
		accept string
		status int
		chosen string
	}{
		{"", 200, "application/json"},
		{"*/*", 200, "application/json"},
		{"application/json", 200, "application/json"},
		{"text/csv", 200, "text/csv"},
		{"TEXT/CSV; charset=utf-8", 200, "text/csv"},
		{"text/*", 200, "text/csv"},
		{"application/json;q=0.5, text/csv;q=0.8", 200, "text/csv"},
		{"application/json;q=0.8, text/csv;q=0.8", 200, "application/json"},
		{"*/*;q=0.1, application/json;q=0", 200, "text/csv"},
		{"text/html, application/xhtml+xml, */*;q=0.8", 200, "application/json"},
		{"application/xml", 406, ""},
		{"application/*;q=0, text/csv;q=0", 406, ""},
		{"*/*;q=0", 406, ""},
		{"application/json;q=2", 406, ""},
		{"text/html, image/*", 406, ""},
		{"garbage", 200, "application/json"},
		{"application/problem+json", 200, "application/json"},
		{"text/csv;q=0.5, application/problem+json", 200, "text/csv"},
	}
	for _, tc := range tests {
		t.Run(tc.accept, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/items", nil)
			require.NoError(t, err)
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			rep := testsrv.Read(t, resp)
			require.Equal(t, tc.status, resp.StatusCode, "%s", rep.Body)
			assert.Contains(t, resp.Header.Values("Vary"), "Accept")
			if tc.status == 200 {
				assert.Equal(t, tc.chosen, resp.Header.Get("Content-Type"))
				return
			}
			// The document comes in a format errdoc supports, whatever
			// Accept refused.
			assert.Equal(t, errdoc.MediaTypeJSON, resp.Header.Get("Content-Type"), "JSON:API errors served as plain JSON")
			assert.Equal(t, "Accept", rep.Errors[0].Source.Header)
			assert.Contains(t, string(rep.Body), `"available":["application/json","text/csv"]`)
			assert.Equal(t, "This resource is available as application/json, text/csv only, and the Accept header allows none of them.", rep.Errors[0].Detail)
		})
	}
	t.Run("problem+json asked, problem+json rendered", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/items", nil)
		req.Header.Set("Accept", "application/xml, application/problem+json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		rep := testsrv.Read(t, resp)
		assert.Equal(t, 406, resp.StatusCode)
		assert.Equal(t, errdoc.MediaTypeProblem, resp.Header.Get("Content-Type"))
		assert.Equal(t, 406, rep.Errors[0].Status)
	})
}

func TestProducesPanics(t *testing.T) {
	for _, bad := range [][]string{nil, {"json"}, {"*/*"}, {"text/*"}, {"application/json; q=1"}} {
		assert.Panics(t, func() { middleware.Produces(bad...) }, "%q", bad)
	}
}
