package errdoc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

// state is what errdoc keeps in a request's context: the renderer and the
// request ID, in one value so that Handler costs one context node.
type state struct {
	rd  *Renderer
	id  string
	hdr [1]string // backing array of the echoed request-ID header value
}

type stateKey struct{}

func stateFrom(ctx context.Context) *state {
	s, _ := ctx.Value(stateKey{}).(*state)
	return s
}

// WithRequestID returns ctx carrying the request ID id, and the renderer ctx
// already carries.
func WithRequestID(ctx context.Context, id string) context.Context {
	s := &state{id: id}
	if prev := stateFrom(ctx); prev != nil {
		s.rd = prev.rd
	}
	return context.WithValue(ctx, stateKey{}, s)
}

// RequestIDFrom returns the request ID stored in ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	if s := stateFrom(ctx); s != nil {
		return s.id
	}
	return ""
}

// ValidRequestID reports whether a client-sent request ID may be echoed: 1 to
// 128 bytes of letters, digits and - _ . ~ + / = @ :. Anything else is
// replaced by a new ID, so no client text of another shape reaches logs,
// headers or documents.
func ValidRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '=' || c == '@' || c == ':') {
			return false
		}
	}
	return true
}

// NewRequestID returns a random request ID of 24 hex digits.
func NewRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}
