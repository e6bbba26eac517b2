package testsrv

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/schematest"
)

// RequireDocument fails t unless body is a valid JSON:API error document
// (or a problem document when its Content-Type says so).
func RequireDocument(t testing.TB, contentType string, body []byte) {
	t.Helper()
	if contentType == errdoc.MediaTypeProblem {
		schematest.RequireProblem(t, body)
		return
	}
	schematest.RequireJSONAPI(t, body)
}

// Reply is a response read in full, with the errors its document carries.
type Reply struct {
	Resp   *http.Response
	Body   []byte
	Errors errdoc.List
}

// Read reads resp, checks that an error response is a valid document and
// parses it.
func Read(t testing.TB, resp *http.Response) Reply {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	out := Reply{Resp: resp, Body: body}
	if resp.StatusCode < 400 {
		return out
	}
	RequireDocument(t, resp.Header.Get("Content-Type"), body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	perr := errdoc.ParseResponse(resp)
	var list errdoc.List
	var one *errdoc.Error
	switch {
	case errors.As(perr, &list):
		out.Errors = list
	case errors.As(perr, &one):
		out.Errors = errdoc.List{one}
	}
	require.NotEmpty(t, out.Errors, "no errors in %s", body)
	return out
}

// Pointers returns the source pointers of the reply's errors.
func (r Reply) Pointers() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Source.Pointer)
	}
	return out
}
