package errdoc

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"unsafe"
)

// state is what errdoc keeps in a request's context: the renderer and the
// request ID, in one value so that Handler costs one context node.
type state struct {
	rd *Renderer
	// ids[0] is the request ID; ids[:] is also the value of the echoed
	// request-ID header, so that echoing it allocates nothing.
	ids [1]string
	// chiOverride is chi's request-ID key when this request's ID replaces
	// the one chi's RequestID stored above (see assignID), else nil.
	chiOverride *any
	// explicit: the ID was set by WithRequestID, and no other ID (chi's)
	// replaces it.
	explicit bool
	// hungUp is set on the request's root state by the first record of
	// its client's hang-up (see Renderer.Write): a request whose client
	// went away is recorded and observed once, however many of its
	// layers (a Timeout and its handler, say) render that end.
	hungUp atomic.Bool
	// root is the state of the request's outermost Handler (or NewContext,
	// or WithRequestID): this one, for that one. A Handler below a state
	// made outside any request (no in) is its own root.
	root *state
	// in is the context the outermost Handler received, and start when
	// it did for a request on a server with deadlines (monoNow, 0 for
	// none): what HungUp reads (hangup.go).
	in    context.Context
	start int64
}

// rootOf returns the root a state made below prev has: prev's, or the new
// state's own, s, when there is no prev or prev belongs to no request. A
// state made before any Handler (in a Server's BaseContext, say) has no
// in: every request may derive from it, so it is no request's root, and a
// hang-up marked there would silence every later request's.
func rootOf(prev, s *state) *state {
	if prev != nil && prev.in != nil && prev.root != nil {
		return prev.root
	}
	return s
}

func (s *state) id() string { return s.ids[0] }

// assignID gives the request of c its ID, the first of: the configured
// RequestID's; the valid ID the client sent; the valid ID chi's
// middleware.RequestID, mounted above, stored; a new one. The request's
// header is never changed: it is the caller's, and a middleware above may
// share it between requests (a retry, a hedged copy), so writing to it
// could race or hand one request's ID to another. Where chi's RequestID
// above stored another ID (the ID came from Options.RequestID or a custom
// RequestIDHeader, or chi took a client's invalid one), this ID answers
// for chi's key below Handler (chiOverride). chi's RequestID mounted below
// gets the ID in a copy of the header (requestid_below.go).
func (rd *Renderer) assignID(c *stateCtx, r *http.Request) {
	var id string
	if rd.opts.RequestID != nil {
		if id = rd.opts.RequestID(r); !ValidRequestID(id) {
			id = ""
		}
	}
	// sent: the client sent an ID in RequestIDHeader, valid or not, and
	// chi's ID is not adopted in its place. chisOwn: chi's RequestID above
	// read that same header, so its ID is this one.
	sent, chisOwn := false, false
	if id == "" {
		v := r.Header[rd.reqIDHdr]
		sent = len(v) > 0
		if sent && ValidRequestID(v[0]) {
			id, chisOwn = v[0], rd.reqIDHdr == chiRequestIDHeader
		}
	}
	if !chisOwn {
		if cid, ok := rd.chi.chiRequestID(c.Context); ok {
			if id == "" && !sent && ValidRequestID(cid) {
				id = cid
			} else if cid != id {
				// chi's RequestID above stored another ID (a client's
				// invalid one as it came, or none of the above): this one
				// answers for chi's key below here, so that GetReqID,
				// documents and logs agree with the response's header.
				c.s.chiOverride = rd.chi.key.Load()
			}
		}
	}
	if id == "" {
		id = c.newID()
	}
	c.s.ids[0] = id
}

type stateKey struct{}

// stateCtx is the context node Handler adds: it answers for stateKey
// itself, so that the node and its state are one allocation, and delegates
// every other key, Done, Err and Deadline to its parent.
type stateCtx struct {
	context.Context
	s state
	// idBuf holds the digits of an ID Handler generated; s.ids[0] then
	// points into it (see newID).
	idBuf [requestIDLen]byte
}

// newID fills c.idBuf with a new request ID and returns it as a string
// sharing idBuf's memory, so that generating an ID allocates nothing. The
// bytes are written once, here, before the string exists, and never again:
// the string is as immutable as any other.
func (c *stateCtx) newID() string {
	fillRequestID(&c.idBuf)
	return unsafe.String(&c.idBuf[0], len(c.idBuf))
}

func (c *stateCtx) Value(key any) any {
	if _, ok := key.(stateKey); ok {
		return &c.s
	}
	if c.s.chiOverride != nil && key == *c.s.chiOverride {
		return c.s.id()
	}
	return c.Context.Value(key)
}

func (c *stateCtx) String() string { return "errdoc.Handler context" }

func stateFrom(ctx context.Context) *state {
	s, _ := ctx.Value(stateKey{}).(*state)
	return s
}

// WithRequestID returns ctx carrying the request ID id, and the renderer ctx
// already carries. id is the request's ID from there on, whatever ID a
// middleware such as chi's RequestID stored.
func WithRequestID(ctx context.Context, id string) context.Context {
	s := &state{ids: [1]string{id}, explicit: true}
	prev := stateFrom(ctx)
	if prev != nil {
		s.rd, s.in, s.start = prev.rd, prev.in, prev.start
	}
	s.root = rootOf(prev, s)
	return context.WithValue(ctx, stateKey{}, s)
}

// RequestIDFrom returns the request ID stored in ctx, or "".
//
// Below Handler, chi's middleware.RequestID may have given the request
// another ID: where Handler did not see it mounted there (see
// Renderer.Handler), it read no ID from the header. From there on, that
// valid ID is the request's, so the documents, the log records and
// middleware.GetReqID agree (Write also sets it in the response's header),
// and the renderer's Handlers hand their ID down from then on.
func RequestIDFrom(ctx context.Context) string {
	s := stateFrom(ctx)
	if s == nil {
		return ""
	}
	if s.rd != nil && s.chiOverride == nil && !s.explicit {
		if cid, ok := s.rd.chi.chiRequestID(ctx); ok && cid != s.id() && ValidRequestID(cid) {
			if s.id() != "" {
				// A Handler gave the request its ID and chi's differs:
				// chi's RequestID is below it (one above is answered for
				// with chiOverride). NewContext, without a Handler,
				// teaches nothing.
				s.rd.noteChiBelow()
			}
			return cid
		}
	}
	return s.id()
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

// requestIDLen is the length of the IDs NewRequestID and Handler generate.
const requestIDLen = 24

// NewRequestID returns a random request ID of 24 hex digits: 96 random bits.
//
// The bits come from math/rand/v2's top-level generator: the runtime's
// ChaCha8 generator, one per thread, seeded from the operating system's
// entropy when the process starts. It costs a few nanoseconds where
// crypto/rand costs a system call's worth, and it takes no lock. What that
// gives, and what it does not:
//
//   - Unique across requests, instances and restarts, with no coordination:
//     two of 2^32 IDs (four billion) collide with probability about 2^-33.
//     An ID made of a per-process prefix and a counter (chi's RequestID)
//     is unique within a process but repeats across instances whose
//     prefixes collide, and tells every client how many requests the
//     instance has served.
//   - Not guessable from the IDs a client sees: ChaCha8's output does not
//     reveal its state, so a client cannot predict the IDs of other
//     clients' requests (to look up their occurrences at InstanceURI, say).
//   - Not a secret: the generator is not meant for keys or tokens, and an
//     ID is echoed in headers, documents and logs. Never authorise anything
//     by request ID.
func NewRequestID() string {
	var b [requestIDLen]byte
	fillRequestID(&b)
	return string(b[:])
}

// fillRequestID writes a new request ID into b, allocating nothing.
func fillRequestID(b *[requestIDLen]byte) {
	var raw [requestIDLen / 2]byte
	binary.LittleEndian.PutUint64(raw[:8], rand.Uint64())
	binary.LittleEndian.PutUint32(raw[8:], rand.Uint32())
	hex.Encode(b[:], raw[:])
}
