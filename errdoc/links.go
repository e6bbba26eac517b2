package errdoc

import (
	"net/http"
	"strings"
)

// DefaultDocsPath is where a renderer without Options.DocsURL links its
// documents to: the response-code page on the request's own origin, which
// middleware.Routing serves there unless a route of the application does.
const DefaultDocsPath = "/docs/errors"

// linkOrigin reports whether the docs links of a document answering r are
// written on r's own origin: the renderer links there by default and r
// names a host that can be written as it is. Each document decides it once.
func (rd *Renderer) linkOrigin(r *http.Request) bool {
	return rd.originLinks && r != nil && validLinkHost(r.Host)
}

// hasAbsoluteLink reports whether a document's docs links are absolute
// (JSON:API's links need one); origin is linkOrigin's answer.
func (rd *Renderer) hasAbsoluteLink(origin bool) bool {
	return origin || !rd.originLinks && rd.absLinks
}

// appendDocsLink appends, as a JSON string, the docs link of ce for a
// document answering r: DocsURL#code when DocsURL is set; by default, when
// origin (see linkOrigin), the response-code page on r's own origin
// (scheme://host/docs/errors#code), else the bare path; "about:blank" when
// DocsURL is "-".
func (rd *Renderer) appendDocsLink(b []byte, r *http.Request, ce *centry, origin bool) []byte {
	if !origin {
		return append(b, ce.qProblem...)
	}
	b = append(b, `"http`...)
	if r.TLS != nil {
		b = append(b, 's')
	}
	b = append(b, "://"...)
	b = append(b, r.Host...)
	b = append(b, DefaultDocsPath+"#"...)
	b = append(b, ce.Code...) // catalog codes need no escaping
	return append(b, '"')
}

// validLinkHost reports whether host may be written into a link as it is,
// as a URI's authority: a host name or an IPv4 address (letters, digits,
// - and ., not starting with either), or an IPv6 address in brackets (hex
// digits, : and .), then an optional port of one to five digits; at most
// 255 bytes. A Host header of any other shape (net/http admits more, "[::1"
// among them) gets no origin link: nothing a client sent is written that
// is not a valid authority, or that JSON would need to escape.
func validLinkHost(host string) bool {
	if host == "" || len(host) > 255 {
		return false
	}
	rest := host
	if host[0] == '[' {
		end := strings.IndexByte(host, ']')
		if end < 3 { // "[::]" is the shortest
			return false
		}
		for i := 1; i < end; i++ {
			if c := host[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.') {
				return false
			}
		}
		rest = host[end+1:]
	} else {
		name := host
		if i := strings.IndexByte(host, ':'); i >= 0 {
			name, rest = host[:i], host[i:]
		} else {
			rest = ""
		}
		if name == "" || name[0] == '.' || name[0] == '-' {
			return false
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
				return false
			}
		}
	}
	if rest == "" {
		return true
	}
	if rest[0] != ':' || len(rest) < 2 || len(rest) > 6 {
		return false
	}
	for i := 1; i < len(rest); i++ {
		if c := rest[i]; c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ServeDefaultDocs serves the response-code page (DocsHandler with zero
// DocsOptions) when rd links documents to DefaultDocsPath (Options.DocsURL
// is empty) and r asks for that path with GET or HEAD, and reports whether
// it did. Routers call it before answering 404, so that the links in
// documents resolve with no route of the application's own: Routing and
// ServeMux of package middleware do. The page is built at the first such
// request and kept.
func (rd *Renderer) ServeDefaultDocs(w http.ResponseWriter, r *http.Request) bool {
	if !rd.originLinks || r.URL.Path != DefaultDocsPath || r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	rd.defaultDocs.Do(func() { rd.defaultDocsHandler = rd.DocsHandler(DocsOptions{}) })
	rd.defaultDocsHandler.ServeHTTP(w, r)
	return true
}
