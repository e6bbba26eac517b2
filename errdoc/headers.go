package errdoc

import (
	"net/http"
	"strings"
)

// This file holds the one rule for the headers of an error response, applied
// by Write (and so by every writer of documents: HandlerFunc, the recoverer,
// the middlewares of this module):
//
//  1. The headers a handler set for the success it abandoned are dropped,
//     because they describe a representation that is not sent (see
//     successHeader for the list).
//  2. The error's own headers (Error.Header: Retry-After, Allow,
//     WWW-Authenticate, a Cache-Control of its own...) are set.
//  3. Unless the error set Cache-Control or Expires, Options.CacheControl
//     is set: "no-store" by default.
//  4. Every document gets "Vary: Accept", merged into the Vary the response
//     already has. Also from a Strict renderer, whose format does not
//     depend on Accept: which format a route group answers in is
//     configuration that changes over an API's life (a legacy group moved
//     to problem details), and other middlewares of the route (406 checks)
//     read Accept too. Saying so costs a cache nothing it may keep.
//
// Kept on purpose: Set-Cookie (a session refreshed or a token rotated before
// the failure is in effect on the server: a client that never learned it
// would fall out of step; no-store keeps shared caches from storing it),
// Vary (CORS and other middlewares select on other fields too), Link,
// Access-Control-*, security headers such as Content-Security-Policy, and
// the request ID.

// successHeader reports whether the header named k (in any case) describes
// the abandoned success's representation or its caching and must not travel
// with an error document, and whether a 304 keeps it anyway: a 304 must
// carry the validators and caching fields the 200 would have (RFC 9110,
// section 15.4.5).
func successHeader(k string) (drop, keepOn304 bool) {
	is := func(name string) bool { return strings.EqualFold(k, name) }
	switch len(k) {
	case 3:
		return is("Age"), true
	case 4:
		return is("Etag"), true
	case 6:
		if is("Pragma") {
			return true, true
		}
		return is("Digest"), false
	case 7:
		if is("Expires") {
			return true, true
		}
		return is("Refresh") || is("Trailer"), false
	case 8:
		return is("Location"), false
	case 11:
		return is("Content-Md5") || is("Repr-Digest"), false
	case 12:
		return is("Content-Type"), false
	case 13:
		if is("Cache-Control") || is("Last-Modified") {
			return true, true
		}
		return is("Accept-Ranges") || is("Content-Range"), false
	case 14:
		return is("Content-Length") || is("Content-Digest"), false
	case 16:
		if is("Content-Location") {
			return true, true
		}
		return is("Content-Encoding") || is("Content-Language"), false
	case 19:
		return is("Content-Disposition"), false
	}
	// Trailer values announced with http.TrailerPrefix.
	return len(k) > len(http.TrailerPrefix) && strings.EqualFold(k[:len(http.TrailerPrefix)], http.TrailerPrefix), false
}

// dropSuccessHeaders removes from h what successHeader names, keeping what a
// 304 keeps when notModified is set. Content-Type and Cache-Control under
// their canonical names are left to the caller, which replaces them (see
// Write): deleting and setting them again would cost a map insertion each.
//
// reqIDHdr is the renderer's request-ID header: with it, the headers this
// module's middlewares set before a document (ratelimit's RateLimit and
// RateLimit-Policy, a Vary) are looked up first, and when they are all
// the response has, nothing can be dropped and the map is not iterated:
// a few lookups cost less than starting an iteration.
func dropSuccessHeaders(h http.Header, notModified bool, reqIDHdr string) {
	if onlyKept(h, reqIDHdr) {
		return
	}
	for k := range h {
		if k == "Content-Type" || k == "Cache-Control" {
			continue
		}
		if drop, keep304 := successHeader(k); drop && !(notModified && keep304) {
			delete(h, k)
		}
	}
}

// onlyKept reports whether every key of h is one of a few canonical names
// successHeader keeps (or dropSuccessHeaders leaves to its caller).
func onlyKept(h http.Header, reqIDHdr string) bool {
	if len(h) == 0 {
		return true
	}
	n := 0
	for _, k := range [...]string{reqIDHdr, "Ratelimit", "Ratelimit-Policy", "Vary", "Content-Type", "Cache-Control", "X-Content-Type-Options"} {
		if _, ok := h[k]; ok {
			n++
		}
		if n == len(h) {
			return true
		}
	}
	return false
}

var (
	hdrVaryAccept     = []string{"Accept"}
	hdrVaryAcceptLang = []string{"Accept, Accept-Language"}
)

// varyAcceptLanguage adds Accept and Accept-Language to h's Vary, as
// VaryAccept adds Accept, in at most one allocation.
func varyAcceptLanguage(h http.Header) {
	vs := h["Vary"]
	if len(vs) == 0 {
		h["Vary"] = hdrVaryAcceptLang
		return
	}
	star, accept, lang := varyNames(vs)
	switch {
	case star || accept && lang:
	case accept:
		h["Vary"] = append(vs[:len(vs):len(vs)], "Accept-Language")
	case lang:
		h["Vary"] = append(vs[:len(vs):len(vs)], "Accept")
	default:
		h["Vary"] = append(vs[:len(vs):len(vs)], hdrVaryAcceptLang[0])
	}
}

// varyNames reports whether the Vary field lines vs list "*", Accept and
// Accept-Language.
func varyNames(vs []string) (star, accept, lang bool) {
	for _, v := range vs {
		for v != "" {
			var tok string
			if i := strings.IndexByte(v, ','); i >= 0 {
				tok, v = v[:i], v[i+1:]
			} else {
				tok, v = v, ""
			}
			switch tok = strings.TrimSpace(tok); {
			case tok == "*":
				star = true
			case strings.EqualFold(tok, "Accept"):
				accept = true
			case strings.EqualFold(tok, "Accept-Language"):
				lang = true
			}
		}
	}
	return star, accept, lang
}

// VaryAccept adds Accept to h's Vary, unless Vary already names it or is
// "*". Every document Write sends gets it; a middleware whose successful
// responses depend on Accept (a 406 check that picks a media type) calls it
// too. The existing values are never modified in place: a handler may have
// set Vary to a slice shared by every response.
func VaryAccept(h http.Header) {
	vs := h["Vary"]
	if len(vs) == 0 {
		h["Vary"] = hdrVaryAccept
		return
	}
	if star, accept, _ := varyNames(vs); star || accept {
		return
	}
	h["Vary"] = append(vs[:len(vs):len(vs)], "Accept")
}
