package errdoc

import (
	"regexp"
	"testing"
)

// requestIDGrammar is what ValidRequestID documents, as a regular expression.
var requestIDGrammar = regexp.MustCompile(`^[A-Za-z0-9\-_.~+/=@:]{1,128}$`)

// FuzzValidRequestID: the eight-bytes-at-a-time check agrees with the
// documented grammar on every input.
func FuzzValidRequestID(f *testing.F) {
	for _, s := range []string{"abc-123", "", "a b", "4f1c2a9e8b7d6c5a4f3e2d1c", "//evil.example/phish", "12345678\x00", "é", "\r\nX: 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if got, want := ValidRequestID(id), requestIDGrammar.MatchString(id); got != want {
			t.Fatalf("ValidRequestID(%q) = %v, grammar says %v", id, got, want)
		}
	})
}
