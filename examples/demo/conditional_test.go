package demo_test

import (
	"net/http"
	"net/http/httptest"
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
