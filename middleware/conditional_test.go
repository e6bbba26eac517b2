package middleware_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var lastMod = time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)

func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// resource answers GET with validators "v1" and lastMod, 404 for /missing.
func resource(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/missing" {
		errdoc.Write(w, r, errdoc.New(http.StatusNotFound, "no such item"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("ETag", `"v1"`)
	w.Header().Set("Last-Modified", httpDate(lastMod))
	w.Header().Set("Cache-Control", "private, max-age=60")
	_, _ = io.WriteString(w, `{"id":"1"}`)
}

func TestConditionalReadOrder(t *testing.T) {
	tests := []struct {
		name   string
		method string
		path   string
		header map[string]string
		status int
	}{
		{"no preconditions", "GET", "/", nil, 200},
		{"If-None-Match matches", "GET", "/", map[string]string{"If-None-Match": `"v1"`}, 304},
		{"If-None-Match is weak", "GET", "/", map[string]string{"If-None-Match": `W/"v1"`}, 304},
		{"If-None-Match in a list", "GET", "/", map[string]string{"If-None-Match": ` "v0" ,W/"v2", "v1"`}, 304},
		{"If-None-Match star", "GET", "/", map[string]string{"If-None-Match": `*`}, 304},
		{"If-None-Match differs", "GET", "/", map[string]string{"If-None-Match": `"v2"`}, 200},
		{"If-None-Match malformed", "GET", "/", map[string]string{"If-None-Match": `v1`}, 200},
		{"If-Modified-Since equal", "GET", "/", map[string]string{"If-Modified-Since": httpDate(lastMod)}, 304},
		{"If-Modified-Since later", "GET", "/", map[string]string{"If-Modified-Since": httpDate(lastMod.Add(time.Hour))}, 304},
		{"If-Modified-Since earlier", "GET", "/", map[string]string{"If-Modified-Since": httpDate(lastMod.Add(-time.Second))}, 200},
		{"If-Modified-Since invalid is ignored", "GET", "/", map[string]string{"If-Modified-Since": "yesterday"}, 200},
		{"If-None-Match wins over If-Modified-Since", "GET", "/", map[string]string{"If-None-Match": `"v2"`, "If-Modified-Since": httpDate(lastMod)}, 200},
		{"If-Match strong match", "GET", "/", map[string]string{"If-Match": `"v1"`}, 200},
		{"If-Match weak tag never matches", "GET", "/", map[string]string{"If-Match": `W/"v1"`}, 412},
		{"If-Match differs", "GET", "/", map[string]string{"If-Match": `"v0"`}, 412},
		{"If-Match star", "GET", "/", map[string]string{"If-Match": `*`}, 200},
		{"If-Unmodified-Since holds", "GET", "/", map[string]string{"If-Unmodified-Since": httpDate(lastMod)}, 200},
		{"If-Unmodified-Since fails", "GET", "/", map[string]string{"If-Unmodified-Since": httpDate(lastMod.Add(-time.Second))}, 412},
		{"If-Match wins over If-Unmodified-Since", "GET", "/", map[string]string{"If-Match": `"v1"`, "If-Unmodified-Since": httpDate(lastMod.Add(-time.Second))}, 200},
		{"If-Match before If-None-Match", "GET", "/", map[string]string{"If-Match": `"v0"`, "If-None-Match": `"v1"`}, 412},
		{"HEAD If-None-Match", "HEAD", "/", map[string]string{"If-None-Match": `"v1"`}, 304},
		{"error statuses pass through", "GET", "/missing", map[string]string{"If-None-Match": `*`}, 404},
	}
	h := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler(middleware.Conditional()(http.HandlerFunc(resource)))
	for _, proto := range protos {
		srv, c := testsrv.NewServer(t, proto, h)
		for _, tc := range tests {
			t.Run(proto+"/"+tc.name, func(t *testing.T) {
				req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
				for k, v := range tc.header {
					req.Header.Set(k, v)
				}
				resp, err := c.Do(req)
				require.NoError(t, err)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				assert.Equal(t, tc.status, resp.StatusCode)
				switch tc.status {
				case 304:
					assert.Empty(t, body)
					assert.Equal(t, `"v1"`, resp.Header.Get("ETag"))
					assert.Equal(t, httpDate(lastMod), resp.Header.Get("Last-Modified"))
					assert.Equal(t, "private, max-age=60", resp.Header.Get("Cache-Control"))
					assert.Empty(t, resp.Header.Get("Content-Type"))
				case 412:
					assert.Contains(t, string(body), `"code":"precondition_failed"`)
					assert.Contains(t, string(body), `"header":"If-`)
				case 200:
					if tc.method == "GET" {
						assert.Equal(t, `{"id":"1"}`, string(body))
					}
				}
			})
		}
	}
}

func TestConditionalUnsafeMethods(t *testing.T) {
	var exists atomic.Bool
	exists.Store(true)
	var ran atomic.Int32
	update := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran.Add(1)
		w.WriteHeader(http.StatusNoContent)
	})
	withCurrent := middleware.ConditionalWithOptions(middleware.ConditionalOptions{
		Current: func(r *http.Request) (middleware.Validators, bool) {
			return middleware.Validators{ETag: `"v1"`, LastModified: lastMod}, exists.Load()
		},
	})(update)
	rd := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()})
	tests := []struct {
		name    string
		h       http.Handler
		exists  bool
		header  map[string]string
		status  int
		handled bool
	}{
		{"If-Match current", withCurrent, true, map[string]string{"If-Match": `"v1"`}, 204, true},
		{"If-Match stale: lost update prevented", withCurrent, true, map[string]string{"If-Match": `"v0"`}, 412, false},
		{"If-Match on a missing resource", withCurrent, false, map[string]string{"If-Match": `*`}, 412, false},
		{"If-None-Match star creates only", withCurrent, true, map[string]string{"If-None-Match": `*`}, 412, false},
		{"If-None-Match star on a missing resource", withCurrent, false, map[string]string{"If-None-Match": `*`}, 204, true},
		{"If-Unmodified-Since stale", withCurrent, true, map[string]string{"If-Unmodified-Since": httpDate(lastMod.Add(-time.Minute))}, 412, false},
		{"If-Modified-Since ignored on PUT", withCurrent, true, map[string]string{"If-Modified-Since": httpDate(lastMod)}, 204, true},
		{"without Current the handler decides", middleware.Conditional()(update), true, map[string]string{"If-Match": `"v0"`}, 204, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			exists.Store(tc.exists)
			before := ran.Load()
			req := httptest.NewRequest(http.MethodPut, "/items/1", strings.NewReader(`{}`))
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			rd.Handler(tc.h).ServeHTTP(rec, req)
			assert.Equal(t, tc.status, rec.Code)
			assert.Equal(t, tc.handled, ran.Load() > before)
		})
	}
}

func TestCheckPreconditionsInAHandler(t *testing.T) {
	h := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()}).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !middleware.CheckPreconditions(w, r, middleware.Validators{ETag: `"v3"`}, true) {
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	req := httptest.NewRequest(http.MethodDelete, "/items/1", nil)
	req.Header.Set("If-Match", `"v2"`)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusPreconditionFailed, rec.Code)
	assert.Contains(t, rec.Body.String(), `"source":{"header":"If-Match"}`)
}

// FuzzPreconditions feeds arbitrary precondition headers and validators to
// Conditional: it never panics and answers 200, 304 or 412.
func FuzzPreconditions(f *testing.F) {
	f.Add(`"v1"`, `W/"v1", "v2"`, httpDate(lastMod), "garbage", `"v1"`)
	f.Add(`*`, `*`, "", httpDate(lastMod), `W/"x"`)
	f.Add(`W/`, `"`, "Mon, 02 Jan 2006", "", ``)
	f.Fuzz(func(t *testing.T, ifMatch, ifNoneMatch, ims, ius, etag string) {
		h := middleware.Conditional()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Etag"] = []string{etag}
			w.Header()["Last-Modified"] = []string{httpDate(lastMod)}
			_, _ = io.WriteString(w, "body")
		}))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header["If-Match"] = []string{ifMatch}
		req.Header["If-None-Match"] = []string{ifNoneMatch}
		req.Header["If-Modified-Since"] = []string{ims}
		req.Header["If-Unmodified-Since"] = []string{ius}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 304, 412:
		default:
			t.Fatalf("status %d", rec.Code)
		}
		if rec.Code == 304 && rec.Body.Len() > 0 {
			t.Fatal("a 304 with a body")
		}
	})
}
