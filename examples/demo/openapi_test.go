package demo_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/examples/demo"
	"github.com/go-chi/chi/v5"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The OpenAPI document the demo serves describes exactly the routes it
// serves (no more, no fewer), and a real OpenAPI 3.1 validator accepts it.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	h := demo.NewRouter(demo.Config{DocsURL: "http://127.0.0.1:8080/docs/errors"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/docs/openapi.json", nil))
	require.Equal(t, http.StatusOK, rec.Code)

	parsed, err := libopenapi.NewDocument(rec.Body.Bytes())
	require.NoError(t, err)
	v, errs := validator.NewValidator(parsed)
	require.Empty(t, errs)
	valid, verrs := v.ValidateDocument()
	require.True(t, valid, "%v", verrs)

	var doc struct {
		Servers []struct{ URL string }
		Paths   map[string]map[string]json.RawMessage
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	require.NotEmpty(t, doc.Servers)
	assert.Equal(t, "http://127.0.0.1:8080", doc.Servers[0].URL, "the server is the demo's own origin")
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}

	var served []string
	require.NoError(t, chi.Walk(h.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.ReplaceAll(route, "/*/", "/") // chi.Walk's spelling of Route groups
		served = append(served, method+" "+route)
		return nil
	}))
	sort.Strings(served)
	sort.Strings(documented)
	assert.Equal(t, served, documented)
}
