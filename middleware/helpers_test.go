package middleware_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
)

// schemas compiles errdoc's copies of the official document schemas.
var schemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	out := map[string]*jsonschema.Schema{}
	for _, name := range []string{"jsonapi-1.1.schema.json", "rfc9457-problem.schema.json"} {
		f, err := os.Open(filepath.Join("..", "errdoc", "testdata", "schemas", name))
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(name, doc); err != nil {
			return nil, err
		}
		if out[name], err = c.Compile(name); err != nil {
			return nil, err
		}
	}
	return out, nil
})

// requireDocument fails t unless body is a valid JSON:API error document
// (or a problem document when its Content-Type says so).
func requireDocument(t testing.TB, contentType string, body []byte) {
	t.Helper()
	all, err := schemas()
	require.NoError(t, err)
	require.True(t, json.Valid(body), "not JSON: %q", body)
	name := "jsonapi-1.1.schema.json"
	if contentType == errdoc.MediaTypeProblem {
		name = "rfc9457-problem.schema.json"
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	require.NoError(t, err)
	require.NoError(t, all[name].Validate(inst), "document: %s", body)
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
