package errdoc_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Problem details' instance is an absolute URI naming the occurrence: a
// client that resolves it against the response's URL (as npm's
// @inrupt/solid-client-errors does) gets it back unchanged, never a URL on
// the API's host or, for a client-chosen ID, on another host.
func TestProblemInstanceIsAbsolute(t *testing.T) {
	ids := []string{
		"4f1c2a9e8b7d6c5a4f3e2d1c",
		"//evil.example/phish",
		"../../admin",
		"a:b@c/d=e+f~g.h",
		"http://evil.example/x",
	}
	for _, base := range []string{"", "https://api.example.com/requests/"} {
		rd := errdoc.NewRenderer(errdoc.Options{Logger: discardLogger(), InstanceURI: base})
		h := rd.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			errdoc.Write(w, r, errdoc.New(http.StatusNotFound, "no such item"))
		}))
		for _, proto := range []string{"HTTP/1.1", "HTTP/2"} {
			srv, client, _ := newServer(t, proto, h)
			for _, id := range ids {
				t.Run(base+"/"+proto+"/"+id, func(t *testing.T) {
					req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/items/44", nil)
					req.Header.Set("Accept", errdoc.MediaTypeProblem)
					req.Header.Set("X-Request-ID", id)
					resp, err := client.Do(req)
					require.NoError(t, err)
					body, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					require.NoError(t, err)
					require.Equal(t, id, resp.Header.Get("X-Request-ID"), "a valid ID is kept")
					requireProblem(t, body)

					var doc struct {
						Instance  string `json:"instance"`
						RequestID string `json:"request_id"`
					}
					require.NoError(t, json.Unmarshal(body, &doc))
					assert.Equal(t, id, doc.RequestID)
					inst, err := url.Parse(doc.Instance)
					require.NoError(t, err)
					assert.True(t, inst.IsAbs(), "absolute: %s", doc.Instance)
					wantBase := base
					if wantBase == "" {
						wantBase = errdoc.DefaultInstanceURI
					}
					assert.True(t, strings.HasPrefix(doc.Instance, wantBase), doc.Instance)
					unescaped, err := url.PathUnescape(strings.TrimPrefix(doc.Instance, wantBase))
					require.NoError(t, err)
					assert.Equal(t, id, unescaped, "the ID, percent-encoded")
					assert.NotContains(t, strings.TrimPrefix(doc.Instance, wantBase), "/", "one opaque segment")
					resolved := resp.Request.URL.ResolveReference(inst)
					assert.Equal(t, doc.Instance, resolved.String(), "resolving changes nothing")
					assert.NotEqual(t, "evil.example", resolved.Host)

					resp.Body = io.NopCloser(strings.NewReader(string(body)))
					var e *errdoc.Error
					require.ErrorAs(t, errdoc.ParseResponse(resp), &e)
					assert.Equal(t, id, e.RequestID, "ParseResponse reads request_id")
				})
			}
		}
	}
}

func TestInstanceURIOption(t *testing.T) {
	for _, bad := range []string{"/relative/", "//host/path/", "not a uri", "https://x/#frag", "urn:x:\n"} {
		assert.Error(t, errdoc.Options{InstanceURI: bad}.Validate(), bad)
	}
	assert.NoError(t, errdoc.Options{InstanceURI: "tag:example.com,2025:request:"}.Validate())
}

// Documents of other servers, and this module's before request_id, carry
// the ID in instance only.
func TestParseProblemRequestIDFallbacks(t *testing.T) {
	for body, want := range map[string]string{
		`{"status":404,"title":"Not Found","instance":"urn:faultline:request:%2F%2Fx"}`: "//x",
		`{"status":404,"title":"Not Found","instance":"req-7"}`:                         "req-7",
		`{"status":404,"title":"Not Found","instance":"/i/1","request_id":"r-1"}`:       "r-1",
	} {
		list, err := errdoc.ParseDocument([]byte(body), true)
		require.NoError(t, err)
		assert.Equal(t, want, list[0].RequestID, body)
	}
}
