package readme

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const doc = "# title\n\n## Packages\n\n### errdoc\n\nText.\n\n```go\nr := chi.NewRouter()\nr.Use(rd.Handler)\n```\n\n```sh\ncurl localhost\n```\n\n" +
	"```go\nmux := http.NewServeMux()\n```\n\n### recoverer\n\n```go\nr.Use(recoverer.New())\n```\n\n## Next\n\n```go\nafter()\n```\n"

func TestSnippets(t *testing.T) {
	got, err := Snippets(doc, "### errdoc")
	require.NoError(t, err)
	assert.Equal(t, []string{"r := chi.NewRouter()\nr.Use(rd.Handler)", "mux := http.NewServeMux()"}, got)

	got, err = Snippets(doc, "### recoverer")
	require.NoError(t, err)
	assert.Equal(t, []string{"r.Use(recoverer.New())"}, got, "the section ends at the next heading of its level or higher")

	got, err = Snippets(doc, "## Packages")
	require.NoError(t, err)
	assert.Len(t, got, 3, "subsections belong to their section")

	_, err = Snippets(doc, "### ratelimit")
	assert.Error(t, err)
	_, err = Snippets(doc, "ratelimit")
	assert.Error(t, err)
}

func TestContains(t *testing.T) {
	src := "func f() {\n\tr := chi.NewRouter()\n\tr.Use(rd.Handler)\n\n\tr.Get(\"/\", h)\n}\n"
	for _, tt := range []struct {
		snippet string
		want    bool
	}{
		{"r := chi.NewRouter()\nr.Use(rd.Handler)", true},
		{"r.Use(rd.Handler)\n\nr.Get(\"/\", h)", true},
		{"\nr := chi.NewRouter()\n", true},
		{"r := chi.NewRouter()\nr.Get(\"/\", h)", false},
		{"r.Use(rd.Handler())", false},
		{"", false},
	} {
		assert.Equal(t, tt.want, Contains(src, tt.snippet), "%q", tt.snippet)
	}
}
