package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
)

func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "list") })
	mux.HandleFunc("POST /items", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) })
	mux.HandleFunc("DELETE /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "404" {
			http.NotFound(w, r) // the handler's own 404 is left alone
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /dir/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "dir") })
	return mux
}

func TestServeMux(t *testing.T) {
	for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
		t.Run(proto, func(t *testing.T) { testServeMux(t, proto) })
	}
}

func testServeMux(t *testing.T, proto string) {
	srv := testsrv.Start(t, proto, errdoc.NewRenderer(errdoc.Options{}).Handler(middleware.ServeMux(newMux())))
	noRedirect := srv.Client()
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	tests := []struct {
		method, path string
		status       int
		allow        string
		detail       string
		location     string
	}{
		{"GET", "/items", 200, "", "", ""},
		{"HEAD", "/items", 200, "", "", ""},
		{"POST", "/items", 201, "", "", ""},
		{"DELETE", "/items/7", 204, "", "", ""},
		{"GET", "/nope", 404, "", "No route matches /nope.", ""},
		{"GET", "/" + strings.Repeat("x", 300), 404, "", "No route matches this path.", ""},
		{"PUT", "/items", 405, "GET, HEAD, POST, OPTIONS", "PUT is not allowed here; use GET, HEAD, POST, OPTIONS.", ""},
		{"PATCH", "/items", 405, "GET, HEAD, POST, OPTIONS", "PATCH is not allowed here; use GET, HEAD, POST, OPTIONS.", ""},
		{"BREW", "/items", 501, "", "The server does not recognise the request's method for any resource. An OPTIONS request to the resource lists the methods it allows.", ""},
		{"BREW", "/nope", 404, "", "No route matches /nope.", ""},
		{"GET", "/items/7", 405, "DELETE, OPTIONS", "GET is not allowed here; use DELETE, OPTIONS.", ""},
		{"OPTIONS", "/items", 204, "GET, HEAD, POST, OPTIONS", "", ""},
		{"OPTIONS", "/items/7", 204, "DELETE, OPTIONS", "", ""},
		{"OPTIONS", "/nope", 404, "", "No route matches /nope.", ""},
		{"HEAD", "/nope", 404, "", "", ""},
		{"GET", "/dir", 301, "", "", "/dir/"},
		{"GET", "/dir/../items", 301, "", "", "/items"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path[:min(len(tc.path), 20)], func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			require.NoError(t, err)
			req.URL.Opaque = tc.path // keep "/dir/../items" as sent
			resp, err := noRedirect.Do(req)
			require.NoError(t, err)
			if tc.method == http.MethodHead || tc.status < 400 {
				resp.Body.Close()
				if tc.status == 301 { // 301 or 307, as the Go release decides
					require.Contains(t, []int{301, 307}, resp.StatusCode)
				} else {
					require.Equal(t, tc.status, resp.StatusCode)
				}
				assert.Equal(t, tc.location, resp.Header.Get("Location"))
				assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
				if tc.status >= 400 {
					assert.Equal(t, errdoc.MediaTypeJSON, resp.Header.Get("Content-Type"))
				}
				return
			}
			rep := testsrv.Read(t, resp)
			assert.Equal(t, proto, resp.Proto)
			require.Equal(t, tc.status, resp.StatusCode, "%s", rep.Body)
			assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
			assert.Equal(t, tc.detail, rep.Errors[0].Detail)
			assert.NotContains(t, string(rep.Body), "Method Not Allowed\n", "not the plain-text body")
		})
	}
	t.Run("handler's own 404 untouched", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/items/404", nil)
		resp, err := noRedirect.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	})
}

func ExampleServeMux() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "item", r.PathValue("id"))
	})
	h := errdoc.NewRenderer(errdoc.Options{}).Handler(middleware.ServeMux(mux))

	req := httptest.NewRequest(http.MethodPost, "/items/7", nil)
	req.Header.Set("X-Request-ID", "ex-2")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	fmt.Println(rec.Code, rec.Header().Get("Allow"))
	fmt.Println(rec.Body.String())
	// Output:
	// 405 GET, HEAD, OPTIONS
	// {"errors":[{"id":"ex-2","links":{"about":"http://example.com/docs/errors#method_not_allowed","type":"http://example.com/docs/errors#method_not_allowed"},"status":"405","code":"method_not_allowed","title":"Method Not Allowed","detail":"POST is not allowed here; use GET, HEAD, OPTIONS."}]}
}

// BenchmarkServeMux serves a matched route with a path value through
// ServeMux (/ours, which matches twice: once to learn whether a pattern
// matches, once in mux.ServeHTTP to set the path values) beside the bare
// mux (/net_http); then the 405 both answer.
func BenchmarkServeMux(b *testing.B) {
	mux := newMux()
	ours := middleware.ServeMux(mux)
	for _, bc := range []struct {
		name   string
		h      http.Handler
		method string
		want   int
	}{
		{"ours", ours, http.MethodDelete, 204},
		{"net_http", mux, http.MethodDelete, 204},
		{"ours_405", ours, http.MethodPut, 405},
		{"net_http_405", mux, http.MethodPut, 405},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			req := httptest.NewRequest(bc.method, "/items/7", nil)
			for b.Loop() {
				w := &testsrv.BenchWriter{H: http.Header{}}
				bc.h.ServeHTTP(w, req)
				if w.Code != bc.want {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
