package errdoc_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// demoCatalog is the default catalog plus the demo's record_not_found.
func demoCatalog(t testing.TB) *errdoc.Catalog {
	t.Helper()
	cat, err := errdoc.DefaultCatalog().With(errdoc.Entry{
		Status: 404, Code: "record_not_found", Title: "Record not found",
		Description: "The record identified in the request does not exist.",
	})
	require.NoError(t, err)
	return cat
}

// render writes err through rd for a GET with the given Accept and request ID.
func render(t testing.TB, rd *errdoc.Renderer, accept string, err error) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/v1/items/999", nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	req = req.WithContext(errdoc.WithRequestID(req.Context(), "req-42"))
	rec := httptest.NewRecorder()
	rd.Write(rec, req, err)
	return rec
}

func decode(t testing.TB, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m), "body %q", body)
	return m
}

func TestJSONAPIMatchesMRETSExample(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t), DocsURL: "https://api.example.com/docs/errors"})
	rec := render(t, rd, "", errdoc.Coded("record_not_found", "The record identified by 999 could not be found."))

	require.Equal(t, 404, rec.Code)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	requireJSONAPI(t, rec.Body.Bytes())
	assert.JSONEq(t, `{"errors":[{
		"id":"req-42",
		"links":{"about":"https://api.example.com/docs/errors#record_not_found","type":"https://api.example.com/docs/errors#record_not_found"},
		"status":"404","code":"record_not_found","title":"Record not found",
		"detail":"The record identified by 999 could not be found."}]}`, rec.Body.String())
}

func TestFormatsFromOneError(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: demoCatalog(t)})
	e := errdoc.New(422, "quantity must be a number").AtPointer("/quantity")
	tests := []struct {
		name, accept, contentType string
		check                     func(t *testing.T, body []byte)
	}{
		{"jsonapi default", "", "application/json", func(t *testing.T, body []byte) {
			requireJSONAPI(t, body)
			m := decode(t, body)["errors"].([]any)[0].(map[string]any)
			assert.Equal(t, "422", m["status"])
			assert.Equal(t, "unprocessable_entity", m["code"])
			assert.Equal(t, map[string]any{"pointer": "/quantity"}, m["source"])
		}},
		{"jsonapi media type", "application/vnd.api+json", "application/vnd.api+json", func(t *testing.T, body []byte) {
			requireJSONAPI(t, body)
		}},
		{"problem", "application/problem+json", "application/problem+json", func(t *testing.T, body []byte) {
			requireProblem(t, body)
			m := decode(t, body)
			assert.Equal(t, float64(422), m["status"], "RFC 9457: status equals the HTTP status")
			assert.Equal(t, "http://example.com/docs/errors#unprocessable_entity", m["type"])
			assert.Equal(t, "Unprocessable Entity", m["title"])
			assert.Equal(t, "quantity must be a number", m["detail"])
			assert.Equal(t, "urn:faultline:request:req-42", m["instance"])
			assert.Equal(t, "req-42", m["request_id"])
			assert.Equal(t, "unprocessable_entity", m["code"])
			assert.Equal(t, "/quantity", m["pointer"])
		}},
		{"problem preferred by q", "application/json;q=0.5, application/problem+json", "application/problem+json", func(t *testing.T, body []byte) {
			requireProblem(t, body)
		}},
		{"unservable accept gets the default", "application/xml", "application/json", func(t *testing.T, body []byte) {
			requireJSONAPI(t, body)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := render(t, rd, tc.accept, e)
			require.Equal(t, 422, rec.Code, "never a 406")
			assert.Equal(t, tc.contentType, rec.Header().Get("Content-Type"))
			tc.check(t, rec.Body.Bytes())
		})
	}
}

func TestTwitterLegacyFormat(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{Format: errdoc.Twitter, Strict: true})
	rec := render(t, rd, "application/problem+json", errdoc.New(429, ""))
	require.Equal(t, 429, rec.Code)
	assert.JSONEq(t, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, rec.Body.String())

	rec = render(t, rd, "", errdoc.New(420, ""))
	require.Equal(t, 420, rec.Code)
	assert.JSONEq(t, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, rec.Body.String())

	// Without a legacy code the status stands in, and the message is the detail.
	rec = render(t, rd, "", errdoc.New(422, "name is required"))
	assert.JSONEq(t, `{"errors":[{"code":422,"message":"name is required"}]}`, rec.Body.String())

	// Not strict: a client asking for problem details gets them.
	loose := errdoc.NewRenderer(errdoc.Options{Format: errdoc.Twitter})
	rec = render(t, loose, "application/problem+json", errdoc.New(429, ""))
	requireProblem(t, rec.Body.Bytes())
	rec = render(t, loose, "application/json", errdoc.New(429, ""))
	assert.JSONEq(t, `{"errors":[{"code":88,"message":"Rate limit exceeded"}]}`, rec.Body.String())
}

func TestManyErrors(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	errs := errors.Join(
		errdoc.New(422, "name must not be empty").AtPointer("/name"),
		errdoc.New(422, "quantity must not be negative").AtPointer("/quantity"),
	)
	rec := render(t, rd, "", errs)
	require.Equal(t, 422, rec.Code)
	requireJSONAPI(t, rec.Body.Bytes())
	list := decode(t, rec.Body.Bytes())["errors"].([]any)
	require.Len(t, list, 2)
	assert.Equal(t, "/name", list[0].(map[string]any)["source"].(map[string]any)["pointer"])
	assert.Equal(t, "/quantity", list[1].(map[string]any)["source"].(map[string]any)["pointer"])
	assert.Equal(t, "req-42.1", list[0].(map[string]any)["id"], "ids stay unique per occurrence")
	assert.Equal(t, "req-42.2", list[1].(map[string]any)["id"])

	rec = render(t, rd, "application/problem+json", errs)
	require.Equal(t, 422, rec.Code)
	requireProblem(t, rec.Body.Bytes())
	m := decode(t, rec.Body.Bytes())
	assert.Equal(t, float64(422), m["status"])
	assert.Len(t, m["errors"], 2)

	// A List renders the same way, and mixed statuses follow ResponseStatus.
	rec = render(t, rd, "", errdoc.List{errdoc.New(404, ""), errdoc.New(409, "")})
	assert.Equal(t, 400, rec.Code)
	// Each error's id is the request's suffixed .N; the request's own ID
	// is in the top-level meta, so the document carries it as it is.
	requireJSONAPI(t, rec.Body.Bytes())
	assert.Contains(t, rec.Body.String(), `"id":"req-42.1"`)
	assert.Contains(t, rec.Body.String(), `"id":"req-42.2"`)
	assert.True(t, strings.HasSuffix(rec.Body.String(), `],"meta":{"request_id":"req-42"}}`), rec.Body.String())
	one := render(t, rd, "", errdoc.New(404, ""))
	assert.NotContains(t, one.Body.String(), `"meta"`, "one error: its id is the request's")
	rec = render(t, rd, "application/problem+json", errdoc.List{errdoc.New(404, ""), errdoc.New(503, "")})
	assert.Equal(t, 500, rec.Code)
	requireProblem(t, rec.Body.Bytes())
	assert.Equal(t, float64(500), decode(t, rec.Body.Bytes())["status"])
}

func TestResponseStatusRule(t *testing.T) {
	tests := []struct {
		in   []int
		want int
	}{
		{nil, 500},
		{[]int{404}, 404},
		{[]int{422, 422}, 422},
		{[]int{404, 422}, 400},
		{[]int{502, 504}, 500},
		{[]int{404, 502}, 500},
		{[]int{200}, 500},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, errdoc.ResponseStatus(tc.in...), "%v", tc.in)
	}
}

func TestServerErrorsAreGenericAndLogged(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	secret := errors.New("dial tcp 10.1.2.3:5432: password hunter2 rejected")
	rd := errdoc.NewRenderer(errdoc.Options{Logger: logger})

	for _, accept := range []string{"", "application/problem+json"} {
		rec := render(t, rd, accept, errdoc.New(500, "db exploded: hunter2").WithCause(secret))
		require.Equal(t, 500, rec.Code)
		assert.NotContains(t, rec.Body.String(), "hunter2")
		assert.NotContains(t, rec.Body.String(), "10.1.2.3")
		assert.Contains(t, rec.Body.String(), "The server failed unexpectedly")
	}
	assert.Contains(t, logs.String(), "hunter2", "the cause goes to the log")
	assert.Contains(t, logs.String(), `"request_id":"req-42"`)

	// A plain error is classified as 500 and its text never rendered.
	rec := render(t, rd, "", secret)
	assert.Equal(t, 500, rec.Code)
	assert.NotContains(t, rec.Body.String(), "hunter2")

	// Public opts a 5xx detail in; development mode shows everything.
	pub := &errdoc.Error{Status: 503, Detail: "Down for maintenance until 10:00 UTC.", Public: true}
	assert.Contains(t, render(t, rd, "", pub).Body.String(), "maintenance until")
	dev := errdoc.NewRenderer(errdoc.Options{Development: true, Logger: logger})
	body := render(t, dev, "", errdoc.Internal(secret)).Body.String()
	requireJSONAPI(t, []byte(body))
	assert.Contains(t, body, "hunter2")
}

func TestErrorHeadersTravel(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	e := errdoc.New(405, "").SetHeader("Allow", "GET, HEAD, POST")
	rec := render(t, rd, "", e)
	assert.Equal(t, 405, rec.Code)
	assert.Equal(t, "GET, HEAD, POST", rec.Header().Get("Allow"))

	e = &errdoc.Error{Status: 401, Header: http.Header{"www-authenticate": {`Bearer realm="api"`}}}
	rec = render(t, rd, "", e)
	assert.Equal(t, `Bearer realm="api"`, rec.Header().Get("WWW-Authenticate"), "keys are canonicalised")
}

func TestNotModifiedHasNoBody(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	rec := render(t, rd, "", errdoc.New(304, "").SetHeader("ETag", `"abc"`))
	assert.Equal(t, 304, rec.Code)
	assert.Empty(t, rec.Body.Bytes())
	assert.Empty(t, rec.Header().Get("Content-Type"))
	assert.Equal(t, `"abc"`, rec.Header().Get("ETag"))
}

func TestHeadHasNoBody(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	req := httptest.NewRequest(http.MethodHead, "/x", nil)
	rec := httptest.NewRecorder()
	rd.Write(rec, req, errdoc.New(404, ""))
	assert.Equal(t, 404, rec.Code)
	assert.Empty(t, rec.Body.Bytes())
}

// selfWrapping is a cause that wraps itself.
type selfWrapping struct{}

func (s *selfWrapping) Error() string { return "self" }
func (s *selfWrapping) Unwrap() error { return s }

type marshalPanics struct{}

func (marshalPanics) MarshalJSON() ([]byte, error) { panic("boom") }

func TestBadInputStillRendersValidDocuments(t *testing.T) {
	cyclic := &errdoc.Error{Status: 400}
	cyclic.Cause = cyclic
	hugeMeta := map[string]any{}
	for i := 0; i < 5000; i++ {
		hugeMeta[fmt.Sprint("k", i)] = strings.Repeat("v", 20)
	}
	selfMeta := map[string]any{}
	selfMeta["me"] = selfMeta

	tests := []struct {
		name       string
		err        error
		wantStatus int
	}{
		{"nil error", nil, 500},
		{"typed nil", (*errdoc.Error)(nil), 500},
		{"status below 400", &errdoc.Error{Status: 200, Detail: "ok?"}, 500},
		{"status above 599", &errdoc.Error{Status: 777}, 500},
		{"unknown 4xx", &errdoc.Error{Status: 418}, 418},
		{"empty code", &errdoc.Error{Status: 404, Code: ""}, 404},
		{"junk code", &errdoc.Error{Status: 404, Code: "<script>\x00"}, 404},
		{"html detail", errdoc.New(400, `<script>alert("x")</script>&`), 400},
		{"control characters", errdoc.New(400, "a\x00b\x1fc\u2028d\n"), 400},
		{"invalid utf-8", errdoc.New(400, "bad \xff\xfe utf8"), 400},
		{"huge detail", errdoc.New(400, strings.Repeat("é", 1<<20)), 400},
		{"huge meta", &errdoc.Error{Status: 400, Meta: hugeMeta}, 400},
		{"cyclic meta", &errdoc.Error{Status: 400, Meta: selfMeta}, 400},
		{"unencodable meta", &errdoc.Error{Status: 400, Meta: map[string]any{"f": func() {}, "c": make(chan int)}}, 400},
		{"panicking meta", &errdoc.Error{Status: 400, Meta: map[string]any{"p": marshalPanics{}}}, 400},
		{"cause wraps itself", cyclic, 400},
		{"plain cause wraps itself", &selfWrapping{}, 500},
		{"bad source", errdoc.New(422, "").AtPointer("\xff<>"), 422},
		{"empty list", errdoc.List{}, 500},
		{"list of nils", errdoc.List{nil, nil}, 500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.DiscardHandler)})
			for _, accept := range []string{"", "application/problem+json"} {
				rec := render(t, rd, accept, tc.err)
				require.Equal(t, tc.wantStatus, rec.Code)
				if accept == "" {
					requireJSONAPI(t, rec.Body.Bytes())
				} else {
					requireProblem(t, rec.Body.Bytes())
					assert.Equal(t, float64(tc.wantStatus), decode(t, rec.Body.Bytes())["status"])
				}
				assert.NotContains(t, rec.Body.String(), "<script>")
				assert.Less(t, rec.Body.Len(), 64<<10, "bounded output")
			}
			rec := render(t, errdoc.NewRenderer(errdoc.Options{Format: errdoc.Twitter, Logger: slog.New(slog.DiscardHandler)}), "", tc.err)
			assert.True(t, json.Valid(rec.Body.Bytes()), "twitter: %q", rec.Body.String())
		})
	}
	assert.NotPanics(t, func() { _ = cyclic.Error() })
}

func TestDocsURLOption(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{DocsURL: "https://api.example.com/docs/errors"})
	rec := render(t, rd, "application/problem+json", errdoc.New(404, ""))
	requireProblem(t, rec.Body.Bytes())
	assert.Equal(t, "https://api.example.com/docs/errors#not_found", decode(t, rec.Body.Bytes())["type"])
	rec = render(t, rd, "", errdoc.New(404, ""))
	requireJSONAPI(t, rec.Body.Bytes())
	assert.Contains(t, rec.Body.String(), `"about":"https://api.example.com/docs/errors#not_found"`)

	// With no DocsURL, links point at the page on the request's own
	// origin, absolute, so JSON:API documents carry them too.
	def := errdoc.NewRenderer(errdoc.Options{})
	for _, tc := range []struct {
		host string
		tls  bool
		link string // "" for none: a Host that could not be written as it is
	}{
		{"api.example.com", false, "http://api.example.com/docs/errors#not_found"},
		{"api.example.com:8443", true, "https://api.example.com:8443/docs/errors#not_found"},
		{"127.0.0.1:8080", false, "http://127.0.0.1:8080/docs/errors#not_found"},
		{"[::1]:8080", false, "http://[::1]:8080/docs/errors#not_found"},
		{"[2001:db8::1]", true, "https://[2001:db8::1]/docs/errors#not_found"},
		{"[::ffff:192.0.2.1]:80", false, "http://[::ffff:192.0.2.1]:80/docs/errors#not_found"},
		{`evil.example/"x`, false, ""},
		{"evil.example@x", false, ""},
		{"", false, ""},
		// Shapes net/http admits that are no URI authority.
		{"[::1", false, ""},
		{"[::1]x", false, ""},
		{"::1", false, ""},
		{"[]", false, ""},
		{"[g::1]", false, ""},
		{"a]b", false, ""},
		{"a[b", false, ""},
		{"host:", false, ""},
		{"host:8080:1", false, ""},
		{"host:80a", false, ""},
		{"host:123456", false, ""},
		{"[::1]:", false, ""},
	} {
		req := httptest.NewRequest(http.MethodGet, "/v1/items/7", nil)
		req.Host = tc.host
		if !tc.tls {
			req.TLS = nil
		} else if req.TLS == nil {
			req.TLS = &tls.ConnectionState{}
		}
		rec := httptest.NewRecorder()
		def.Write(rec, req, errdoc.New(404, ""))
		requireJSONAPI(t, rec.Body.Bytes())
		req.Header.Set("Accept", "application/problem+json")
		prec := httptest.NewRecorder()
		def.Write(prec, req, errdoc.New(404, ""))
		requireProblem(t, prec.Body.Bytes())
		if tc.link == "" {
			assert.NotContains(t, rec.Body.String(), "links", tc.host)
			assert.Equal(t, "/docs/errors#not_found", decode(t, prec.Body.Bytes())["type"], tc.host)
			continue
		}
		assert.Contains(t, rec.Body.String(), `"links":{"about":"`+tc.link+`","type":"`+tc.link+`"}`, tc.host)
		assert.Equal(t, tc.link, decode(t, prec.Body.Bytes())["type"], tc.host)
	}

	none := errdoc.NewRenderer(errdoc.Options{DocsURL: "-"})
	rec = render(t, none, "application/problem+json", errdoc.New(404, ""))
	assert.Equal(t, "about:blank", decode(t, rec.Body.Bytes())["type"])
	rec = render(t, none, "", errdoc.New(404, ""))
	requireJSONAPI(t, rec.Body.Bytes())
	assert.NotContains(t, rec.Body.String(), "links")

	assert.Error(t, errdoc.Options{DocsURL: "http://[::1"}.Validate())
	assert.Error(t, errdoc.Options{RequestIDHeader: "X Bad"}.Validate())
	assert.Panics(t, func() { errdoc.NewRenderer(errdoc.Options{DocsURL: "http://[::1"}) })
}

func TestObserveHook(t *testing.T) {
	var got []errdoc.Observation
	cause := errors.New("upstream said no")
	rd := errdoc.NewRenderer(errdoc.Options{
		Observe: func(o errdoc.Observation) { got = append(got, o) },
		Logger:  slog.New(slog.DiscardHandler),
	})
	req := httptest.NewRequest(http.MethodGet, "/v1/items/7", nil)
	req.Pattern = "/v1/items/{id}"
	req = req.WithContext(errdoc.WithRequestID(req.Context(), "obs-1"))
	rd.Write(httptest.NewRecorder(), req, errdoc.New(502, "").WithCause(cause))
	require.Len(t, got, 1)
	assert.Equal(t, 502, got[0].Status)
	assert.Equal(t, 502, got[0].ResponseStatus)
	assert.Equal(t, "bad_gateway", got[0].Code)
	assert.Equal(t, "/v1/items/{id}", got[0].Route)
	assert.Equal(t, "obs-1", got[0].RequestID)
	assert.ErrorIs(t, got[0].Cause, cause)

	// A panicking hook is contained.
	bad := errdoc.NewRenderer(errdoc.Options{Observe: func(errdoc.Observation) { panic("hook") }, Logger: slog.New(slog.DiscardHandler)})
	assert.NotPanics(t, func() { bad.Write(httptest.NewRecorder(), req, errdoc.New(404, "")) })
}

func TestErrorValue(t *testing.T) {
	base := errors.New("root cause")
	e := errdoc.New(404, "gone fishing").WithCause(base)
	wrapped := fmt.Errorf("handler: %w", e)

	var got *errdoc.Error
	require.ErrorAs(t, wrapped, &got)
	assert.Equal(t, 404, got.Status)
	assert.ErrorIs(t, wrapped, base)
	assert.ErrorIs(t, wrapped, &errdoc.Error{Status: 404})
	assert.NotErrorIs(t, wrapped, &errdoc.Error{Status: 500})
	assert.ErrorIs(t, errdoc.Coded("record_not_found", ""), &errdoc.Error{Code: "record_not_found"})
	assert.Contains(t, e.Error(), "root cause")

	list := errdoc.List{errdoc.New(422, "a"), errdoc.New(422, "b")}
	assert.Equal(t, 422, list.Status())
	assert.ErrorIs(t, list, &errdoc.Error{Status: 422})
}

func TestCatalog(t *testing.T) {
	cat := errdoc.DefaultCatalog()
	for _, st := range []int{304, 400, 401, 403, 404, 405, 406, 410, 413, 415, 420, 422, 429, 500, 502, 503, 504} {
		e, ok := cat.ForStatus(st)
		require.True(t, ok, "status %d", st)
		assert.NotEmpty(t, e.Title)
		assert.NotEmpty(t, e.Description)
	}
	e, _ := cat.ForStatus(420)
	assert.Equal(t, "Enhance Your Calm", e.Title, "http.StatusText(420) is empty; the catalog has its own")
	assert.Equal(t, 88, e.LegacyCode)

	_, err := cat.With(errdoc.Entry{Status: 404, Code: "not_found", Title: "dup"})
	assert.ErrorIs(t, err, errdoc.ErrInvalidEntry)
	_, err = cat.With(errdoc.Entry{Status: 200, Code: "ok", Title: "OK"})
	assert.ErrorIs(t, err, errdoc.ErrInvalidEntry)
	_, err = cat.With(errdoc.Entry{Status: 404, Code: "Bad Code", Title: "x"})
	assert.ErrorIs(t, err, errdoc.ErrInvalidEntry)
	_, err = cat.With(errdoc.Entry{Status: 404, Code: "no_title"})
	assert.ErrorIs(t, err, errdoc.ErrInvalidEntry)

	ext := demoCatalog(t)
	got, ok := ext.Lookup("record_not_found")
	require.True(t, ok)
	assert.Equal(t, 404, got.Status)
	first, _ := ext.ForStatus(404)
	assert.Equal(t, "not_found", first.Code, "the first entry of a status stays its entry")
	_, ok = cat.Lookup("record_not_found")
	assert.False(t, ok, "With leaves the original catalog unchanged")
}

func TestCustomCatalogFallsBackToBuiltins(t *testing.T) {
	cat := errdoc.MustCatalog(errdoc.Entry{Status: 404, Code: "missing", Title: "Missing thing", Description: "Nothing here."})
	rd := errdoc.NewRenderer(errdoc.Options{Catalog: cat, Logger: discardLogger()})
	tests := []struct {
		err         *errdoc.Error
		status      int
		code, title string
	}{
		{errdoc.New(404, ""), 404, "missing", "Missing thing"},                       // the catalog's entry
		{errdoc.New(504, ""), 504, "gateway_timeout", "Gateway Timeout"},             // a built-in the catalog lacks
		{errdoc.New(418, ""), 418, "bad_request", "I'm a teapot"},                    // no one's: its class's code, logged
		{&errdoc.Error{Code: "missing"}, 404, "missing", "Missing thing"},            // by code
		{&errdoc.Error{Status: 200}, 500, "internal_error", "Internal Server Error"}, // not an error status
	}
	for _, tc := range tests {
		rec := render(t, rd, "", tc.err)
		require.Equal(t, tc.status, rec.Code)
		requireJSONAPI(t, rec.Body.Bytes())
		e := decode(t, rec.Body.Bytes())["errors"].([]any)[0].(map[string]any)
		assert.Equal(t, tc.code, e["code"])
		assert.Equal(t, tc.title, e["title"])
	}
}

// A 501 answers a method no route knows: scanners send those by the
// thousand, so it is logged as a client error is (not at all without a
// cause), while every other 5xx is an error record.
func TestNotImplementedIsNotLoggedAsError(t *testing.T) {
	var buf bytes.Buffer
	rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	for _, status := range []int{501, 503} {
		rec := httptest.NewRecorder()
		rd.Write(rec, httptest.NewRequest("FOO", "/items", nil), errdoc.New(status, ""))
		require.Equal(t, status, rec.Code)
	}
	assert.NotContains(t, buf.String(), `"status":501`)
	assert.Contains(t, buf.String(), `"status":503`)
}

// retainer is a writer that breaks io.Writer's rule and keeps the slices it
// is given, as a body logger that hands them to a goroutine would.
type retainer struct {
	h    http.Header
	kept [][]byte
}

func (r *retainer) Header() http.Header { return r.h }
func (r *retainer) WriteHeader(int)     {}
func (r *retainer) Write(p []byte) (int, error) {
	r.kept = append(r.kept, p)
	return len(p), nil
}

// What Write hands a writer is the document's own memory: a writer that
// keeps it never sees it overwritten by the next request's document.
// Before, the bytes came from a pool and the second document was written
// over the first.
func TestWriteNeverReusesWhatAWriterHolds(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	w := &retainer{h: http.Header{}}
	for _, detail := range []string{"alpha alpha alpha", "bravo bravo bravo", "charlie charlie"} {
		w.h = http.Header{}
		rd.Write(w, httptest.NewRequest(http.MethodGet, "/", nil), errdoc.New(http.StatusNotFound, detail))
	}
	require.Len(t, w.kept, 3)
	for i, detail := range []string{"alpha alpha alpha", "bravo bravo bravo", "charlie charlie"} {
		assert.Contains(t, string(w.kept[i]), detail, "document %d", i)
		var doc map[string]any
		assert.NoError(t, json.Unmarshal(w.kept[i], &doc), "document %d is still whole", i)
	}
}

// A document of several errors with a trace ID: both in the top-level
// meta, valid JSON:API.
func TestManyErrorsMetaWithTraceID(t *testing.T) {
	rd := errdoc.NewRenderer(errdoc.Options{})
	req := httptest.NewRequest(http.MethodGet, "/v1/items/999", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	req = req.WithContext(errdoc.WithRequestID(req.Context(), "req-7"))
	rec := httptest.NewRecorder()
	rd.Write(rec, req, errdoc.List{errdoc.New(422, "a"), errdoc.New(422, "b")})
	requireJSONAPI(t, rec.Body.Bytes())
	assert.True(t, strings.HasSuffix(rec.Body.String(),
		`],"meta":{"request_id":"req-7","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}}`), rec.Body.String())
}

// recordedEnd is the cause of a context that whoever ended it has
// recorded already, as middleware.ErrTimeout is.
type recordedEnd struct{}

func (recordedEnd) Error() string { return "deadline recorded by the middleware" }
func (recordedEnd) Logged() bool  { return true }

// The end of a request's context, rendered to a committed response after
// the context's cause says that end was recorded (a Timeout that answered
// and logged), is not logged again, nor is a 4xx after it (its
// aftermath); anything else is: a 5xx of its own, an end nobody recorded,
// a response not yet committed.
func TestRecordedContextEndIsNotLoggedTwice(t *testing.T) {
	tests := []struct {
		name      string
		cause     error // the context's cause
		err       func(end error) error
		committed bool
		want      int // records
	}{
		{"its end, committed", recordedEnd{}, func(end error) error { return end }, true, 0},
		{"its end wrapped, committed", recordedEnd{}, func(end error) error { return fmt.Errorf("query: %w", end) }, true, 0},
		{"an end nobody recorded", errors.New("cancelled by the application"), func(end error) error { return end }, true, 1},
		{"another error, committed", recordedEnd{}, func(error) error { return errdoc.Internal(errors.New("disk full")) }, true, 1},
		{"its end, not committed", recordedEnd{}, func(end error) error { return end }, false, 1},
		{"a 4xx after it, committed", recordedEnd{}, func(error) error {
			return errdoc.New(http.StatusBadRequest, "").WithCause(errors.New("unexpected EOF"))
		}, true, 0},
		{"a 4xx after an end nobody recorded", errors.New("cancelled by the application"), func(error) error {
			return errdoc.New(http.StatusBadRequest, "").WithCause(errors.New("unexpected EOF"))
		}, true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			rd := errdoc.NewRenderer(errdoc.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
			h := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctx, cancel := context.WithCancelCause(r.Context())
				cancel(tc.cause)
				if tc.committed {
					w.WriteHeader(http.StatusAccepted)
				}
				errdoc.Write(w, r.WithContext(ctx), tc.err(ctx.Err()))
			}))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
			assert.Equal(t, tc.want, strings.Count(logs.String(), `"msg":"request failed`), logs.String())
		})
	}
}
