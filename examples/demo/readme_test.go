package demo

import (
	"testing"

	"github.com/faultline-go/faultline/examples/internal/readme"
)

// TestREADME checks that this directory's README snippets are the
// /v1/work group's code, so that they compile as shown and do what
// work_test.go says, and that the languages section of the repository's
// README is errdoc/translations' example.
func TestREADME(t *testing.T) {
	readme.Check(t, "README.md", "## Overload", "work.go")
	// The languages section is errdoc/translations' example, whose
	// output is checked.
	readme.Check(t, "../../README.md", "## Languages", "../../errdoc/translations/example_test.go")
}
