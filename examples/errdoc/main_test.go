package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestMountings(t *testing.T) {
	h, err := newHandler()
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	tests := []struct {
		name, path, accept string
		status             int
		contentType        string
		body               string
	}{
		{"router-wide found", "/items/1", "", 200, "application/json",
			`{"id":"1","name":"bolt"}`},
		{"router-wide JSON:API", "/items/999", "", 404, "application/json",
			`{"errors":[{"id":"req-1","links":{"about":"{origin}/docs/errors#record_not_found","type":"{origin}/docs/errors#record_not_found"},"status":"404","code":"record_not_found","title":"Record not found","detail":"No item has the ID 999."}]}`},
		{"router-wide problem details", "/items/999", "application/problem+json", 404, "application/problem+json",
			`{"type":"{origin}/docs/errors#record_not_found","title":"Record not found","status":404,"detail":"No item has the ID 999.","instance":"urn:faultline:request:req-1","request_id":"req-1","code":"record_not_found"}`},
		{"route group Twitter", "/1/items/999", "", 404, "application/json",
			`{"errors":[{"code":34,"message":"No item has the ID 999."}]}`},
		{"route group ignores Accept", "/1/items/999", "application/problem+json", 404, "application/json",
			`{"errors":[{"code":34,"message":"No item has the ID 999."}]}`},
		{"plain handler found", "/std/items/1", "", 200, "application/json",
			`{"id":"1","name":"bolt"}`},
		{"plain handler JSON:API", "/std/items/7", "", 404, "application/json",
			`{"errors":[{"id":"req-1","links":{"about":"{origin}/docs/errors#record_not_found","type":"{origin}/docs/errors#record_not_found"},"status":"404","code":"record_not_found","title":"Record not found","detail":"No item has the ID 7."}]}`},
		{"plain handler problem details", "/std/items/7", "application/problem+json", 404, "application/problem+json",
			`{"type":"{origin}/docs/errors#record_not_found","title":"Record not found","status":404,"detail":"No item has the ID 7.","instance":"urn:faultline:request:req-1","request_id":"req-1","code":"record_not_found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := []string{"X-Request-ID", "req-1"}
			if tt.accept != "" {
				header = append(header, "Accept", tt.accept)
			}
			resp, body := get(t, srv.URL+tt.path, header...)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.contentType, resp.Header.Get("Content-Type"))
			// Links point at the page on the request's own origin.
			assert.JSONEq(t, strings.ReplaceAll(tt.body, "{origin}", srv.URL), body)
			assert.Equal(t, "req-1", resp.Header.Get("X-Request-ID"), "echoed by the renderer's Handler")
			if tt.status >= 400 {
				assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
			}
		})
	}
}
