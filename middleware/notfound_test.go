package middleware_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/middleware"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func init() {
	// PURGE is a method the application teaches chi (as a cache front
	// would); chi's method table is global, so it is registered once here.
	chi.RegisterMethod("PURGE")
}

// newRouter builds a router with every way chi nests routes: Route, Mount of
// a chi router, Group and With with their own middleware, an explicit HEAD
// route, and an application method.
func newRouter() chi.Router {
	setHeader := func(k, v string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set(k, v)
				next.ServeHTTP(w, r)
			})
		}
	}
	body := func(s string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "max-age=60")
			w.Header().Set("ETag", `"`+s+`"`)
			_, _ = io.WriteString(w, s)
		}
	}
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	middleware.Routing(r)
	r.Get("/healthz", body("ok"))
	r.Post("/postonly", body("posted"))
	r.Get("/explicit", body("get"))
	r.Head("/explicit", func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Head", "explicit") })
	r.Route("/v1", func(r chi.Router) {
		r.Get("/items", body("items"))
		r.Post("/items", body("created"))
		r.Delete("/items/{id}", body("deleted"))
		r.Method(http.MethodGet, "/missing", errdoc.HandlerFunc(func(http.ResponseWriter, *http.Request) error {
			return errdoc.New(http.StatusNotFound, "No such thing.")
		}))
		r.Group(func(r chi.Router) {
			r.Use(setHeader("X-Group", "yes"))
			r.Get("/grouped", body("grouped"))
		})
		r.With(setHeader("X-With", "yes")).Get("/with", body("with"))
	})
	sub := chi.NewRouter()
	sub.Use(setHeader("X-Sub", "yes"))
	sub.Put("/thing", body("put"))
	sub.Get("/read", body("read"))
	sub.Method("PURGE", "/cache", body("purged"))
	r.Mount("/mounted", sub)
	return r
}

type routingCase struct {
	method, path string
	status       int
	allow        string
	code         string
	header       string // a header the route's own middleware sets, "K: v"
}

var routingCases = []routingCase{
	{"GET", "/v1/nope", 404, "", "not_found", ""},
	{"PUT", "/nope", 404, "", "not_found", ""},
	{"DELETE", "/v1/items", 405, "GET, HEAD, POST, OPTIONS", "method_not_allowed", ""},
	{"GET", "/v1/items/7", 405, "DELETE, OPTIONS", "method_not_allowed", ""},
	{"GET", "/mounted/thing", 405, "PUT, OPTIONS", "method_not_allowed", "X-Sub: yes"},
	{"GET", "/mounted/cache", 405, "OPTIONS, PURGE", "method_not_allowed", ""},
	{"PURGE", "/mounted/cache", 200, "", "", "X-Sub: yes"},
	{"PURGE", "/v1/items", 405, "GET, HEAD, POST, OPTIONS", "method_not_allowed", ""},
	{"GET", "/v1/items", 200, "", "", ""},
	// HEAD wherever GET is, through every kind of nesting.
	{"HEAD", "/healthz", 200, "", "", ""},
	{"HEAD", "/v1/items", 200, "", "", ""},
	{"HEAD", "/v1/grouped", 200, "", "", "X-Group: yes"},
	{"HEAD", "/v1/with", 200, "", "", "X-With: yes"},
	{"HEAD", "/mounted/read", 200, "", "", "X-Sub: yes"},
	{"HEAD", "/explicit", 200, "", "", "X-Head: explicit"},
	{"HEAD", "/v1/missing", 404, "", "", ""},
	{"HEAD", "/postonly", 405, "POST, OPTIONS", "", ""},
	{"HEAD", "/v1/items/7", 405, "DELETE, OPTIONS", "", ""},
	{"HEAD", "/nope", 404, "", "", ""},
	// OPTIONS on every path a route serves (RFC 9110 §9.3.7), not elsewhere.
	{"OPTIONS", "/v1/items", 204, "GET, HEAD, POST, OPTIONS", "", ""},
	{"OPTIONS", "/v1/items/7", 204, "DELETE, OPTIONS", "", ""},
	{"OPTIONS", "/mounted/cache", 204, "OPTIONS, PURGE", "", ""},
	{"OPTIONS", "/nope", 404, "", "not_found", ""},
	{"OPTIONS", "/v1/nope", 404, "", "not_found", ""},
	// Methods the server recognises but the path does not serve are 405,
	// even where no route of the router takes them (TRACE, PATCH).
	{"TRACE", "/v1/items", 405, "GET, HEAD, POST, OPTIONS", "method_not_allowed", ""},
	{"PATCH", "/healthz", 405, "GET, HEAD, OPTIONS", "method_not_allowed", ""},
	// A method the server does not recognise at all is 501 where a path
	// exists, and a path that does not exist is 404 for every method.
	{"FOO", "/v1/items", 501, "", "not_implemented", ""},
	{"FOO", "/mounted/cache", 501, "", "not_implemented", ""},
	{"FOO", "/nope", 404, "", "not_found", ""},
	{"TRACE", "/nope", 404, "", "not_found", ""},
	{"PATCH", "/nope", 404, "", "not_found", ""},
}

func TestRouting(t *testing.T) {
	for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
		t.Run(proto, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(newRouter())
			if proto == "HTTP/2.0" {
				srv.EnableHTTP2 = true
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			client := srv.Client()
			for _, tc := range routingCases {
				t.Run(tc.method+" "+tc.path, func(t *testing.T) {
					resp, body := do(t, client, tc.method, srv.URL+tc.path)
					assert.Equal(t, proto, resp.Proto)
					assert.Equal(t, tc.status, resp.StatusCode)
					assert.Equal(t, tc.allow, resp.Header.Get("Allow"))
					if tc.header != "" {
						k, v, _ := strings.Cut(tc.header, ": ")
						assert.Equal(t, v, resp.Header.Get(k))
					}
					if tc.method == http.MethodHead || tc.status == http.StatusNoContent {
						assert.Empty(t, body)
					}
					if tc.code == "" {
						return
					}
					var e *errdoc.Error
					resp.Body = io.NopCloser(bytes.NewReader(body))
					require.ErrorAs(t, errdoc.ParseResponse(resp), &e)
					assert.Equal(t, tc.status, e.Status)
					assert.Equal(t, tc.code, e.Code)
					assert.NotContains(t, e.Detail, "FOO", "a made-up method is not echoed")
				})
			}
		})
	}
}

// TestRoutingAllowIsTrue follows every 405's Allow: each method it lists must
// itself be served at that path, neither 405 nor 501.
func TestRoutingAllowIsTrue(t *testing.T) {
	srv := httptest.NewServer(newRouter())
	defer srv.Close()
	checked := 0
	for _, tc := range routingCases {
		resp, _ := do(t, srv.Client(), tc.method, srv.URL+tc.path)
		if resp.StatusCode != http.StatusMethodNotAllowed && resp.StatusCode != http.StatusNoContent {
			assert.Empty(t, resp.Header.Values("Allow"), "%s %s", tc.method, tc.path)
			continue
		}
		allow := resp.Header.Get("Allow")
		require.NotEmpty(t, allow, "every 405 and OPTIONS 204 carries Allow: %s %s", tc.method, tc.path)
		assert.Contains(t, allow, "OPTIONS")
		for _, m := range strings.Split(allow, ", ") {
			again, _ := do(t, srv.Client(), m, srv.URL+tc.path)
			assert.NotContains(t, []int{405, 501}, again.StatusCode, "%s %s lists %s", tc.method, tc.path, m)
			checked++
		}
	}
	assert.GreaterOrEqual(t, checked, 10)
}

// TestRoutingHeadMatchesGet compares HEAD with GET on the wire: same status,
// same headers (Content-Length included), no body.
func TestRoutingHeadMatchesGet(t *testing.T) {
	srv := httptest.NewServer(newRouter())
	defer srv.Close()
	for _, path := range []string{"/healthz", "/v1/items", "/v1/grouped", "/v1/with", "/mounted/read", "/v1/missing"} {
		t.Run(path, func(t *testing.T) {
			get, getBody := do(t, srv.Client(), http.MethodGet, srv.URL+path)
			head, headBody := do(t, srv.Client(), http.MethodHead, srv.URL+path)
			assert.NotEmpty(t, getBody)
			assert.Empty(t, headBody)
			assert.Equal(t, get.StatusCode, head.StatusCode)
			get.Header.Del("Date")
			head.Header.Del("Date")
			if get.StatusCode >= 400 {
				// errdoc.Write sends no body to HEAD, so net/http cannot
				// count one: RFC 9110 §9.3.2 lets a HEAD response omit the
				// content headers it would compute.
				get.Header.Del("Content-Length")
				head.ContentLength = get.ContentLength
			}
			assert.Equal(t, get.Header, head.Header)
			assert.Equal(t, get.ContentLength, head.ContentLength)
		})
	}
}

// TestRoutingSubrouterHandlers shows the handlers reach subrouters created
// before and after Routing's call, and that a router with its own routes
// defined first makes Routing panic at start-up (chi's rule for Use).
func TestRoutingSubrouterHandlers(t *testing.T) {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	middleware.Routing(r)
	r.Route("/a", func(r chi.Router) {
		r.Route("/b", func(r chi.Router) { r.Get("/c", func(http.ResponseWriter, *http.Request) {}) })
	})
	r.Post("/elsewhere", func(http.ResponseWriter, *http.Request) {}) // POST is routed, DELETE is not
	srv := httptest.NewServer(r)
	defer srv.Close()
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"POST", "/a/b/c", 405, "GET, HEAD, OPTIONS"},
		{"HEAD", "/a/b/c", 200, ""},
		{"OPTIONS", "/a/b/c", 204, "GET, HEAD, OPTIONS"},
		{"GET", "/a/b/nope", 404, ""},
		{"DELETE", "/a/b/c", 405, "GET, HEAD, OPTIONS"},
		{"BREW", "/a/b/c", 501, ""},
	} {
		resp, _ := do(t, srv.Client(), tc.method, srv.URL+tc.path)
		assert.Equal(t, tc.status, resp.StatusCode, "%s %s", tc.method, tc.path)
		assert.Equal(t, tc.allow, resp.Header.Get("Allow"), "%s %s", tc.method, tc.path)
	}

	late := chi.NewRouter()
	late.Get("/", func(http.ResponseWriter, *http.Request) {})
	assert.Panics(t, func() { middleware.Routing(late) })
}

func TestAllowedMethods(t *testing.T) {
	r := chi.NewRouter()
	r.Get("/x", func(http.ResponseWriter, *http.Request) {})
	r.Post("/x", func(http.ResponseWriter, *http.Request) {})
	r.Head("/y", func(http.ResponseWriter, *http.Request) {})
	r.Get("/y", func(http.ResponseWriter, *http.Request) {})
	// Without Routing, chi does not serve HEAD on GET routes, so HEAD is
	// listed only where it is routed.
	assert.Equal(t, "GET, POST", middleware.AllowedMethods(r, httptest.NewRequest("DELETE", "/x", nil)))
	assert.Equal(t, "GET, HEAD", middleware.AllowedMethods(r, httptest.NewRequest("DELETE", "/y", nil)))
	assert.Equal(t, "", middleware.AllowedMethods(r, httptest.NewRequest("DELETE", "/z", nil)))
}

func do(t *testing.T, c *http.Client, method, url string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	req.Header.Set("X-Request-ID", "routing-test")
	resp, err := c.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, body
}

// The 404 names a path a reader can take in, and no more of what the
// client sent: the same text for chi and http.ServeMux.
func TestNotFoundNamesShortPathsOnly(t *testing.T) {
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	middleware.Routing(r)
	r.Get("/items", func(http.ResponseWriter, *http.Request) {})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", func(http.ResponseWriter, *http.Request) {})
	std := errdoc.NewRenderer(errdoc.Options{}).Handler(middleware.ServeMux(mux))
	long := "/" + strings.Repeat("x", 300)
	for name, h := range map[string]http.Handler{"chi": r, "ServeMux": std} {
		for path, detail := range map[string]string{"/nope": "No route matches /nope.", long: "No route matches this path."} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			require.Equal(t, http.StatusNotFound, rec.Code, name)
			assert.Contains(t, rec.Body.String(), `"detail":"`+detail+`"`, name)
		}
	}
}

// A renderer with no configuration links its documents to the
// response-code page on the request's own origin, and Routing (or the
// ServeMux adapter) serves that page: a client can follow every link.
func TestDefaultDocsLinksCanBeFollowed(t *testing.T) {
	chiRouter := chi.NewRouter()
	chiRouter.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	middleware.Routing(chiRouter)
	chiRouter.Get("/items", func(http.ResponseWriter, *http.Request) {})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", func(http.ResponseWriter, *http.Request) {})
	std := errdoc.NewRenderer(errdoc.Options{}).Handler(middleware.ServeMux(mux))
	for name, h := range map[string]http.Handler{"chi": chiRouter, "ServeMux": std} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			for _, path := range []string{"/nope", "/items/7"} {
				resp, body := do(t, srv.Client(), http.MethodGet, srv.URL+path)
				require.Equal(t, http.StatusNotFound, resp.StatusCode)
				var doc struct {
					Errors []struct {
						Code  string `json:"code"`
						Links struct {
							About string `json:"about"`
						} `json:"links"`
					} `json:"errors"`
				}
				require.NoError(t, json.Unmarshal(body, &doc))
				link := doc.Errors[0].Links.About
				require.Equal(t, srv.URL+"/docs/errors#not_found", link)

				req, err := http.NewRequest(http.MethodGet, link, nil)
				require.NoError(t, err)
				req.Header.Set("Accept", "text/html")
				page, err := srv.Client().Do(req)
				require.NoError(t, err)
				html, _ := io.ReadAll(page.Body)
				page.Body.Close()
				assert.Equal(t, http.StatusOK, page.StatusCode)
				assert.Equal(t, "text/html; charset=utf-8", page.Header.Get("Content-Type"))
				assert.Contains(t, string(html), `id="not_found"`, "the link's anchor exists")
			}
			// Only GET and HEAD; the page is not a catch-all.
			resp, _ := do(t, srv.Client(), http.MethodPost, srv.URL+"/docs/errors")
			assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			resp, _ = do(t, srv.Client(), http.MethodGet, srv.URL+"/docs/errors/x")
			assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		})
	}

	// An application's own /docs/errors route, or a DocsURL of its own,
	// keeps the path for the application.
	own := chi.NewRouter()
	own.Use(errdoc.NewRenderer(errdoc.Options{DocsURL: "https://docs.example.com/errors"}).Handler)
	middleware.Routing(own)
	own.Get("/items", func(http.ResponseWriter, *http.Request) {})
	rec := httptest.NewRecorder()
	own.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/docs/errors", nil))
	assert.Equal(t, http.StatusNotFound, rec.Code)
}
