package errdoc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

// state is what errdoc keeps in a request's context: the renderer and the
// request ID, in one value so that Handler costs one context node.
type state struct {
	rd *Renderer
	// ids[0] is the request ID; ids[:] is also the value of the echoed
	// request-ID header, so that echoing it allocates nothing.
	ids [1]string
}

func (s *state) id() string { return s.ids[0] }

type stateKey struct{}

// stateCtx is the context node Handler adds: it answers for stateKey
// itself, so that the node and its state are one allocation, and delegates
// every other key, Done, Err and Deadline to its parent.
type stateCtx struct {
	context.Context
	s state
}

func (c *stateCtx) Value(key any) any {
	if _, ok := key.(stateKey); ok {
		return &c.s
	}
	return c.Context.Value(key)
}

func (c *stateCtx) String() string { return "errdoc.Handler context" }

func stateFrom(ctx context.Context) *state {
	s, _ := ctx.Value(stateKey{}).(*state)
	return s
}

// WithRequestID returns ctx carrying the request ID id, and the renderer ctx
// already carries.
func WithRequestID(ctx context.Context, id string) context.Context {
	s := &state{ids: [1]string{id}}
	if prev := stateFrom(ctx); prev != nil {
		s.rd = prev.rd
	}
	return context.WithValue(ctx, stateKey{}, s)
}

// RequestIDFrom returns the request ID stored in ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	if s := stateFrom(ctx); s != nil {
		return s.id()
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
	// One branch per ID instead of one per byte: or the bytes' verdicts,
	// eight at a time.
	var bad uint8
	i := 0
	for ; i+8 <= len(id); i += 8 {
		s := id[i : i+8]
		bad |= requestIDBad[s[0]] | requestIDBad[s[1]] | requestIDBad[s[2]] | requestIDBad[s[3]] |
			requestIDBad[s[4]] | requestIDBad[s[5]] | requestIDBad[s[6]] | requestIDBad[s[7]]
	}
	for ; i < len(id); i++ {
		bad |= requestIDBad[id[i]]
	}
	return bad == 0
}

// requestIDBad[c] is 1 for the bytes a request ID may not hold. It is
// computed once and never changed.
var requestIDBad = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '=' || c == '@' || c == ':') {
			t[c] = 1
		}
	}
	return t
}()

// NewRequestID returns a random request ID of 24 hex digits.
func NewRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}
