package etag_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
	"github.com/faultline-go/faultline/middleware/etag"
)

func TestETag(t *testing.T) {
	body := strings.Repeat("item,", 100) // 500 bytes
	mk := func(max int, h http.HandlerFunc) http.Handler {
		rd := errdoc.NewRenderer(errdoc.Options{Logger: quietLogger()})
		return rd.Handler(middleware.Conditional()(etag.ETag(max)(h)))
	}
	plain := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, body[:250])
		_, _ = io.WriteString(w, body[250:])
	}
	for _, proto := range protos {
		t.Run(proto, func(t *testing.T) {
			srv, c := testsrv.NewServer(t, proto, mk(1024, plain))
			resp, err := c.Get(srv.URL)
			require.NoError(t, err)
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			etag := resp.Header.Get("ETag")
			assert.Equal(t, body, string(got))
			assert.Regexp(t, `^"[A-Za-z0-9_-]{22}"$`, etag)
			assert.Equal(t, int64(len(body)), resp.ContentLength)

			req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
			req.Header.Set("If-None-Match", etag)
			resp, err = c.Do(req)
			require.NoError(t, err)
			got, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusNotModified, resp.StatusCode)
			assert.Empty(t, got)
			assert.Equal(t, etag, resp.Header.Get("ETag"))

			req, _ = http.NewRequest(http.MethodHead, srv.URL, nil)
			resp, err = c.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, etag, resp.Header.Get("ETag"), "HEAD gets GET's ETag when the handler writes the body")
		})
	}

	t.Run("the same body gets the same ETag, another body another", func(t *testing.T) {
		a, b := httptest.NewRecorder(), httptest.NewRecorder()
		mk(1024, plain).ServeHTTP(a, httptest.NewRequest("GET", "/", nil))
		mk(1024, plain).ServeHTTP(b, httptest.NewRequest("GET", "/", nil))
		assert.Equal(t, a.Header().Get("ETag"), b.Header().Get("ETag"))
		c := httptest.NewRecorder()
		mk(1024, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body+".") }).ServeHTTP(c, httptest.NewRequest("GET", "/", nil))
		assert.NotEqual(t, a.Header().Get("ETag"), c.Header().Get("ETag"))
	})

	t.Run("StrongETag is the tag ETag sends", func(t *testing.T) {
		for _, hdr := range []http.Header{
			{},
			{"Content-Type": {"text/plain"}},
			{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}, "Content-Language": {"fr"}},
			{"Content-Type": {"application/json"}, "Cache-Control": {"no-cache"}, "X-Other": {"ignored"}},
		} {
			rec := httptest.NewRecorder()
			mk(1024, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range hdr {
					w.Header()[k] = v
				}
				_, _ = io.WriteString(w, body)
			}).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			want := hdr
			if len(hdr["Content-Type"]) == 0 && len(hdr["Content-Encoding"]) == 0 {
				// No type: ETag sets the one net/http would sniff.
				want = http.Header{"Content-Type": {http.DetectContentType([]byte(body))}}
			}
			assert.Equal(t, etag.StrongETag(want, []byte(body)), rec.Header().Get("ETag"), "%v", hdr)
		}
	})

	// A handler that sets no Content-Type gets the one net/http sniffs, in
	// the headers and in the tag: its response and one that sets the same
	// type explicitly are identical on the wire and carry one tag, which
	// StrongETag of the response's headers gives.
	for _, proto := range protos {
		t.Run("a sniffed type is part of the tag/"+proto, func(t *testing.T) {
			sniffed, c := testsrv.NewServer(t, proto, mk(1024, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, body)
			}))
			explicit, _ := testsrv.NewServer(t, proto, mk(1024, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = io.WriteString(w, body)
			}))
			get := func(url string) *http.Response {
				resp, err := c.Get(url)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp
			}
			a, b := get(sniffed.URL), get(explicit.URL)
			assert.Equal(t, "text/plain; charset=utf-8", a.Header.Get("Content-Type"))
			assert.Equal(t, b.Header.Get("ETag"), a.Header.Get("ETag"), "identical on the wire, one tag")
			assert.Equal(t, etag.StrongETag(a.Header, []byte(body)), a.Header.Get("ETag"))
		})
	}

	t.Run("what makes the representation changes the tag", func(t *testing.T) {
		b := []byte(body)
		tags := map[string]string{}
		for name, hdr := range map[string]http.Header{
			"bare":              {},
			"json":              {"Content-Type": {"application/json"}},
			"openapi":           {"Content-Type": {"application/vnd.oai.openapi+json;version=3.1.0"}},
			"json gzip":         {"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}},
			"json br":           {"Content-Type": {"application/json"}, "Content-Encoding": {"br"}},
			"json fr":           {"Content-Type": {"application/json"}, "Content-Language": {"fr"}},
			"type as encoding":  {"Content-Encoding": {"application/json"}},
			"two encodings":     {"Content-Type": {"application/json"}, "Content-Encoding": {"gzip", "br"}},
			"reversed encoding": {"Content-Type": {"application/json"}, "Content-Encoding": {"br", "gzip"}},
		} {
			tag := etag.StrongETag(hdr, b)
			assert.Regexp(t, `^"[A-Za-z0-9_-]{22}"$`, tag)
			for other, seen := range tags {
				assert.NotEqual(t, seen, tag, "%s and %s share a tag", name, other)
			}
			tags[name] = tag
		}
		assert.Equal(t, tags["json"], etag.StrongETag(http.Header{"Content-Type": {"application/json"}, "Vary": {"Accept"}}, b),
			"fields outside the representation do not count")
	})

	// One body negotiated into two media types, as /docs/openapi.json is:
	// two strong tags, and a revalidation with one type's tag gets the
	// other type in full.
	for _, proto := range protos {
		t.Run("two media types of one body/"+proto, func(t *testing.T) {
			srv, c := testsrv.NewServer(t, proto, mk(1024, func(w http.ResponseWriter, r *http.Request) {
				ct := "application/json"
				if strings.Contains(r.Header.Get("Accept"), "vnd.oai") {
					ct = "application/vnd.oai.openapi+json;version=3.1.0"
				}
				w.Header().Set("Content-Type", ct)
				w.Header().Set("Vary", "Accept")
				_, _ = io.WriteString(w, body)
			}))
			get := func(accept, inm string) *http.Response {
				req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
				req.Header.Set("Accept", accept)
				if inm != "" {
					req.Header.Set("If-None-Match", inm)
				}
				resp, err := c.Do(req)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp
			}
			plainTag := get("application/json", "").Header.Get("ETag")
			vendorTag := get("application/vnd.oai.openapi+json", "").Header.Get("ETag")
			assert.NotEqual(t, plainTag, vendorTag)
			assert.Equal(t, etag.StrongETag(http.Header{"Content-Type": {"application/json"}}, []byte(body)), plainTag)
			cross := get("application/vnd.oai.openapi+json", plainTag)
			assert.Equal(t, http.StatusOK, cross.StatusCode, "the JSON tag does not revalidate the vendor type")
			assert.Equal(t, "application/vnd.oai.openapi+json;version=3.1.0", cross.Header.Get("Content-Type"))
			assert.Equal(t, http.StatusNotModified, get("application/vnd.oai.openapi+json", vendorTag).StatusCode)
		})
	}

	tests := []struct {
		name     string
		max      int
		method   string
		h        http.HandlerFunc
		status   int
		wantETag string // "" none, "computed", or a literal
		wantBody string
	}{
		{"past the bound: streamed, no ETag", 100, "GET", plain, 200, "", body},
		{"flushed: streamed, no ETag", 1024, "GET", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "a")
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, "b")
		}, 200, "", "ab"},
		{"the handler's own ETag wins", 1024, "GET", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("ETag", `"mine"`)
			_, _ = io.WriteString(w, "x")
		}, 200, `"mine"`, "x"},
		{"not a 200: untouched", 1024, "GET", func(w http.ResponseWriter, r *http.Request) {
			errdoc.Write(w, r, errdoc.New(http.StatusNotFound, "gone fishing"))
		}, 404, "", ""},
		{"HEAD without a body: no ETag", 1024, "HEAD", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
		}, 200, "", ""},
		{"POST: untouched", 1024, "POST", plain, 200, "", body},
		{"empty 200", 1024, "GET", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }, 200, "computed", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			mk(tc.max, tc.h).ServeHTTP(rec, httptest.NewRequest(tc.method, "/", nil))
			assert.Equal(t, tc.status, rec.Code)
			switch tc.wantETag {
			case "computed":
				assert.NotEmpty(t, rec.Header().Get("ETag"))
			default:
				assert.Equal(t, tc.wantETag, rec.Header().Get("ETag"))
			}
			if tc.wantBody != "" {
				assert.Equal(t, tc.wantBody, rec.Body.String())
			}
		})
	}

	t.Run("a panic before the response leaves nothing sent", func(t *testing.T) {
		rec := httptest.NewRecorder()
		h := mk(1024, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, "half")
			panic("boom")
		})
		assert.Panics(t, func() { h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil)) })
		assert.False(t, rec.Flushed)
		assert.Empty(t, rec.Body.String())
	})

	assert.Panics(t, func() { etag.ETag(0) })
}
