package ratelimit

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"
)

// KeyFunc returns the key a request is counted under. It is httprate's type,
// so httprate's key functions (httprate.KeyByEndpoint, httprate.JoinKeys, ...)
// work here. A KeyFunc error is rendered as the request's error document: an
// *errdoc.Error keeps its status, any other error is a 500.
type KeyFunc = httprate.KeyFunc

// KeyByIP keys requests by client IP: the IP that one of chi's
// middleware.ClientIPFrom* middlewares resolved from a trusted proxy, else the
// TCP peer. Forwarding headers (X-Forwarded-For, X-Real-IP, True-Client-IP)
// are never read here: trusting them is ClientIPFromXFF's decision, made
// with the proxies' addresses. IPv6 addresses are keyed by their /64
// (httprate.CanonicalizeIP), so a client cannot rotate through its own
// prefix.
func KeyByIP(r *http.Request) (string, error) {
	return clientIP(r), nil
}

func clientIP(r *http.Request) string {
	if ip := chimw.GetClientIP(r.Context()); ip != "" {
		return httprate.CanonicalizeIP(ip)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return httprate.CanonicalizeIP(host)
}

// KeyByHeader keys requests by the value of an API-key or token header,
// hashed (SHA-256) so that no credential is kept in memory or Redis. A
// request without the header is keyed by KeyByIP.
func KeyByHeader(name string) KeyFunc {
	canonical := http.CanonicalHeaderKey(name)
	return func(r *http.Request) (string, error) {
		v := r.Header[canonical]
		if len(v) == 0 || v[0] == "" {
			return "ip:" + clientIP(r), nil
		}
		sum := sha256.Sum256([]byte(v[0]))
		return "key:" + hex.EncodeToString(sum[:16]), nil
	}
}

// KeyByUser keys requests by the authenticated user that user finds in the
// request (typically in its context, put there by your authentication
// middleware). A request without a user is keyed by KeyByIP.
func KeyByUser(user func(*http.Request) (string, bool)) KeyFunc {
	return func(r *http.Request) (string, error) {
		if id, ok := user(r); ok && id != "" {
			return "user:" + id, nil
		}
		return "ip:" + clientIP(r), nil
	}
}

// KeyByRoute keys requests by chi route pattern ("/v1/items/{id}"), so each
// route has its own budget; combine it with a client key using Keys. Before
// routing has matched a pattern (a limiter mounted router-wide with Use), it
// falls back to the URL path.
func KeyByRoute(r *http.Request) (string, error) {
	if rctx := chi.RouteContext(r.Context()); rctx != nil {
		if p := rctx.RoutePattern(); p != "" && p != "/*" {
			return p, nil
		}
	}
	if r.Pattern != "" {
		return r.Pattern, nil
	}
	return r.URL.Path, nil
}

// Keys combines key functions, as httprate.JoinKeys does:
// Keys(KeyByIP, KeyByRoute) limits each client on each route.
func Keys(fns ...KeyFunc) KeyFunc {
	return httprate.JoinKeys(fns...)
}
