package errdoc

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAcceptQ(t *testing.T) {
	tests := []struct {
		accept, mt string
		q          int
	}{
		{"text/html", "text/html", 1000},
		{"text/html;q=0.5", "text/html", 500},
		{"text/*;q=0.3, */*;q=0.9", "text/html", 300}, // the more specific range counts
		{"*/*;q=0.9, text/html;q=0", "text/html", 0},  // an exact refusal beats a wildcard
		{"text/html;q=0.2, text/html;q=0.7", "text/html", 700},
		{"TEXT/HTML ; Q=0.4", "text/html", 400},
		{"application/json", "text/html", 0},
		{"", "text/html", 0},
		{"text/html;level=1;q=0.6", "text/html", 600},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.q, acceptQ(tc.accept, tc.mt), "%q for %s", tc.accept, tc.mt)
	}
}

// FuzzNegotiateDocs feeds arbitrary Accept headers to the page's
// negotiation: it never panics, and what it picks is something the header
// accepts (or the default when the header is empty).
func FuzzNegotiateDocs(f *testing.F) {
	for _, s := range []string{"", "*/*", "text/html,*/*;q=0.8", "text/markdown;q=0", "a/b;q=0.5,,;;=,",
		"application/vnd.oai.openapi+json;q=1.0", "text/*;q=0.001", "\x00;q=\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		got := negotiateDocs(accept)
		if strings.TrimSpace(accept) == "" {
			if got != docsMarkdown {
				t.Fatalf("%q: no Accept must mean Markdown, got %d", accept, got)
			}
			return
		}
		for f := docsMarkdown; f < docsNone; f++ {
			q := 0
			for _, mt := range docsMediaTypes[f] {
				q = max(q, acceptQ(accept, mt))
			}
			switch {
			case got == docsNone && q > 0:
				t.Fatalf("%q: nothing picked, but %d is accepted", accept, f)
			case got == f && q == 0:
				t.Fatalf("%q: picked %d, which it does not accept", accept, f)
			}
		}
		if got > docsNone {
			t.Fatalf("%q: format %d out of range", accept, got)
		}
	})
}
