package errdoc

import "net/http"

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

// validLinkHost reports whether host may be written into a link as it is:
// a host name or an IPv4 address, or a bracketed IPv6 address, with an
// optional port; letters, digits, - . : [ ] only, at most 255 bytes. A Host
// header of any other shape (net/http admits more) gets no origin link:
// nothing a client sent is written that JSON or a URI would need to escape.
func validLinkHost(host string) bool {
	if host == "" || len(host) > 255 || host[0] == '.' || host[0] == ':' || host[0] == '-' {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == ':' || c == '[' || c == ']') {
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
