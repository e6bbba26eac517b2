package schematest

import "testing"

// The validator must refuse what the schemas refuse, or every test that
// relies on it proves nothing.
func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		schema, doc string
		ok          bool
	}{
		{JSONAPI, `{"errors":[{"status":"404","code":"not_found","title":"Not Found"}]}`, true},
		{JSONAPI, `{"errors":[{}]}`, false},
		{JSONAPI, `{"errors":[{"status":404}]}`, false},
		{JSONAPI, `{"errors":[{"status":"404","secret":"x"}]}`, false},
		{JSONAPI, `{"errors":[{"links":{"about":"/relative"}}]}`, false},
		{Problem, `{"type":"https://example.com/docs#x","status":404,"instance":"urn:example:1"}`, true},
		{Problem, `{"status":"404"}`, false},
		{Problem, `{"type":"%zz"}`, false},
		{Problem, `{"title":5}`, false},
		{Problem, `not json`, false},
		{"nope", `{}`, false},
	} {
		err := Validate(tc.schema, []byte(tc.doc))
		if (err == nil) != tc.ok {
			t.Errorf("Validate(%s, %s) = %v, want ok=%v", tc.schema, tc.doc, err, tc.ok)
		}
	}
}
