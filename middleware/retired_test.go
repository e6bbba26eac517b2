package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/testsrv"
	"github.com/faultline-go/faultline/middleware"
)

func TestRetiredAndDeprecated(t *testing.T) {
	deprecated := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	sunset := time.Date(2025, 1, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	var now atomic.Int64
	now.Store(sunset.Add(-time.Hour).Unix())
	clock := func() time.Time { return time.Unix(now.Load(), 0) }
	l := middleware.Lifecycle{
		Deprecated: deprecated, Sunset: sunset,
		Successor: "https://api.example.com/v2/items", Docs: "https://example.com/deprecations#v1",
		Now: clock,
	}
	r := chi.NewRouter()
	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler)
	r.With(middleware.Retired(l)).Get("/retired", func(w http.ResponseWriter, r *http.Request) {
		t.Error("a retired route's handler ran")
	})
	r.With(middleware.Retired(middleware.Lifecycle{})).Get("/bare", nil)
	r.With(middleware.Deprecated(l)).Get("/deprecated", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	get := func(path string) testsrv.Reply {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		return testsrv.Read(t, resp)
	}
	links := []string{
		`<https://api.example.com/v2/items>; rel="successor-version"`,
		`<https://example.com/deprecations#v1>; rel="deprecation"`,
		`<https://example.com/deprecations#v1>; rel="sunset"`,
	}

	rep := get("/retired")
	require.Equal(t, 410, rep.Resp.StatusCode)
	assert.Equal(t, "Wed, 01 Jan 2025 11:00:00 GMT", rep.Resp.Header.Get("Sunset"), "an HTTP date, in GMT")
	assert.Equal(t, "@1717200000", rep.Resp.Header.Get("Deprecation"), "RFC 9745 structured date")
	assert.Equal(t, links, rep.Resp.Header.Values("Link"))
	assert.Equal(t, "This endpoint has been retired since 2025-01-01. Use https://api.example.com/v2/items instead.", rep.Errors[0].Detail)
	assert.Equal(t, "gone", rep.Errors[0].Code)

	rep = get("/bare")
	require.Equal(t, 410, rep.Resp.StatusCode)
	assert.Empty(t, rep.Resp.Header.Get("Sunset"))
	assert.Equal(t, "This endpoint has been retired.", rep.Errors[0].Detail)

	rep = get("/deprecated")
	require.Equal(t, 200, rep.Resp.StatusCode, "answers before its sunset")
	assert.Equal(t, "@1717200000", rep.Resp.Header.Get("Deprecation"))
	assert.Equal(t, "Wed, 01 Jan 2025 11:00:00 GMT", rep.Resp.Header.Get("Sunset"))
	assert.Equal(t, links, rep.Resp.Header.Values("Link"))

	now.Store(sunset.Unix())
	rep = get("/deprecated")
	require.Equal(t, 410, rep.Resp.StatusCode, "gone from its sunset on")
	assert.Equal(t, links, rep.Resp.Header.Values("Link"))

	// The shared headers are never changed by a request.
	rep = get("/retired")
	assert.Equal(t, links, rep.Resp.Header.Values("Link"))
}

func TestLifecyclePanics(t *testing.T) {
	for _, bad := range []middleware.Lifecycle{
		{Successor: "https://x/<y>"}, {Docs: "a b"}, {Successor: "https://x/\n"}, {Successor: "%zz"},
	} {
		assert.Panics(t, func() { middleware.Retired(bad) }, "%+v", bad)
		assert.Panics(t, func() { middleware.Deprecated(bad) }, "%+v", bad)
	}
}
