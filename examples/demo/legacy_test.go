package demo_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/faultline-go/faultline/examples/demo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every error under /1.1 comes in Twitter's shape, including the 501 chi's
// root router answers for a method it does not know, before any group's
// middleware runs; everything else keeps JSON:API.
func TestLegacyGroupShapesEveryError(t *testing.T) {
	h := demo.NewRouter(demo.Config{Logger: slog.New(slog.DiscardHandler)})
	type twitterDoc struct {
		Errors []struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	type jsonapiDoc struct {
		Errors []struct {
			Status string `json:"status"`
			Code   string `json:"code"`
		} `json:"errors"`
	}
	for _, tc := range []struct {
		method, path string
		status       int
		twitter      bool
	}{
		{"FOO", "/1.1/items/999.json", http.StatusNotImplemented, true},
		{"PROPFIND", "/1.1/search.json", http.StatusNotImplemented, true},
		{"get", "/1.1/items/1.json", http.StatusNotImplemented, true},
		{"FOO", "/1.1", http.StatusNotImplemented, true},
		{http.MethodPost, "/1.1/items/1.json", http.StatusMethodNotAllowed, true},
		{http.MethodGet, "/1.1/nope", http.StatusNotFound, true},
		{"FOO", "/1.10/items", http.StatusNotFound, false}, // no such path: 404 whatever the method
		{"FOO", "/v1/items", http.StatusNotImplemented, false},
		{http.MethodGet, "/1%2E1/items/1.json", http.StatusNotFound, false},
	} {
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		req.Method = tc.method
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		name := tc.method + " " + tc.path
		require.Equal(t, tc.status, rec.Code, "%s: %s", name, rec.Body)
		if tc.twitter {
			var doc twitterDoc
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc), name)
			require.Len(t, doc.Errors, 1, "%s: %s", name, rec.Body)
			assert.NotZero(t, doc.Errors[0].Code, "%s: Twitter's code: %s", name, rec.Body)
			assert.NotEmpty(t, doc.Errors[0].Message, name)
			continue
		}
		var doc jsonapiDoc
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc), name)
		require.Len(t, doc.Errors, 1, "%s: %s", name, rec.Body)
		assert.Equal(t, strconv.Itoa(tc.status), doc.Errors[0].Status, name)
		assert.NotEmpty(t, doc.Errors[0].Code, "%s: a JSON:API document: %s", name, rec.Body)
	}
}
