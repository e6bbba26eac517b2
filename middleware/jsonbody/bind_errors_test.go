package jsonbody

import (
	"errors"
	"strings"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/faultline-go/faultline/errdoc"
)

// TestSyntaxKinds pins the decoder's messages that syntaxKindOf matches:
// a decoder upgrade that rewords them fails here, not in production.
func TestSyntaxKinds(t *testing.T) {
	tests := []struct {
		body string
		want syntaxKind
	}{
		{`{"a":`, syntaxTruncated},
		{`{} x`, syntaxTrailing},
		{`{"a":1,"a":2}`, syntaxDuplicate},
		{"\"\xff\"", syntaxUTF8},
		{strings.Repeat("[", 10001), syntaxDepth},
		{`{"a" 1}`, syntaxOther},
	}
	for _, tc := range tests {
		var v any
		err := json.Unmarshal([]byte(tc.body), &v)
		var se *jsontext.SyntacticError
		if !errors.As(err, &se) {
			t.Fatalf("%.20q: %T %v", tc.body, err, err)
		}
		if got := syntaxKindOf(se); got != tc.want {
			t.Errorf("%.20q: kind %d, want %d (%v)", tc.body, got, tc.want, se.Err)
		}
	}
}

// TestAmbiguousName pins the decoder's message for a member name that
// matches two fields case-insensitively, which semanticError matches (the
// decoder exports no sentinel for it), and the detail it turns into.
func TestAmbiguousName(t *testing.T) {
	type twins struct {
		A int `json:"aB"`
		B int `json:"Ab"`
	}
	var v twins
	err := json.Unmarshal([]byte(`{"ab":1}`), &v, json.MatchCaseInsensitiveNames(true))
	var se *json.SemanticError
	if !errors.As(err, &se) || se.Err == nil || se.Err.Error() != "ambiguous object member name" {
		t.Fatalf("decoder error %#v", err)
	}
	e := semanticError(se)
	detail := errdoc.DefaultCatalog().Detail(e, "en")
	if e.Source.Pointer != "/ab" || !strings.Contains(detail, "matches more than one field") {
		t.Fatalf("pointer %q, detail %q", e.Source.Pointer, detail)
	}
}
