package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// document is the part of a JSON:API error document the tests look at.
type document struct {
	Errors []struct {
		Status, Code string
		Source       struct{ Pointer string }
	}
}

func TestMountings(t *testing.T) {
	srv := httptest.NewServer(newHandler())
	t.Cleanup(srv.Close)

	tests := []struct {
		name, method, path string
		header             []string
		body               string
		status             int
		codes              []string // of the error document, in order
		pointers           []string // source.pointer of each error, when set
		allow              string
	}{
		{name: "router-wide route", method: "GET", path: "/items", status: 200},
		{name: "router-wide HEAD", method: "HEAD", path: "/items", status: 200},
		{name: "router-wide 404", method: "GET", path: "/nope", status: 404, codes: []string{"not_found"}},
		{name: "router-wide 405", method: "POST", path: "/items", status: 405, codes: []string{"method_not_allowed"}, allow: "GET, HEAD, OPTIONS"},
		{name: "router-wide OPTIONS", method: "OPTIONS", path: "/items", status: 204, allow: "GET, HEAD, OPTIONS"},
		{name: "router-wide 501", method: "BREW", path: "/items", status: 501, codes: []string{"not_implemented"}},

		{name: "group created", method: "POST", path: "/v1/items", header: []string{"Content-Type", "application/json"},
			body: `{"name":"nut","quantity":5}`, status: 201},
		{name: "group 422", method: "POST", path: "/v1/items", header: []string{"Content-Type", "application/json"},
			body: `{"name":"","quantity":-1}`, status: 422,
			codes: []string{"unprocessable_entity", "unprocessable_entity"}, pointers: []string{"/name", "/quantity"}},
		{name: "group 422 name only", method: "POST", path: "/v1/items", header: []string{"Content-Type", "application/json"},
			body: `{"name":""}`, status: 422, codes: []string{"unprocessable_entity"}, pointers: []string{"/name"}},
		{name: "group 415", method: "POST", path: "/v1/items", header: []string{"Content-Type", "text/plain"},
			body: "nut", status: 415, codes: []string{"unsupported_media_type"}},
		{name: "group 413", method: "POST", path: "/v1/items", header: []string{"Content-Type", "application/json"},
			body: `{"name":"` + strings.Repeat("n", 2000) + `"}`, status: 413, codes: []string{"content_too_large"}},
		{name: "group 406", method: "GET", path: "/v1/report", header: []string{"Accept", "application/xml"},
			status: 406, codes: []string{"not_acceptable"}},
		{name: "group 504", method: "GET", path: "/v1/report", status: 504, codes: []string{"gateway_timeout"}},

		{name: "plain handler route", method: "GET", path: "/std/items", status: 200},
		{name: "plain handler 404", method: "GET", path: "/std/nope", status: 404, codes: []string{"not_found"}},
		{name: "plain handler 405", method: "DELETE", path: "/std/items", status: 405, codes: []string{"method_not_allowed"}, allow: "GET, HEAD, OPTIONS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			require.NoError(t, err)
			for i := 0; i+1 < len(tt.header); i += 2 {
				req.Header.Set(tt.header[i], tt.header[i+1])
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())

			assert.Equal(t, tt.status, resp.StatusCode, string(body))
			assert.Equal(t, tt.allow, resp.Header.Get("Allow"))
			if tt.method == "HEAD" {
				assert.Empty(t, body)
			}
			if tt.codes == nil {
				return
			}
			var doc document
			require.NoError(t, json.Unmarshal(body, &doc), string(body))
			require.Len(t, doc.Errors, len(tt.codes), string(body))
			for i, e := range doc.Errors {
				assert.Equal(t, tt.codes[i], e.Code)
				if tt.pointers != nil {
					assert.Equal(t, tt.pointers[i], e.Source.Pointer)
				}
			}
		})
	}
}
