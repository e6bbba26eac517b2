package readme

import (
	"os"
	"path/filepath"
	"runtime"
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

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
	fatal  bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatal(...any)          { r.failed, r.fatal = true, true; runtime.Goexit() }
func (r *recorder) Fatalf(string, ...any) { r.failed, r.fatal = true, true; runtime.Goexit() }

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	readmePath := filepath.Join(dir, "README.md")
	srcPath := filepath.Join(dir, "main.go")
	require.NoError(t, os.WriteFile(readmePath, []byte(doc), 0o600))
	require.NoError(t, os.WriteFile(srcPath, []byte("package main\n\nfunc f() {\n\tr := chi.NewRouter()\n\tr.Use(rd.Handler)\n\tmux := http.NewServeMux()\n}\n"), 0o600))

	run := func(heading, src string) *recorder {
		rec := &recorder{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			Check(rec, readmePath, heading, src)
		}()
		<-done
		return rec
	}
	assert.False(t, run("### errdoc", srcPath).failed, "both snippets are code of the file")
	assert.True(t, run("### recoverer", srcPath).failed, "r.Use(recoverer.New()) is not")
	assert.True(t, run("### ratelimit", srcPath).fatal, "no such section")
	assert.True(t, run("### errdoc", filepath.Join(dir, "missing.go")).fatal)
}
