package demo_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/examples/demo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A DELETE whose precondition fails changes nothing (RFC 9110 section
// 13.1.1); one that holds against the ETag a GET sent goes through.
func TestDeleteHonoursPreconditions(t *testing.T) {
	h := demo.NewRouter(demo.Config{})
	do := func(method, path string, hdr ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	get := do(http.MethodGet, "/v1/items/3")
	require.Equal(t, http.StatusOK, get.Code)
	etag := get.Header().Get("ETag")
	require.NotEmpty(t, etag)

	for _, cond := range [][]string{
		{"If-Match", `"not-the-current-etag"`},
		{"If-Unmodified-Since", "Mon, 01 Jan 1990 00:00:00 GMT"},
	} {
		rec := do(http.MethodDelete, "/v1/items/3", "Authorization", "Bearer admin", cond[0], cond[1])
		assert.Equal(t, http.StatusPreconditionFailed, rec.Code, "%s: %s", cond[0], rec.Body)
		assert.Equal(t, http.StatusOK, do(http.MethodGet, "/v1/items/3").Code, "nothing was deleted")
	}
	assert.Equal(t, http.StatusPreconditionFailed,
		do(http.MethodDelete, "/v1/items/999", "Authorization", "Bearer admin", "If-Match", "*").Code,
		"If-Match on a missing item fails")

	rec := do(http.MethodDelete, "/v1/items/3", "Authorization", "Bearer admin", "If-Match", etag)
	assert.Equal(t, http.StatusNoContent, rec.Code, "%s", rec.Body)
	assert.Equal(t, http.StatusNotFound, do(http.MethodGet, "/v1/items/3").Code)
}

// A POST to the list is conditional on the list (RFC 9110 section
// 13.1.1): a failing If-Match, If-Unmodified-Since or If-None-Match: *
// creates nothing; If-Match with the ETag a GET of the list sent creates.
func TestCreateHonoursPreconditions(t *testing.T) {
	h := demo.NewRouter(demo.Config{})
	do := func(method, path, body string, hdr ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	list := do(http.MethodGet, "/v1/items", "")
	require.Equal(t, http.StatusOK, list.Code)
	etag := list.Header().Get("ETag")
	require.NotEmpty(t, etag)

	const item = `{"name":"gear","quantity":1}`
	for _, cond := range [][]string{
		{"If-Match", `"not-the-current-etag"`},
		{"If-None-Match", "*"},
		{"If-Unmodified-Since", "Mon, 01 Jan 1990 00:00:00 GMT"},
	} {
		rec := do(http.MethodPost, "/v1/items", item, cond[0], cond[1])
		assert.Equal(t, http.StatusPreconditionFailed, rec.Code, "%s: %s", cond[0], rec.Body)
		assert.Equal(t, etag, do(http.MethodGet, "/v1/items", "").Header().Get("ETag"), "%s: nothing was created", cond[0])
	}
	rec := do(http.MethodPost, "/v1/items", item, "If-Match", etag)
	assert.Equal(t, http.StatusCreated, rec.Code, "%s", rec.Body)
	assert.NotEqual(t, etag, do(http.MethodGet, "/v1/items", "").Header().Get("ETag"))
}

// However many items anonymous clients create, with the longest names,
// the seeded items stay and the list keeps its ETag (rows 2, 3, 4, 22, 26).
func TestCreatingItemsKeepsTheContract(t *testing.T) {
	h := demo.NewRouter(demo.Config{})
	body := `{"name":"` + strings.Repeat("<", 100) + `","quantity":9223372036854775807}`
	for range demo.MaxItems + 10 {
		req := httptest.NewRequest(http.MethodPost, "/v1/items", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusCreated, rec.Code, "%s", rec.Body)
	}
	for _, path := range []string{"/v1/items/1", "/v1/items/2", "/v1/items/3", "/v1/items"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		assert.Equal(t, http.StatusOK, rec.Code, path)
		assert.NotEmpty(t, rec.Header().Get("ETag"), "%s: %d bytes", path, rec.Body.Len())
	}
}
