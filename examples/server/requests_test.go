package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// do sends one request to the demo and returns the response and its body.
func do(t *testing.T, method, url string, body io.Reader, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

// TestDemoRequestRows checks rows 8-14 and 21-23 of the demo contract on
// the real server.
func TestDemoRequestRows(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	base, _ := startDemo(t)
	const jsonCT = "application/json"

	t.Run("row 8 create", func(t *testing.T) {
		resp, body := do(t, "POST", base+"/v1/items", strings.NewReader(`{"name":"nut","quantity":5}`), "Content-Type", jsonCT)
		require.Equal(t, 201, resp.StatusCode, "%s", body)
		var it struct {
			ID       string
			Name     string
			Quantity int
		}
		require.NoError(t, json.Unmarshal(body, &it))
		assert.Equal(t, "nut", it.Name)
		assert.Equal(t, 5, it.Quantity)
		assert.NotEmpty(t, it.ID)
		assert.Equal(t, "/v1/items/"+it.ID, resp.Header.Get("Location"))
		resp, _ = get(t, base+"/v1/items/"+it.ID)
		assert.Equal(t, 200, resp.StatusCode, "the new item is stored")
	})
	t.Run("row 9 badly-formed body", func(t *testing.T) {
		resp, body := do(t, "POST", base+"/v1/items", strings.NewReader(`{"name":`), "Content-Type", jsonCT)
		assert.Equal(t, 422, resp.StatusCode)
		doc := decodeJSONAPI(t, body)
		assert.Equal(t, "unprocessable_entity", doc.Errors[0].Code)
		assert.Contains(t, varyTokens(resp.Header), "Accept")
	})
	t.Run("row 10 type mismatch", func(t *testing.T) {
		resp, body := do(t, "POST", base+"/v1/items", strings.NewReader(`{"name":"nut","quantity":"five"}`), "Content-Type", jsonCT)
		assert.Equal(t, 422, resp.StatusCode)
		doc := decodeJSONAPI(t, body)
		require.Len(t, doc.Errors, 1)
		assert.Equal(t, "/quantity", doc.Errors[0].Source.Pointer)
		assert.NotContains(t, string(body), "five", "the value is not echoed")
	})
	t.Run("row 11 two validation errors", func(t *testing.T) {
		resp, body := do(t, "POST", base+"/v1/items", strings.NewReader(`{"name":"","quantity":-1}`), "Content-Type", jsonCT)
		assert.Equal(t, 422, resp.StatusCode)
		doc := decodeJSONAPI(t, body)
		require.Len(t, doc.Errors, 2, "%s", body)
		assert.Equal(t, "/name", doc.Errors[0].Source.Pointer)
		assert.Equal(t, "/quantity", doc.Errors[1].Source.Pointer)
		assert.Equal(t, "/name must not be empty.", doc.Errors[0].Detail)
		assert.Equal(t, "/quantity must be at least 0.", doc.Errors[1].Detail)
	})
	t.Run("row 11 as problem details", func(t *testing.T) {
		resp, body := do(t, "POST", base+"/v1/items", strings.NewReader(`{"name":"","quantity":-1}`), "Content-Type", jsonCT, "Accept", "application/problem+json")
		assert.Equal(t, 422, resp.StatusCode)
		assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
		assert.Contains(t, string(body), `"pointer":"/name"`)
		assert.Contains(t, string(body), `"pointer":"/quantity"`)
	})
	t.Run("row 12 text/plain", func(t *testing.T) {
		resp, body := do(t, "POST", base+"/v1/items", strings.NewReader(`name=nut`), "Content-Type", "text/plain")
		assert.Equal(t, 415, resp.StatusCode)
		doc := decodeJSONAPI(t, body)
		assert.Equal(t, "unsupported_media_type", doc.Errors[0].Code)
		assert.Contains(t, doc.Errors[0].Detail, "application/json")
		assert.Equal(t, "application/json, application/*+json", resp.Header.Get("Accept-Post"))
	})
	t.Run("row 13 over 1 MiB", func(t *testing.T) {
		big := `{"name":"` + strings.Repeat("x", 1<<20) + `","quantity":1}`
		resp, body := do(t, "POST", base+"/v1/items", strings.NewReader(big), "Content-Type", jsonCT)
		assert.Equal(t, 413, resp.StatusCode)
		assert.Equal(t, "content_too_large", decodeJSONAPI(t, body).Errors[0].Code)
		// Chunked, so that only the bytes read can tell.
		resp, body = do(t, "POST", base+"/v1/items", io.MultiReader(strings.NewReader(big)), "Content-Type", jsonCT)
		assert.Equal(t, 413, resp.StatusCode)
		assert.NotContains(t, string(body), "xxxx")
	})
	t.Run("row 14 not acceptable", func(t *testing.T) {
		resp, body := get(t, base+"/v1/items", "Accept", "application/xml")
		assert.Equal(t, 406, resp.StatusCode)
		doc := decodeJSONAPI(t, body)
		assert.Equal(t, "not_acceptable", doc.Errors[0].Code)
		assert.Contains(t, doc.Errors[0].Detail, "application/json")
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), "the document is still JSON")
	})
	t.Run("row 21 no credentials", func(t *testing.T) {
		resp, body := get(t, base+"/v1/private")
		assert.Equal(t, 401, resp.StatusCode)
		assert.Equal(t, `Bearer realm="faultline-demo"`, resp.Header.Get("WWW-Authenticate"))
		assert.Equal(t, "unauthorized", decodeJSONAPI(t, body).Errors[0].Code)
		resp, _ = get(t, base+"/v1/private", "Authorization", "Bearer nope")
		assert.Equal(t, 401, resp.StatusCode)
		assert.Equal(t, `Bearer realm="faultline-demo", error="invalid_token", error_description="The bearer token is not valid."`, resp.Header.Get("WWW-Authenticate"))
		resp, _ = get(t, base+"/v1/private", "Authorization", "Bearer reader")
		assert.Equal(t, 200, resp.StatusCode)
	})
	t.Run("row 22 reader forbidden, admin deletes", func(t *testing.T) {
		resp, body := do(t, "DELETE", base+"/v1/items/1", nil, "Authorization", "Bearer reader")
		assert.Equal(t, 403, resp.StatusCode)
		assert.Equal(t, "forbidden", decodeJSONAPI(t, body).Errors[0].Code)
		assert.Equal(t, `Bearer realm="faultline-demo", error="insufficient_scope", error_description="Deleting items needs the admin role.", scope="items:delete"`, resp.Header.Get("WWW-Authenticate"))
		resp, _ = do(t, "DELETE", base+"/v1/items/1", nil)
		assert.Equal(t, 401, resp.StatusCode)
		resp, body = do(t, "DELETE", base+"/v1/items/1", nil, "Authorization", "Bearer admin")
		assert.Equal(t, 204, resp.StatusCode)
		assert.Empty(t, body)
		resp, body = do(t, "DELETE", base+"/v1/items/1", nil, "Authorization", "Bearer admin")
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "record_not_found", decodeJSONAPI(t, body).Errors[0].Code)
	})
	t.Run("row 23 retired", func(t *testing.T) {
		resp, body := get(t, base+"/v1/legacy")
		assert.Equal(t, 410, resp.StatusCode)
		assert.Equal(t, "Wed, 01 Jan 2025 00:00:00 GMT", resp.Header.Get("Sunset"))
		assert.Contains(t, resp.Header.Values("Link"), `</v1/items>; rel="successor-version"`)
		doc := decodeJSONAPI(t, body)
		assert.Equal(t, "gone", doc.Errors[0].Code)
		assert.Contains(t, doc.Errors[0].Detail, "/v1/items")
	})
	t.Run("GET /v1/items still answers JSON", func(t *testing.T) {
		resp, body := get(t, base+"/v1/items", "Accept", "application/json, */*;q=0.1")
		assert.Equal(t, 200, resp.StatusCode)
		assert.True(t, json.Valid(bytes.TrimSpace(body)))
	})
}

// varyTokens returns the field names Vary lists, over all its field lines
// (RFC 9110 section 5.3: they combine into one list).
func varyTokens(h http.Header) []string {
	var out []string
	for _, v := range h.Values("Vary") {
		for _, tok := range strings.Split(v, ",") {
			out = append(out, strings.TrimSpace(tok))
		}
	}
	return out
}
