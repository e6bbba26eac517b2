package main

import (
	"testing"

	"github.com/faultline-go/faultline/examples/internal/readme"
)

// TestREADME checks that the README's snippets for the middleware package are
// this program's code, so that they compile as shown and do what the tests
// here say.
func TestREADME(t *testing.T) {
	readme.Check(t, "README.md", "## middleware", "main.go")
}
