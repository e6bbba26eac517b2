package stack_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/examples/stack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every router answers the three measured paths with the same status and,
// for the item and the missing record, the same JSON content: the
// measurements compare like with like. Over a real server.
func TestRoutersServeTheSamePaths(t *testing.T) {
	servers := map[string]*httptest.Server{}
	for name, h := range map[string]http.Handler{
		"ours":           stack.New(stack.Options{}),
		"bare":           stack.Bare(),
		"context_copy":   stack.ContextCopy(),
		"chi.RequestID":  stack.ChiRequestID(),
		"chi_middleware": stack.ChiMiddleware(stack.Options{}),
	} {
		srv := httptest.NewServer(h)
		defer srv.Close()
		servers[name] = srv
	}

	type errorsDoc struct {
		Errors []struct {
			Status, Code, Title, Detail string
		}
	}
	for _, tc := range []struct {
		path   string
		status int
		check  func(t *testing.T, name string, resp *http.Response, body []byte)
	}{
		{stack.PathOK, http.StatusOK, func(t *testing.T, name string, resp *http.Response, body []byte) {
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), name)
			assert.JSONEq(t, `{"id":"1","name":"bolt","quantity":3}`, string(body), name)
		}},
		{stack.PathRecordMissing, http.StatusNotFound, func(t *testing.T, name string, resp *http.Response, body []byte) {
			var doc errorsDoc
			require.NoError(t, json.Unmarshal(body, &doc), name)
			require.Len(t, doc.Errors, 1, name)
			assert.Equal(t, "404", doc.Errors[0].Status, name)
			assert.Equal(t, "record_not_found", doc.Errors[0].Code, name)
			assert.Equal(t, "Record not found", doc.Errors[0].Title, name)
			assert.Equal(t, "The record identified by 999 could not be found.", doc.Errors[0].Detail, name)
		}},
		{stack.PathUnknownRoute, http.StatusNotFound, func(t *testing.T, name string, resp *http.Response, body []byte) {
			if name == "ours" {
				assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
				assert.Contains(t, string(body), `"code":"not_found"`)
				return
			}
			assert.Equal(t, "404 page not found\n", string(body), "%s keeps chi's default", name)
		}},
	} {
		t.Run(strings.TrimPrefix(tc.path, "/"), func(t *testing.T) {
			for name, srv := range servers {
				resp, err := srv.Client().Get(srv.URL + tc.path)
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				assert.Equal(t, tc.status, resp.StatusCode, name)
				if name == "ours" {
					assert.Len(t, resp.Header.Get("X-Request-Id"), 24, "ours gives every response a request ID")
				} else {
					assert.Empty(t, resp.Header.Get("X-Request-Id"))
				}
				tc.check(t, name, resp, body)
			}
		})
	}
}

// The limiter is on the item route of ours (so the benchmarks pay for it),
// and only there: unknown routes are not counted.
func TestLimiterGuardsTheItemRoute(t *testing.T) {
	serve := getter(stack.New(stack.Options{Limit: 2}))
	for range 3 {
		assert.Equal(t, http.StatusNotFound, serve(stack.PathUnknownRoute).Code)
	}
	first := serve(stack.PathOK)
	assert.Equal(t, http.StatusOK, first.Code)
	assert.Equal(t, `"default";q=2;w=60`, first.Header().Get("RateLimit-Policy"))
	assert.Equal(t, http.StatusNotFound, serve(stack.PathRecordMissing).Code, "a missing record counts too")
	refused := serve(stack.PathOK)
	assert.Equal(t, http.StatusTooManyRequests, refused.Code)
	assert.NotEmpty(t, refused.Header().Get("Retry-After"))
}

// ChiMiddleware counts the item route with httprate as ours does with its
// limiter, so that the anchor pays for counting as ours does.
func TestChiMiddlewareCountsTheItemRoute(t *testing.T) {
	serve := getter(stack.ChiMiddleware(stack.Options{Limit: 2}))
	for range 3 {
		assert.Equal(t, http.StatusNotFound, serve(stack.PathUnknownRoute).Code)
	}
	first := serve(stack.PathOK)
	assert.Equal(t, http.StatusOK, first.Code)
	assert.Equal(t, "2", first.Header().Get("X-RateLimit-Limit"))
	assert.Equal(t, http.StatusNotFound, serve(stack.PathRecordMissing).Code, "a missing record counts too")
	assert.Equal(t, http.StatusTooManyRequests, serve(stack.PathOK).Code)
}

// getter returns a function that serves GET path through h, from one
// client, and returns what h answered.
func getter(h http.Handler) func(path string) *httptest.ResponseRecorder {
	return func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
}

func TestNewPanicsOnANegativeLimit(t *testing.T) {
	assert.Panics(t, func() { stack.New(stack.Options{Limit: -1}) })
}
