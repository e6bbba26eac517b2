package errdoc_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setSuccessHeaders is what a handler sets for a download it then fails to
// send.
func setSuccessHeaders(h http.Header) {
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Disposition", `attachment; filename="report.zip"`)
	h.Set("Content-Language", "de")
	h.Set("Content-Location", "/reports/7.zip")
	h.Set("Content-Range", "bytes 0-99/1000")
	h.Set("Content-Length", "1000")
	h.Set("Content-Digest", "sha-256=:AAAA:")
	h["ETag"] = []string{`"v7"`} // as some handlers write it, not canonical
	h.Set("Last-Modified", "Tue, 01 Jul 2025 10:00:00 GMT")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("Expires", "Wed, 02 Jul 2025 10:00:00 GMT")
	h.Set("Pragma", "cache")
	h.Set("Location", "/reports/7")
	h.Set("Refresh", "5; url=/reports")
	h.Set("Accept-Ranges", "bytes")
	h.Set("Trailer", "X-Checksum")
	h.Set(http.TrailerPrefix+"X-Checksum", "abc")
	// Kept: not about the abandoned representation.
	h.Add("Set-Cookie", "session=rotated; Path=/; HttpOnly")
	h.Set("Vary", "Origin")
	h.Set("Access-Control-Allow-Origin", "https://app.example")
	h.Set("Link", `</v1/items?page=2>; rel="next"`)
}

var droppedHeaders = []string{
	"Content-Encoding", "Content-Disposition", "Content-Language", "Content-Location", "Content-Range",
	"Content-Digest", "ETag", "Last-Modified", "Expires", "Pragma", "Location", "Refresh",
	"Accept-Ranges", "Trailer", "X-Checksum",
}

// Every writer of documents applies the same header rule; the wire is where
// a wrong Content-Encoding hurts (the client cannot read the body).
func TestErrorResponsesCarryOnlyTheirOwnHeaders(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	writers := map[string]http.Handler{
		"Write": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			setSuccessHeaders(w.Header())
			errdoc.Write(w, r, errdoc.New(http.StatusNotFound, "no report 7"))
		}),
		"HandlerFunc": errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			setSuccessHeaders(w.Header())
			return errdoc.New(http.StatusNotFound, "no report 7")
		}),
	}
	for name, h := range writers {
		for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
			t.Run(name+"/"+proto, func(t *testing.T) {
				srv, client, _ := newServer(t, proto, rd.Handler(h))
				for _, accept := range []string{"", errdoc.MediaTypeProblem} {
					req, _ := http.NewRequest(http.MethodGet, srv.URL+"/reports/7", nil)
					req.Header.Set("Accept", accept)
					resp, err := client.Do(req)
					require.NoError(t, err)
					body, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					require.NoError(t, err, "the body is readable: no gzip claimed for plain JSON")
					assert.Equal(t, http.StatusNotFound, resp.StatusCode)
					assert.Contains(t, string(body), "no report 7")
					for _, k := range droppedHeaders {
						assert.Empty(t, resp.Header.Values(k), k)
					}
					assert.False(t, resp.Uncompressed, "no Content-Encoding reached the client")
					assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
					assert.Equal(t, []string{"Origin", "Accept"}, resp.Header.Values("Vary"))
					assert.Equal(t, "session=rotated; Path=/; HttpOnly", resp.Header.Get("Set-Cookie"))
					assert.Equal(t, "https://app.example", resp.Header.Get("Access-Control-Allow-Origin"))
					assert.NotEmpty(t, resp.Header.Get("Link"))
					assert.NotEmpty(t, resp.Header.Get("X-Request-ID"))
					assert.NotEqual(t, "1000", resp.Header.Get("Content-Length"))
				}
			})
		}
	}
}

func TestVaryAndCacheControl(t *testing.T) {
	tests := []struct {
		name      string
		opts      errdoc.Options
		vary      []string // set by the handler
		err       *errdoc.Error
		wantVary  []string
		wantCache string
	}{
		{"default", errdoc.Options{}, nil, errdoc.New(404, ""), []string{"Accept"}, "no-store"},
		{"merged once", errdoc.Options{}, []string{"Origin, accept-encoding"}, errdoc.New(404, ""), []string{"Origin, accept-encoding", "Accept"}, "no-store"},
		{"already there", errdoc.Options{}, []string{"Origin, accept"}, errdoc.New(404, ""), []string{"Origin, accept"}, "no-store"},
		{"star", errdoc.Options{}, []string{"*"}, errdoc.New(404, ""), []string{"*"}, "no-store"},
		{"error's own Cache-Control", errdoc.Options{}, nil,
			errdoc.New(410, "").SetHeader("Cache-Control", "public, max-age=3600"), []string{"Accept"}, "public, max-age=3600"},
		{"error's own Expires", errdoc.Options{}, nil,
			errdoc.New(410, "").SetHeader("Expires", "Wed, 02 Jul 2025 10:00:00 GMT"), []string{"Accept"}, ""},
		{"option", errdoc.Options{CacheControl: "private, max-age=10"}, nil, errdoc.New(404, ""), []string{"Accept"}, "private, max-age=10"},
		{"option off", errdoc.Options{CacheControl: "-"}, nil, errdoc.New(404, ""), []string{"Accept"}, ""},
		{"strict problem varies too", errdoc.Options{Strict: true, Format: errdoc.Problem}, nil, errdoc.New(404, ""), []string{"Accept"}, "no-store"},
		{"strict Twitter varies too", errdoc.Options{Strict: true, Format: errdoc.Twitter}, nil, errdoc.New(404, ""), []string{"Accept"}, "no-store"},
		{"strict JSON:API still varies", errdoc.Options{Strict: true}, nil, errdoc.New(404, ""), []string{"Accept"}, "no-store"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Logger = discardLogger()
			rd := errdoc.NewRenderer(tc.opts)
			shared := append([]string(nil), tc.vary...)
			req := httptest.NewRequest(http.MethodGet, "/v1/items/999", nil)
			rec := httptest.NewRecorder()
			if tc.vary != nil {
				rec.Header()["Vary"] = shared[:len(shared):len(shared)]
			}
			rd.Write(rec, req, tc.err)
			assert.Equal(t, tc.wantVary, rec.Header().Values("Vary"))
			assert.Equal(t, tc.wantCache, rec.Header().Get("Cache-Control"))
			assert.Equal(t, tc.vary, shared, "the handler's Vary slice is not modified in place")
		})
	}
	assert.Error(t, errdoc.Options{CacheControl: "no-store\r\nX-Evil: 1"}.Validate())
}

// A 304 keeps what RFC 9110 says it must carry, and nothing of a body.
func TestNotModifiedKeepsValidators(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	rec := httptest.NewRecorder()
	setSuccessHeaders(rec.Header())
	rd.Write(rec, httptest.NewRequest(http.MethodGet, "/v1/items/999", nil), errdoc.New(http.StatusNotModified, ""))
	assert.Equal(t, http.StatusNotModified, rec.Code)
	assert.Empty(t, rec.Body.String())
	h := rec.Header()
	//lint:ignore SA1008 the handler stored the key as written; a 304 keeps it so
	assert.Equal(t, `"v7"`, strings.Join(h["ETag"], ""))
	assert.Equal(t, "public, max-age=86400", h.Get("Cache-Control"))
	assert.NotEmpty(t, h.Get("Expires"))
	assert.NotEmpty(t, h.Get("Last-Modified"))
	assert.NotEmpty(t, h.Get("Content-Location"))
	assert.Equal(t, []string{"Origin"}, h.Values("Vary"), "no document, nothing negotiated")
	for _, k := range []string{"Content-Type", "Content-Length", "Content-Encoding", "Content-Disposition", "Content-Range", "Location"} {
		assert.Empty(t, h.Values(k), k)
	}
}

// A response holding only headers the module's middlewares set (request
// ID, RateLimit, RateLimit-Policy, Vary) skips the scan for success
// headers; one more header of any spelling, beside them, is still found
// and dropped.
func TestSuccessHeaderBesideTheMiddlewaresOwn(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	for _, tc := range []struct {
		name          string
		extra         map[string]string
		dropped, kept []string
	}{
		{"only the middlewares' own", nil, nil, nil},
		{"a canonical ETag", map[string]string{"Etag": `"v1"`}, []string{"Etag"}, nil},
		{"a lowercase etag", map[string]string{"etag": `"v1"`}, []string{"etag"}, nil},
		{"a Location and a kept Link", map[string]string{"Location": "/x", "Link": "</y>"}, []string{"Location"}, []string{"Link"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Ratelimit"] = []string{`"default";r=3;t=40`}
				w.Header()["Ratelimit-Policy"] = []string{`"default";q=5;w=60`}
				w.Header()["Vary"] = []string{"Origin"}
				for k, v := range tc.extra {
					w.Header()[k] = []string{v}
				}
				errdoc.Write(w, r, errdoc.New(http.StatusNotFound, ""))
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			require.Equal(t, http.StatusNotFound, rec.Code)
			got := rec.Header()
			assert.Equal(t, []string{`"default";r=3;t=40`}, got["Ratelimit"])
			assert.Equal(t, []string{`"default";q=5;w=60`}, got["Ratelimit-Policy"])
			assert.Equal(t, []string{"Origin", "Accept"}, got["Vary"])
			assert.Len(t, got.Get("X-Request-ID"), 24)
			for _, k := range tc.dropped {
				assert.NotContains(t, got, k)
			}
			for _, k := range tc.kept {
				assert.Equal(t, []string{tc.extra[k]}, got[k])
			}
		})
	}
}

// VaryAccept never writes into the Vary slice it found: a handler may have
// set one slice, with room to spare, on every response.
func TestVaryAcceptLeavesSharedValues(t *testing.T) {
	shared := make([]string, 1, 4)
	shared[0] = "Origin"
	h := http.Header{"Vary": shared}
	errdoc.VaryAccept(h)
	assert.Equal(t, []string{"Origin", "Accept"}, h["Vary"])
	assert.Equal(t, "", shared[:2][1], "the shared backing array is untouched")
	errdoc.VaryAccept(h)
	assert.Equal(t, []string{"Origin", "Accept"}, h["Vary"], "named once")
}
