package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faultline-go/faultline/examples/demo"
	"github.com/faultline-go/faultline/internal/schematest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// call is one request of a contract row.
type call struct {
	method string
	path   string
	header []string // name, value, name, value ...
	body   []byte
}

// answer is what the demo sent back.
type answer struct {
	status int
	header http.Header
	body   []byte
	took   time.Duration
}

func (c call) do(t *testing.T, base string, extra ...string) answer {
	t.Helper()
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, base+c.path, body)
	require.NoError(t, err)
	hdr := append(append([]string(nil), c.header...), extra...)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{status: resp.StatusCode, header: resp.Header, body: b, took: time.Since(start)}
}

// row is one row of the demo contract (DEMO.md in the repository's history,
// the README's demo section for users): the calls made in order on a fresh
// server, and what the last answer must be. Earlier answers are checked by
// want when they matter.
type row struct {
	n      int
	name   string
	calls  []call
	status int    // of the last call
	format string // "jsonapi" (negotiable: also checked as problem details), "twitter", or "" for no error document
	check  func(t *testing.T, base string, all []answer)
}

func getc(path string, header ...string) call {
	return call{method: http.MethodGet, path: path, header: header}
}

func post(body string, header ...string) call {
	return call{method: http.MethodPost, path: "/v1/items", body: []byte(body),
		header: append([]string{"Content-Type", "application/json"}, header...)}
}

func times(n int, c call) []call {
	out := make([]call, n)
	for i := range out {
		out[i] = c
	}
	return out
}

// statuses asserts the status of every answer but the last.
func statuses(want ...int) func(*testing.T, string, []answer) {
	return func(t *testing.T, _ string, all []answer) {
		for i, w := range want {
			assert.Equal(t, w, all[i].status, "answer %d", i+1)
		}
	}
}

type jsonapiDoc struct {
	Errors []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Code   string `json:"code"`
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Source struct {
			Pointer   string `json:"pointer"`
			Parameter string `json:"parameter"`
			Header    string `json:"header"`
		} `json:"source"`
	} `json:"errors"`
}

func decodeJSONAPI(t *testing.T, body []byte) jsonapiDoc {
	t.Helper()
	var d jsonapiDoc
	require.NoError(t, json.Unmarshal(body, &d), "%s", body)
	require.NotEmpty(t, d.Errors, "%s", body)
	return d
}

func contract() []row {
	return []row{
		{n: 1, name: "healthz", calls: []call{getc("/healthz")}, status: 200},
		{n: 2, name: "list with an ETag", calls: []call{getc("/v1/items")}, status: 200,
			check: func(t *testing.T, _ string, all []answer) {
				a := all[0]
				assert.NotEmpty(t, a.header.Get("ETag"))
				var items []map[string]any
				require.NoError(t, json.Unmarshal(a.body, &items))
				assert.Len(t, items, 3)
			}},
		{n: 3, name: "conditional GET", calls: []call{getc("/v1/items")}, status: 304,
			check: nil}, // built in the test body: it needs row 2's ETag
		{n: 4, name: "item", calls: []call{getc("/v1/items/1")}, status: 200,
			check: func(t *testing.T, _ string, all []answer) {
				assert.JSONEq(t, `{"id":"1","name":"bolt","quantity":3}`, string(all[0].body))
			}},
		{n: 5, name: "record not found", calls: []call{getc("/v1/items/999")}, status: 404, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				e := decodeJSONAPI(t, all[0].body).Errors[0]
				assert.Equal(t, "record_not_found", e.Code)
				assert.Equal(t, "Record not found", e.Title)
				assert.Contains(t, e.Detail, "999")
			}},
		{n: 6, name: "no such route", calls: []call{getc("/v1/nope")}, status: 404, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				assert.Equal(t, "not_found", decodeJSONAPI(t, all[0].body).Errors[0].Code)
			}},
		{n: 7, name: "method not allowed", calls: []call{{method: http.MethodDelete, path: "/v1/items"}}, status: 405, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				assert.Equal(t, []string{"GET", "HEAD", "POST", "OPTIONS"}, allowOf(all[0].header))
			}},
		{n: 8, name: "create", calls: []call{post(`{"name":"nut","quantity":5}`)}, status: 201,
			check: func(t *testing.T, _ string, all []answer) {
				var it map[string]any
				require.NoError(t, json.Unmarshal(all[0].body, &it), "%s", all[0].body)
				assert.Equal(t, "nut", it["name"])
				assert.Equal(t, float64(5), it["quantity"])
				assert.NotEmpty(t, it["id"])
			}},
		{n: 9, name: "badly-formed body", calls: []call{post(`{"name":`)}, status: 422, format: "jsonapi"},
		{n: 10, name: "wrong type", calls: []call{post(`{"name":"nut","quantity":"five"}`)}, status: 422, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				d := decodeJSONAPI(t, all[0].body)
				require.Len(t, d.Errors, 1)
				assert.Equal(t, "/quantity", d.Errors[0].Source.Pointer)
				assert.NotContains(t, string(all[0].body), "five", "the body's values are never echoed")
			}},
		{n: 11, name: "two validation errors", calls: []call{post(`{"name":"","quantity":-1}`)}, status: 422, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				d := decodeJSONAPI(t, all[0].body)
				var ptrs []string
				for _, e := range d.Errors {
					ptrs = append(ptrs, e.Source.Pointer)
				}
				assert.ElementsMatch(t, []string{"/name", "/quantity"}, ptrs)
			}},
		{n: 12, name: "wrong media type", calls: []call{{method: http.MethodPost, path: "/v1/items",
			body: []byte(`{"name":"nut","quantity":5}`), header: []string{"Content-Type", "text/plain"}}},
			status: 415, format: "jsonapi"},
		{n: 13, name: "body too large", calls: []call{post(`{"name":"` + strings.Repeat("n", 1<<20) + `","quantity":5}`)},
			status: 413, format: "jsonapi"},
		{n: 14, name: "not acceptable", calls: []call{getc("/v1/items", "Accept", "application/xml")}, status: 406, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				assert.Contains(t, all[0].header.Get("Content-Type"), "json", "the document itself is still sent in a supported format")
			}},
		{n: 15, name: "panic", calls: []call{getc("/v1/panic")}, status: 500, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				assert.Equal(t, "internal_error", decodeJSONAPI(t, all[0].body).Errors[0].Code)
				assert.NotContains(t, string(all[0].body), "hunter2")
				assert.NotContains(t, string(all[0].body), "panic")
			}},
		{n: 16, name: "timeout", calls: []call{getc("/v1/slow")}, status: 504, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				// The group's deadline is 1 s and the handler sleeps 5 s:
				// an answer before 4 s can only come from the deadline,
				// however busy the machine is.
				assert.Less(t, all[0].took, 4*time.Second)
			}},
		{n: 17, name: "upstream timeout", calls: []call{getc("/v1/upstream/timeout")}, status: 504, format: "jsonapi"},
		{n: 18, name: "upstream down", calls: []call{getc("/v1/upstream/down")}, status: 502, format: "jsonapi",
			check: func(t *testing.T, base string, all []answer) {
				// The only address the document may name is the demo's own
				// (its links); the upstream's never.
				body := strings.ReplaceAll(string(all[0].body), strings.TrimPrefix(base, "http://"), "DEMO")
				for _, leak := range []string{"127.0.0.1", "dial", "refused", "connect"} {
					assert.NotContains(t, body, leak)
				}
			}},
		{n: 19, name: "rate limited", calls: times(6, getc("/v1/limited")), status: 429, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				statuses(200, 200, 200, 200, 200)(t, "", all)
				h := all[5].header
				assert.NotEmpty(t, h.Get("Retry-After"))
				assert.NotEmpty(t, h.Get("RateLimit"))
				assert.NotEmpty(t, h.Get("RateLimit-Policy"))
			}},
		{n: 20, name: "enhance your calm", calls: times(4, getc("/v1/search")), status: 420, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				statuses(200, 200, 200)(t, "", all)
				assert.Equal(t, "Enhance Your Calm", decodeJSONAPI(t, all[3].body).Errors[0].Title)
			}},
		{n: 21, name: "unauthenticated", calls: []call{getc("/v1/private")}, status: 401, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				assert.True(t, strings.HasPrefix(all[0].header.Get("WWW-Authenticate"), "Bearer"), all[0].header.Get("WWW-Authenticate"))
			}},
		{n: 22, name: "forbidden, then allowed", calls: []call{
			{method: http.MethodDelete, path: "/v1/items/1", header: []string{"Authorization", "Bearer admin"}},
			{method: http.MethodDelete, path: "/v1/items/2", header: []string{"Authorization", "Bearer reader"}},
		}, status: 403, format: "jsonapi", check: statuses(204)},
		{n: 23, name: "retired", calls: []call{getc("/v1/legacy")}, status: 410, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				_, err := http.ParseTime(all[0].header.Get("Sunset"))
				assert.NoError(t, err, "Sunset is an HTTP-date")
			}},
		{n: 24, name: "maintenance", calls: []call{getc("/v1/maintenance")}, status: 503, format: "jsonapi",
			check: func(t *testing.T, _ string, all []answer) {
				assert.NotEmpty(t, all[0].header.Get("Retry-After"))
			}},
		{n: 25, name: "response-code page as HTML", calls: []call{getc("/docs/errors", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8")}, status: 200,
			check: func(t *testing.T, _ string, all []answer) {
				a := all[0]
				assert.True(t, strings.HasPrefix(a.header.Get("Content-Type"), "text/html"), a.header.Get("Content-Type"))
				for _, code := range []string{"record_not_found", "not_found", "method_not_allowed", "not_implemented",
					"unprocessable_entity", "too_many_requests", "enhance_your_calm", "gateway_timeout"} {
					assert.Contains(t, string(a.body), `id="`+code+`"`, "anchor #%s", code)
				}
			}},
		{n: 25, name: "response-code page as Markdown", calls: []call{getc("/docs/errors", "Accept", "text/markdown")}, status: 200,
			check: func(t *testing.T, _ string, all []answer) {
				a := all[0]
				assert.True(t, strings.HasPrefix(a.header.Get("Content-Type"), "text/markdown"), a.header.Get("Content-Type"))
				for _, status := range []string{"304", "400", "401", "403", "404", "405", "406", "410", "412", "413", "415",
					"420", "422", "429", "500", "501", "502", "503", "504"} {
					assert.Contains(t, string(a.body), status, "the page lists %s", status)
				}
			}},
		{n: 26, name: "HEAD healthz", calls: []call{{method: http.MethodHead, path: "/healthz"}}, status: 200,
			check: func(t *testing.T, _ string, all []answer) { assert.Empty(t, all[0].body) }},
		{n: 26, name: "HEAD item", calls: []call{{method: http.MethodHead, path: "/v1/items/1"}}, status: 200,
			check: func(t *testing.T, _ string, all []answer) { assert.Empty(t, all[0].body) }},
		{n: 27, name: "unknown method", calls: []call{{method: "FOO", path: "/v1/items"}}, status: 501, format: "jsonapi"},
		{n: 28, name: "OpenAPI document", calls: []call{getc("/docs/openapi.json")}, status: 200,
			check: func(t *testing.T, _ string, all []answer) {
				var doc struct {
					OpenAPI string                    `json:"openapi"`
					Paths   map[string]map[string]any `json:"paths"`
				}
				require.NoError(t, json.Unmarshal(all[0].body, &doc))
				assert.True(t, strings.HasPrefix(doc.OpenAPI, "3.1"), doc.OpenAPI)
				for _, p := range []string{"/v1/items", "/v1/items/{id}", "/v1/limited", "/1.1/search.json"} {
					assert.Contains(t, doc.Paths, p)
				}
			}},
		{n: 29, name: "Twitter shape", calls: []call{getc("/1.1/items/999.json")}, status: 404, format: "twitter",
			check: func(t *testing.T, _ string, all []answer) {
				assert.Equal(t, float64(34), twitterCode(t, all[0].body))
			}},
		{n: 30, name: "Twitter rate limit", calls: times(4, getc("/1.1/search.json")), status: 420, format: "twitter",
			check: func(t *testing.T, _ string, all []answer) {
				statuses(200, 200, 200)(t, "", all)
				assert.Equal(t, float64(88), twitterCode(t, all[3].body))
			}},
		{n: 31, name: "OPTIONS", calls: []call{{method: http.MethodOptions, path: "/v1/items"}}, status: 204,
			check: func(t *testing.T, base string, all []answer) {
				assert.Equal(t, []string{"GET", "HEAD", "POST", "OPTIONS"}, allowOf(all[0].header))
				assert.Empty(t, all[0].body)
				assert.Equal(t, 404, call{method: http.MethodOptions, path: "/v1/nope"}.do(t, base).status)
			}},
		{n: 32, name: "CORS preflight", calls: []call{{method: http.MethodOptions, path: "/v1/items/1", header: []string{
			"Origin", demo.DefaultCORSOrigin, "Access-Control-Request-Method", "DELETE"}}}, status: 200,
			check: func(t *testing.T, base string, all []answer) {
				a := all[0]
				assert.Equal(t, demo.DefaultCORSOrigin, a.header.Get("Access-Control-Allow-Origin"))
				assert.Contains(t, a.header.Get("Access-Control-Allow-Methods"), "DELETE")
				// An origin the demo does not trust is not allowed.
				other := call{method: http.MethodOptions, path: "/v1/items/1", header: []string{
					"Origin", "https://evil.example", "Access-Control-Request-Method", "DELETE"}}.do(t, base)
				assert.Empty(t, other.header.Get("Access-Control-Allow-Origin"))
			}},
		{n: 33, name: "trace ID", calls: []call{getc("/v1/items/999", "Traceparent", row33Traceparent)}, status: 404, format: "jsonapi",
			check: func(t *testing.T, base string, all []answer) {
				assert.Equal(t, row33TraceID, jsonapiTraceID(t, all[0].body))
				p := getc("/v1/items/999", "Traceparent", row33Traceparent, "Accept", "application/problem+json").do(t, base)
				require.Equal(t, http.StatusNotFound, p.status)
				var doc map[string]any
				require.NoError(t, json.Unmarshal(p.body, &doc))
				assert.Equal(t, row33TraceID, doc["trace_id"], "problem details: %s", p.body)
				// Malformed, all-zero, uppercase, version ff: ignored,
				// never echoed, in either format.
				for _, bad := range []string{
					"00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01",
					"00-00000000000000000000000000000000-00f067aa0ba902b7-01",
					"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
					"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
					"00-<script>alert(1)</script>000000000000-00f067aa0ba902b7-01",
				} {
					for _, accept := range []string{"application/json", "application/problem+json"} {
						a := getc("/v1/items/999", "Traceparent", bad, "Accept", accept).do(t, base)
						require.Equal(t, http.StatusNotFound, a.status)
						assert.NotContains(t, string(a.body), "trace_id", bad)
						assert.NotContains(t, strings.ToLower(string(a.body)), "4bf92f3577b34da6a3ce929d0e0e47", bad)
						assert.NotContains(t, string(a.body), "script", bad)
					}
				}
			}},
		{n: 34, name: "Accept-Language", calls: []call{getc("/v1/items/999", "Accept-Language", "es")}, status: 404, format: "jsonapi",
			check: func(t *testing.T, base string, all []answer) {
				es := all[0]
				e := decodeJSONAPI(t, es.body).Errors[0]
				assert.Equal(t, "record_not_found", e.Code, "the code never changes")
				assert.Equal(t, "Registro no encontrado", e.Title)
				assert.Equal(t, "No se encontró el registro identificado por 999.", e.Detail)
				assert.Equal(t, "es", es.header.Get("Content-Language"))
				// Field lines of Vary combine into one list (RFC 9110
				// section 5.3): CORS's Origin, then ours.
				assert.Equal(t, "Origin, Accept, Accept-Language", strings.Join(es.header.Values("Vary"), ", "))
				p := getc("/v1/items/999", "Accept-Language", "es-MX,es;q=0.9", "Accept", "application/problem+json").do(t, base)
				var doc map[string]any
				require.NoError(t, json.Unmarshal(p.body, &doc))
				assert.Equal(t, "Registro no encontrado", doc["title"], "problem details: %s", p.body)
				assert.Contains(t, doc["detail"], "999")
				for _, lang := range []string{"fr", "", "es;q=0, en;q=0.5", "*"} {
					a := getc("/v1/items/999", "Accept-Language", lang).do(t, base)
					require.Equal(t, http.StatusNotFound, a.status)
					e := decodeJSONAPI(t, a.body).Errors[0]
					assert.Equal(t, "record_not_found", e.Code)
					assert.Equal(t, "Record not found", e.Title, "Accept-Language %q gets the default", lang)
					assert.Equal(t, "The record identified by 999 could not be found.", e.Detail)
					assert.Equal(t, "en", a.header.Get("Content-Language"))
				}
			}},
	}
}

// Row 33's traceparent, W3C Trace Context's own example, and its trace ID.
const (
	row33Traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	row33TraceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
)

// jsonapiTraceID returns the trace ID of a JSON:API document's top-level
// meta.
func jsonapiTraceID(t *testing.T, body []byte) string {
	t.Helper()
	var d struct {
		Meta struct {
			TraceID string `json:"trace_id"`
		} `json:"meta"`
	}
	require.NoError(t, json.Unmarshal(body, &d), "%s", body)
	return d.Meta.TraceID
}

func allowOf(h http.Header) []string {
	var out []string
	for _, v := range h.Values("Allow") {
		for _, m := range strings.Split(v, ",") {
			if m = strings.TrimSpace(m); m != "" {
				out = append(out, m)
			}
		}
	}
	return out
}

func twitterCode(t *testing.T, body []byte) any {
	t.Helper()
	var d struct {
		Errors []map[string]any `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(body, &d), "%s", body)
	require.Len(t, d.Errors, 1, "%s", body)
	assert.NotEmpty(t, d.Errors[0]["message"])
	assert.Len(t, d.Errors[0], 2, "Twitter's v1 shape has code and message only: %s", body)
	return d.Errors[0]["code"]
}

// abandoned are the headers of a success no error response may carry.
var abandoned = []string{"Content-Encoding", "Content-Disposition", "Content-Range", "ETag", "Last-Modified", "Location"}

// TestContract walks every row of the demo contract on a fresh server per
// row (rows change state: rate limits, deletions), checks each error
// document against the official schemas in both negotiable formats, and the
// headers every error response must (Vary: Accept, the request ID) and must
// not carry.
func TestContract(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })

	seen := map[int]bool{}
	for _, rw := range contract() {
		seen[rw.n] = true
		t.Run(rowName(rw), func(t *testing.T) {
			base, logs := startDemo(t)
			calls := rw.calls
			if rw.n == 3 {
				first := getc("/v1/items").do(t, base)
				require.NotEmpty(t, first.header.Get("ETag"))
				calls = []call{getc("/v1/items", "If-None-Match", first.header.Get("ETag"))}
			}
			var all []answer
			for i, c := range calls {
				id := "row-" + strconv.Itoa(rw.n) + "-" + strconv.Itoa(i+1)
				all = append(all, c.do(t, base, "X-Request-ID", id))
			}
			last := all[len(all)-1]
			lastID := "row-" + strconv.Itoa(rw.n) + "-" + strconv.Itoa(len(all))
			require.Equal(t, rw.status, last.status, "body: %s", last.body)
			if rw.status == http.StatusNotModified {
				assert.Empty(t, last.body)
				assert.NotEmpty(t, last.header.Get("ETag"), "a 304 repeats the validator")
			}
			if rw.check != nil {
				rw.check(t, base, all)
			}
			if rw.format != "" {
				checkErrorHeaders(t, last, lastID)
			}
			switch rw.format {
			case "jsonapi":
				schematest.RequireJSONAPI(t, last.body)
				for _, e := range decodeJSONAPI(t, last.body).Errors {
					// One error: the request ID; several: ID.1, ID.2 ...
					assert.True(t, e.ID == lastID || strings.HasPrefix(e.ID, lastID+"."), "error id %q", e.ID)
				}
				// The same request, asking for problem details (after what
				// it asked for: a 406 row still needs its refusal).
				c := calls[len(calls)-1]
				accept := "application/problem+json"
				for i := 0; i+1 < len(c.header); i += 2 {
					if strings.EqualFold(c.header[i], "Accept") {
						accept = c.header[i+1] + ", " + accept
					}
				}
				p := c.do(t, base, "X-Request-ID", lastID+"-p", "Accept", accept)
				require.Equal(t, rw.status, p.status, "body: %s", p.body)
				assert.Equal(t, "application/problem+json", p.header.Get("Content-Type"))
				checkErrorHeaders(t, p, lastID+"-p")
				schematest.RequireProblem(t, p.body)
				checkProblem(t, p, lastID+"-p")
			case "twitter":
				assert.Equal(t, lastID, last.header.Get("X-Request-ID"))
			}
			if strings.Contains(logs.String(), "hunter2") {
				assert.Equal(t, 15, rw.n, "only the panic row logs its panic value")
			}
		})
	}
	for n := 1; n <= 34; n++ {
		assert.True(t, seen[n], "row %d is in the walk", n)
	}
}

func checkErrorHeaders(t *testing.T, a answer, id string) {
	t.Helper()
	assert.Equal(t, id, a.header.Get("X-Request-ID"))
	assert.Contains(t, strings.Join(a.header.Values("Vary"), ","), "Accept", "a negotiated document says so")
	for _, h := range abandoned {
		assert.Empty(t, a.header.Get(h), "an error response carries no %s", h)
	}
	assert.NotContains(t, a.header.Get("Cache-Control"), "public")
}

func checkProblem(t *testing.T, a answer, id string) {
	t.Helper()
	var p map[string]any
	require.NoError(t, json.Unmarshal(a.body, &p))
	assert.Equal(t, float64(a.status), p["status"], "status equals the HTTP status")
	assert.Equal(t, id, p["request_id"])
	inst, _ := p["instance"].(string)
	u, err := url.Parse(inst)
	require.NoError(t, err, "instance %q", inst)
	assert.True(t, u.IsAbs(), "instance %q is an absolute URI", inst)
	assert.Contains(t, inst, id)
}

func rowName(r row) string { return "row " + strconv.Itoa(r.n) + " " + r.name }

// Every GET route answers HEAD with GET's status and no body.
func TestContractHEADMatchesGET(t *testing.T) {
	base, _ := startDemo(t)
	for _, path := range []string{"/healthz", "/v1/items", "/v1/items/1", "/v1/items/999", "/v1/nope",
		"/v1/legacy", "/v1/maintenance", "/docs/errors", "/docs/openapi.json", "/1.1/items/999.json"} {
		g := getc(path).do(t, base)
		h := call{method: http.MethodHead, path: path}.do(t, base)
		assert.Equal(t, g.status, h.status, "HEAD %s", path)
		assert.Empty(t, h.body, "HEAD %s", path)
	}
}

// Accept is checked for resources that exist: a request no route serves
// gets the router's answer (404, 405 with Allow, 501, OPTIONS's 204) whatever Accept
// says, under /v1's Produces as everywhere else.
func TestRoutingWinsOverProduces(t *testing.T) {
	base, _ := startDemo(t)
	for _, tc := range []struct {
		c      call
		status int
	}{
		{getc("/v1/nope", "Accept", "application/xml"), 404},
		{call{method: http.MethodDelete, path: "/v1/items", header: []string{"Accept", "application/xml"}}, 405},
		{call{method: http.MethodPut, path: "/v1/items", header: []string{"Accept", "application/xml"}}, 405},
		{call{method: "FOO", path: "/v1/items", header: []string{"Accept", "application/xml"}}, 501},
		{call{method: http.MethodOptions, path: "/v1/items", header: []string{"Accept", "application/xml"}}, 204},
		{getc("/v1/items", "Accept", "application/xml"), 406},
		{call{method: http.MethodHead, path: "/v1/items", header: []string{"Accept", "application/xml"}}, 406},
	} {
		a := tc.c.do(t, base)
		assert.Equal(t, tc.status, a.status, "%s %s", tc.c.method, tc.c.path)
	}
}

// Row 32: every answer of the contract, asked for by the demo's trusted
// browser origin, carries Access-Control-Allow-Origin and exposes the
// headers a client acts on, errors included (the panic's 500, 401, 405,
// 429, 503, 504...): a page's script can read them all.
func TestContractCORSOnEveryRow(t *testing.T) {
	base, _ := startDemo(t)
	checked := map[int]bool{}
	for _, rw := range contract() {
		if rw.n == 31 || rw.n == 32 {
			continue // OPTIONS itself: rows 31 and 32 check it
		}
		for _, c := range rw.calls {
			if c.method == "FOO" {
				continue // no browser sends a method CORS does not allow
			}
			a := c.do(t, base, "Origin", demo.DefaultCORSOrigin)
			checked[a.status] = true
			assert.Equal(t, demo.DefaultCORSOrigin, a.header.Get("Access-Control-Allow-Origin"), "row %d: %s %s", rw.n, c.method, c.path)
			assert.Contains(t, strings.Join(a.header.Values("Vary"), ","), "Origin", "row %d", rw.n)
			exposed := strings.ToLower(strings.Join(a.header.Values("Access-Control-Expose-Headers"), ","))
			for _, h := range []string{"x-request-id", "retry-after", "ratelimit", "ratelimit-policy", "www-authenticate", "allow", "etag"} {
				assert.Contains(t, exposed, h, "row %d exposes %s", rw.n, h)
			}
		}
	}
	for _, st := range []int{200, 401, 404, 405, 420, 429, 500, 503, 504} {
		assert.True(t, checked[st], "a %d was checked", st)
	}
	// The flag changes the trusted origin.
	other, _ := startDemo(t, "-cors-origin", "https://app.example.com")
	a := getc("/v1/items/999").do(t, other, "Origin", "https://app.example.com")
	assert.Equal(t, "https://app.example.com", a.header.Get("Access-Control-Allow-Origin"))
	a = getc("/v1/items/999").do(t, other, "Origin", demo.DefaultCORSOrigin)
	assert.Empty(t, a.header.Get("Access-Control-Allow-Origin"))
}
