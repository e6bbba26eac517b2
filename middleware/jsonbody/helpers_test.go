package jsonbody_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/schematest"
)

// requireDocument fails t unless body is a valid JSON:API error document
// (or a problem document when its Content-Type says so).
func requireDocument(t testing.TB, contentType string, body []byte) {
	t.Helper()
	if contentType == errdoc.MediaTypeProblem {
		schematest.RequireProblem(t, body)
		return
	}
	schematest.RequireJSONAPI(t, body)
}

// startServer serves h over a real loopback connection speaking proto,
// "HTTP/1.1" or "HTTP/2.0" (over TLS; srv.Client() trusts it), until the
// test ends.
func startServer(t *testing.T, proto string, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	if proto == "HTTP/2.0" {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

// reply is a response read in full, with the errors its document carries.
type reply struct {
	resp   *http.Response
	body   []byte
	errors errdoc.List
}

// read reads resp, checks that an error response is a valid document and
// parses it.
func read(t testing.TB, resp *http.Response) reply {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	out := reply{resp: resp, body: body}
	if resp.StatusCode < 400 {
		return out
	}
	requireDocument(t, resp.Header.Get("Content-Type"), body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	perr := errdoc.ParseResponse(resp)
	var list errdoc.List
	var one *errdoc.Error
	switch {
	case errors.As(perr, &list):
		out.errors = list
	case errors.As(perr, &one):
		out.errors = errdoc.List{one}
	}
	require.NotEmpty(t, out.errors, "no errors in %s", body)
	return out
}

// pointers returns the source pointers of the reply's errors.
func (r reply) pointers() []string {
	var out []string
	for _, e := range r.errors {
		out = append(out, e.Source.Pointer)
	}
	return out
}
