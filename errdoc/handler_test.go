package errdoc_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHandlerRequestIDs(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	var seen string
	h := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = errdoc.RequestIDFrom(r.Context())
		errdoc.Write(w, r, errdoc.New(404, ""))
	}))
	tests := []struct {
		name, sent string
		echoed     bool
	}{
		{"echoed", "abc-123", true},
		{"generated when absent", "", false},
		{"replaced when too long", strings.Repeat("a", 129), false},
		{"replaced when odd", "abc 123<script>", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if tc.sent != "" {
				req.Header.Set("X-Request-ID", tc.sent)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Header().Get("X-Request-ID")
			assert.Equal(t, seen, got)
			assert.True(t, errdoc.ValidRequestID(got))
			if tc.echoed {
				assert.Equal(t, tc.sent, got)
			} else {
				assert.NotEqual(t, tc.sent, got)
				assert.Len(t, got, 24)
			}
			assert.Contains(t, rec.Body.String(), `"id":"`+got+`"`)
		})
	}
	assert.NotEqual(t, errdoc.NewRequestID(), errdoc.NewRequestID())
}

// The IDs Handler generates are 24 lowercase hex digits, all different,
// and each stays what it was when its request ended: they share memory with
// the request's state, which nothing writes again. Requests run
// concurrently, so that the race detector sees any sharing.
func TestHandlerGeneratesDistinctStableIDs(t *testing.T) {
	const n = 2000
	type seen struct{ ctx, header, body string }
	got := make([]seen, n)
	h := errdoc.NewRenderer(errdoc.Options{}).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errdoc.Write(w, r, errdoc.New(http.StatusNotFound, ""))
	}))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < n; i += 4 {
				var id string
				inner := errdoc.NewRenderer(errdoc.Options{}).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					id = errdoc.RequestIDFrom(r.Context())
				}))
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
				inner.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
				var doc struct{ Errors []struct{ ID string } }
				if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || len(doc.Errors) != 1 {
					t.Errorf("body %q: %v", rec.Body.String(), err)
					return
				}
				got[i] = seen{ctx: id, header: rec.Header().Get("X-Request-ID"), body: doc.Errors[0].ID}
			}
		}()
	}
	wg.Wait()
	hexID := regexp.MustCompile(`^[0-9a-f]{24}$`)
	distinct := make(map[string]bool, 2*n)
	for i, s := range got {
		require.Regexp(t, hexID, s.header, "request %d", i)
		require.Regexp(t, hexID, s.ctx, "request %d", i)
		require.Equal(t, s.header, s.body, "request %d: the document's id is the echoed one", i)
		distinct[s.header], distinct[s.ctx] = true, true
	}
	assert.Len(t, distinct, 2*n, "every generated ID is new")
}

func TestRouteGroupsChooseTheirFormat(t *testing.T) {
	root := errdoc.NewRenderer(errdoc.Options{})
	legacy := errdoc.NewRenderer(errdoc.Options{Format: errdoc.Twitter, Strict: true})
	r := chi.NewRouter()
	r.Use(root.Handler)
	r.Get("/v2/thing", func(w http.ResponseWriter, r *http.Request) { errdoc.Write(w, r, errdoc.New(429, "")) })
	r.Group(func(r chi.Router) {
		r.Use(legacy.Handler)
		r.Get("/v1/thing", func(w http.ResponseWriter, r *http.Request) { errdoc.Write(w, r, errdoc.New(429, "")) })
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	get := func(path string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("X-Request-ID", "grp-1")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	resp, body := get("/v2/thing")
	assert.Equal(t, 429, resp.StatusCode)
	requireJSONAPI(t, []byte(body))
	resp, body = get("/v1/thing")
	assert.Equal(t, 429, resp.StatusCode)
	assert.JSONEq(t, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, body)
	assert.Equal(t, "grp-1", resp.Header.Get("X-Request-ID"), "the inner group keeps the request ID")
	assert.Equal(t, []string{"grp-1"}, resp.Header.Values("X-Request-ID"), "echoed once")
}

func TestHandlerFunc(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger()})
	r := chi.NewRouter()
	r.Use(rd.Handler)
	r.Method(http.MethodGet, "/fail", errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		return errdoc.Coded("bad_request", "id must be numeric").AtParameter("id")
	}))
	r.Method(http.MethodGet, "/ok", errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		_, err := io.WriteString(w, "fine")
		return err
	}))
	r.Method(http.MethodGet, "/late", errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		_, _ = io.WriteString(w, "half")
		return errors.New("failed after writing")
	}))
	srv := httptest.NewServer(r)
	defer srv.Close()

	for _, tc := range []struct {
		path, body string
		status     int
	}{
		{"/fail", `"parameter":"id"`, 400},
		{"/ok", "fine", 200},
		{"/late", "half", 200},
	} {
		resp, err := http.Get(srv.URL + tc.path)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, tc.status, resp.StatusCode, tc.path)
		assert.Contains(t, string(b), tc.body, tc.path)
		if tc.path == "/late" {
			assert.Equal(t, "half", string(b), "nothing appended once committed")
		}
	}

	// Without any middleware, the adapter still tracks the response itself.
	rec := httptest.NewRecorder()
	errdoc.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		w.WriteHeader(http.StatusAccepted)
		return errors.New("too late")
	}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusAccepted, rec.Code)
	assert.Empty(t, rec.Body.String())
}
