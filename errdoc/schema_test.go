package errdoc_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// schemas compiles the official schemas copied into testdata/schemas (see
// the README there for their source), with format assertions on.
var schemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	out := map[string]*jsonschema.Schema{}
	for _, name := range []string{"jsonapi-1.1.schema.json", "rfc9457-problem.schema.json"} {
		f, err := os.Open(filepath.Join("testdata", "schemas", name))
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

// requireValid fails t unless body validates against the named schema.
func requireValid(t testing.TB, schema string, body []byte) {
	t.Helper()
	all, err := schemas()
	require.NoError(t, err)
	require.True(t, json.Valid(body), "not JSON: %q", body)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	require.NoError(t, err)
	require.NoError(t, all[schema].Validate(inst), "document: %s", body)
}

func requireJSONAPI(t testing.TB, body []byte) {
	t.Helper()
	requireValid(t, "jsonapi-1.1.schema.json", body)
}
func requireProblem(t testing.TB, body []byte) {
	t.Helper()
	requireValid(t, "rfc9457-problem.schema.json", body)
}

// The validator must refuse what the schemas refuse, or the tests above
// prove nothing.
func TestSchemasRejectInvalidDocuments(t *testing.T) {
	all, err := schemas()
	require.NoError(t, err)
	for _, tc := range []struct{ schema, doc string }{
		{"jsonapi-1.1.schema.json", `{"errors":[{}]}`},
		{"jsonapi-1.1.schema.json", `{"errors":[{"status":404}]}`},
		{"jsonapi-1.1.schema.json", `{"errors":[{"status":"404","secret":"x"}]}`},
		{"rfc9457-problem.schema.json", `{"status":"404"}`},
		{"rfc9457-problem.schema.json", `{"type":"%zz"}`},
		{"rfc9457-problem.schema.json", `{"title":5}`},
	} {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(tc.doc)))
		require.NoError(t, err)
		require.Error(t, all[tc.schema].Validate(inst), tc.doc)
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
