package main

import (
	"os"
	"testing"

	"github.com/faultline-go/faultline/examples/internal/readme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADME checks that the README's snippets for the recoverer package are
// this program's code, so that they compile as shown and do what the tests
// here say.
func TestREADME(t *testing.T) {
	doc, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	src, err := os.ReadFile("main.go")
	require.NoError(t, err)
	snippets, err := readme.Snippets(string(doc), "### recoverer")
	require.NoError(t, err)
	require.NotEmpty(t, snippets)
	for _, s := range snippets {
		assert.True(t, readme.Contains(string(src), s), "README snippet not in examples/recoverer/main.go:\n%s", s)
	}
}
