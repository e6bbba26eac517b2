package ratelimit

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
)

// KeyFunc returns the key a request is counted under. It is an alias of
// the function type, not a type of its own, so that go-chi/httprate's key
// functions and httprate.KeyFunc values work here too (without this package
// importing httprate, which would link its hash into every program that
// limits requests), but mind which of them a client can mint
// (httprate.KeyByEndpoint keys by the raw path: every made-up path is a new
// budget). A KeyFunc error is rendered as the request's error
// document: an *errdoc.Error keeps its status, any other error is a 500.
//
// Which key functions are safe for unauthenticated traffic, that is, give a
// client no way to mint fresh budgets:
//
//   - KeyByIP and KeyByIPPrefix: the TCP peer (or the address a trusted proxy
//     reported through chi's middleware.ClientIPFrom*). An IPv4 client has
//     one key, an IPv6 client one per prefix (choose the prefix its provider
//     allocates).
//   - KeyByAPIKey: only values your lookup recognises become keys; anything
//     else is counted by IP.
//   - KeyByRoute: the route pattern, a fixed set the router defines.
//   - KeyByUser, when its user comes from your authentication middleware.
//
// Any function that keys by a header, cookie, query or path value as sent is
// not safe: one client sending a thousand made-up values gets a thousand
// budgets. Whatever the key, memory is bounded by MemoryOptions.MaxKeys and
// a Redis entry (package rediscounter) costs a fixed size (long keys are
// hashed) and lives at most two windows.
type KeyFunc = func(r *http.Request) (string, error)

// Key kinds: every key a function of this package returns, except an IP's,
// starts with its kind, so that keys of different kinds never collide (an
// IP never contains these prefixes).
const (
	kindAPIKey = "key:"
	kindUser   = "user:"
	kindRoute  = "route:"
	kindPeer   = "peer:"
)

// KeyByIP keys requests by client IP: the IP that one of chi's
// middleware.ClientIPFrom* middlewares resolved from a trusted proxy, else the
// TCP peer. Forwarding headers (X-Forwarded-For, X-Real-IP, True-Client-IP)
// are never read here: trusting them is ClientIPFromXFF's decision, made with
// the proxies' addresses. IPv6 addresses are keyed by their /64 (use
// KeyByIPPrefix for /48 or /56 allocations), zones are dropped, and
// IPv4-mapped IPv6 addresses are keyed as the IPv4 address they are.
func KeyByIP(r *http.Request) (string, error) {
	return clientIP(r, 64), nil
}

// KeyByIPPrefix is KeyByIP keying IPv6 clients by their first bits bits:
// 64 (one subnet, KeyByIP's choice), 56 or 48 (the allocations many
// providers give one customer: with /64 keys, one /48 is 65,536 budgets).
//
// KeyByIPPrefix panics if bits is not between 16 and 128.
func KeyByIPPrefix(bits int) KeyFunc {
	if bits < 16 || bits > 128 {
		panic(fmt.Sprintf("ratelimit: KeyByIPPrefix(%d): the prefix must be between 16 and 128 bits", bits))
	}
	return func(r *http.Request) (string, error) {
		return clientIP(r, bits), nil
	}
}

// clientIP returns the canonical key of the request's client: an IPv4
// address as it is (no allocation), an IPv6 one as its prefix of bits.
func clientIP(r *http.Request, bits int) string {
	if ip := chimw.GetClientIP(r.Context()); ip != "" {
		return canonicalIP(ip, bits)
	}
	return canonicalIP(peerHost(r.RemoteAddr), bits)
}

// peerHost returns the host of a "host:port" or "[host]:port" peer address,
// or the address itself when it has no port.
func peerHost(addr string) string {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return addr
	}
	host := addr[:i]
	if len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']' {
		return host[1 : len(host)-1]
	}
	if strings.IndexByte(host, ':') >= 0 {
		return addr // a bare IPv6 address, no port
	}
	return host
}

// maxOpaqueAddr bounds what an address that does not parse can cost as a key.
const maxOpaqueAddr = 64

// canonicalIP normalises an address: IPv4 unchanged, IPv4-mapped IPv6 as
// IPv4, IPv6 without its zone and masked to bits. A peer address that is
// not an IP (a Unix socket, a test's made-up RemoteAddr) is kept after
// "peer:", cut to 64 bytes; clients never choose it.
func canonicalIP(s string, bits int) string {
	addr, err := netip.ParseAddr(s)
	if err != nil {
		if len(s) > maxOpaqueAddr {
			s = s[:maxOpaqueAddr]
		}
		return kindPeer + s
	}
	if addr.Is4() {
		return s // ParseAddr accepts only the canonical dotted quad
	}
	addr = addr.WithZone("")
	if addr.Is4In6() {
		return addr.Unmap().String()
	}
	p, _ := addr.Prefix(bits) // bits is within 0..128: no error
	return p.String()
}

// KeyByAPIKey keys requests by API key, counting only keys lookup
// recognises: lookup gets the header's value and returns the account (or
// key ID) it belongs to. A request without the header, or with a value
// lookup does not know, is counted by its IP (KeyByIP), so that made-up keys
// cost a client nothing but its own IP's budget. Account IDs are kept as
// given; use IDs, not the secrets themselves.
//
// lookup runs on every request: make it a map or cache read. An error from
// it is rendered as the request's error document (say a 503 while the key
// store is down).
//
// KeyByAPIKey panics if header is empty or lookup is nil.
func KeyByAPIKey(header string, lookup func(ctx context.Context, key string) (account string, ok bool, err error)) KeyFunc {
	if header == "" || lookup == nil {
		panic("ratelimit: KeyByAPIKey needs a header name and a lookup")
	}
	canonical := http.CanonicalHeaderKey(header)
	return func(r *http.Request) (string, error) {
		v := r.Header[canonical]
		if len(v) == 0 || v[0] == "" {
			return clientIP(r, 64), nil
		}
		account, ok, err := lookup(r.Context(), v[0])
		if err != nil {
			return "", err
		}
		if !ok || account == "" {
			return clientIP(r, 64), nil
		}
		return kindAPIKey + account, nil
	}
}

// KeyByUser keys requests by the authenticated user that user finds in the
// request (typically in its context, put there by your authentication
// middleware). A request without a user is keyed by KeyByIP. It is safe for
// unauthenticated traffic only if user never returns a value the client
// chose without proving it.
func KeyByUser(user func(*http.Request) (string, bool)) KeyFunc {
	return func(r *http.Request) (string, error) {
		if id, ok := user(r); ok && id != "" {
			return kindUser + id, nil
		}
		return clientIP(r, 64), nil
	}
}

// unmatchedRoute is the one key of every request no route matches (404s and
// 405s): made-up paths share one budget.
const unmatchedRoute = kindRoute + "(unmatched)"

// KeyByRoute keys requests by chi route pattern ("/v1/items/{id}"), so each
// route has its own budget; combine it with a client key using Keys. It
// works wherever the limiter is mounted: on a route (With), the pattern chi
// matched; router-wide (Use), before routing, the pattern chi will match
// for the request's method and path (chi's Routes.Find). It never keys by
// the raw path: every request no route matches shares one key, and so does
// every request served without chi (where http.ServeMux set r.Pattern, that
// pattern).
func KeyByRoute(r *http.Request) (string, error) {
	rctx := chi.RouteContext(r.Context())
	if rctx == nil {
		if r.Pattern != "" {
			return kindRoute + r.Pattern, nil
		}
		return unmatchedRoute, nil
	}
	// On a route, routing is done: the pattern is whole, unless it ends in
	// a mount's "/*" (a subrouter's Use runs before its own routing).
	if p := rctx.RoutePattern(); p != "" && !strings.HasSuffix(p, "/*") {
		return kindRoute + p, nil
	}
	if rctx.Routes == nil {
		return unmatchedRoute, nil
	}
	method := rctx.RouteMethod
	if method == "" {
		method = r.Method
	}
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	if path == "" {
		path = "/"
	}
	// Find works on a context of its own: the request's is still routing.
	if p := rctx.Routes.Find(chi.NewRouteContext(), method, path); p != "" {
		return kindRoute + p, nil
	}
	return unmatchedRoute, nil
}

// Keys combines key functions: Keys(KeyByIP, KeyByRoute) limits each client
// on each route. Parts are joined with a byte no part of this package's
// keys contains, so different parts never join to the same key.
func Keys(fns ...KeyFunc) KeyFunc {
	return func(r *http.Request) (string, error) {
		var b strings.Builder
		for i, fn := range fns {
			k, err := fn(r)
			if err != nil {
				return "", err
			}
			if i > 0 {
				b.WriteByte(keySep)
			}
			b.WriteString(k)
		}
		return b.String(), nil
	}
}

const keySep = '\x1f' // ASCII unit separator
