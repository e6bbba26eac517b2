// Package schematest validates error documents against the official JSON:API
// 1.1 and RFC 9457 schemas, for the tests of every package in this module.
//
// The schemas are copies embedded from schemas/ (its README says where they
// come from), so no test reaches outside the repository.
package schematest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The names of the embedded schemas.
const (
	JSONAPI = "jsonapi-1.1.schema.json"
	Problem = "rfc9457-problem.schema.json"
)

//go:embed schemas/*.json
var files embed.FS

// compiled holds the schemas, compiled once with format assertions on.
var compiled = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	out := map[string]*jsonschema.Schema{}
	for _, name := range []string{JSONAPI, Problem} {
		raw, err := files.ReadFile("schemas/" + name)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
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

// Validate returns an error unless body is JSON valid against the named
// schema (JSONAPI or Problem).
func Validate(schema string, body []byte) error {
	all, err := compiled()
	if err != nil {
		return err
	}
	s, ok := all[schema]
	if !ok {
		return fmt.Errorf("schematest: no schema %q", schema)
	}
	if !json.Valid(body) {
		return fmt.Errorf("schematest: not JSON: %q", body)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return err
	}
	if err := s.Validate(inst); err != nil {
		return fmt.Errorf("%w\ndocument: %s", err, body)
	}
	return nil
}

// RequireJSONAPI fails t unless body is a valid JSON:API document.
func RequireJSONAPI(t testing.TB, body []byte) {
	t.Helper()
	if err := Validate(JSONAPI, body); err != nil {
		t.Fatal(err)
	}
}

// RequireProblem fails t unless body is a valid RFC 9457 problem document.
// The schema requires no member, so callers assert the RFC's MUSTs (status
// equal to the HTTP status, say) themselves.
func RequireProblem(t testing.TB, body []byte) {
	t.Helper()
	if err := Validate(Problem, body); err != nil {
		t.Fatal(err)
	}
}
