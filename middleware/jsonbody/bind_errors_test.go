package jsonbody

import (
	"errors"
	"strings"
	"testing"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
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
