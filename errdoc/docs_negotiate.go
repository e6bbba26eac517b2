package errdoc

import "strings"

// docsFormat is a representation of the response-code page.
type docsFormat uint8

const (
	docsMarkdown docsFormat = iota // first: the answer to */* and to no Accept
	docsHTML
	docsOpenAPI
	docsNone // nothing the client accepts
)

// docsMediaTypes are the media types each representation answers to, its
// own Content-Type first.
var docsMediaTypes = [...][]string{
	docsMarkdown: {"text/markdown"},
	docsHTML:     {"text/html"}, // not XHTML: the page is HTML, not well-formed XML
	docsOpenAPI:  {"application/vnd.oai.openapi+json", "application/json"},
}

// negotiateDocs picks the page's representation for an Accept header, as
// RFC 9110 §12.5.1 says: each representation gets the q-value of the most
// specific media range that matches one of its media types (type/subtype
// over type/* over */*), the highest q-value wins, and ties go to the
// earlier representation (Markdown, HTML, OpenAPI). No Accept header means
// Markdown; an Accept header that allows none of them means docsNone.
func negotiateDocs(accept string) docsFormat {
	if strings.TrimSpace(accept) == "" {
		return docsMarkdown
	}
	best, bestQ := docsNone, 0
	for f := docsMarkdown; f < docsNone; f++ {
		q := -1
		for _, mt := range docsMediaTypes[f] {
			if mq := acceptQ(accept, mt); mq > q {
				q = mq
			}
		}
		if q > bestQ {
			best, bestQ = f, q
		}
	}
	return best
}

// acceptQ returns the q-value, in thousandths, that accept gives media type
// mt (lowercase type/subtype): that of the most specific matching range,
// the highest among equally specific ones, and 0 when no range matches.
func acceptQ(accept, mt string) int {
	typ, _, _ := strings.Cut(mt, "/")
	q, spec := 0, -1
	for accept != "" {
		var part string
		part, accept, _ = strings.Cut(accept, ",")
		rng, params, _ := strings.Cut(part, ";")
		rng = strings.ToLower(strings.TrimSpace(rng))
		s := -1
		switch {
		case rng == mt:
			s = 2
		case rng == typ+"/*":
			s = 1
		case rng == "*/*":
			s = 0
		}
		if s < 0 || s < spec {
			continue
		}
		rq, ok := qValue(params)
		if !ok {
			continue // an unusable weight: the range is ignored
		}
		if s > spec || rq > q {
			q, spec = rq, s
		}
	}
	return q
}
