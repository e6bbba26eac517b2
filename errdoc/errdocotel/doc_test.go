package errdocotel_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc/errdocotel"
)

var update = flag.Bool("update", false, "rewrite the error.type table of doc.go")

// TestErrorTypeTable: the error.type table of the package documentation
// is the one ErrorTypeTable generates from the default catalog.
func TestErrorTypeTable(t *testing.T) {
	want := errdocotel.ErrorTypeTable(nil)
	for _, doc := range []struct {
		file, prefix string
	}{
		{"doc.go", "//\t"},
	} {
		raw, err := os.ReadFile(doc.file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		header := doc.prefix + "| `error.type` | status | span status |\n"
		start := strings.Index(text, header)
		if start < 0 {
			t.Errorf("%s has no error.type table (a line %q)", doc.file, header)
			continue
		}
		end := start
		for end < len(text) && strings.HasPrefix(text[end:], doc.prefix+"|") {
			end += strings.IndexByte(text[end:], '\n') + 1
		}
		var b strings.Builder
		for _, line := range strings.SplitAfter(want, "\n") {
			if line != "" {
				b.WriteString(doc.prefix + line)
			}
		}
		if got := text[start:end]; got != b.String() {
			if *update {
				if err := os.WriteFile(doc.file, []byte(text[:start]+b.String()+text[end:]), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			t.Errorf("%s's error.type table drifted from the catalog; run go test -run TestErrorTypeTable -update in errdoc/errdocotel.\nwant:\n%s\ngot:\n%s", doc.file, b.String(), got)
		}
	}
}
