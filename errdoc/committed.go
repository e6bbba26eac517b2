package errdoc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"sync/atomic"
	"time"
)

// ErrReleased is returned by the writers of Track for a write made after
// Tracking.Release, that is after the handler returned: the write is
// dropped.
var ErrReleased = errors.New("errdoc: write after the handler returned; dropped")

// maxUnwrap bounds every walk of an Unwrap chain, so that a writer that
// unwraps to itself cannot make it loop.
const maxUnwrap = 32

type rwUnwrapper interface{ Unwrap() http.ResponseWriter }

// committer is implemented by the writers Track returns.
type committer interface {
	trackerOf() *tracker
}

// Committed reports whether the response behind w has already sent its
// status line (WriteHeader with a final status, Write, Flush or ReadFrom),
// had its connection hijacked, or was released because its handler
// returned, as far as any writer returned by Track in w's Unwrap chain saw. When it reports true, an error document can no longer be
// written: Write writes nothing, and a middleware should abort instead.
//
// A response that was never wrapped by Track reports false.
func Committed(w http.ResponseWriter) bool {
	return responseState(w)&(stWrote|stHijacked|stReleased) != 0
}

// Hijacked reports whether the connection behind w was taken over with
// Hijack, as far as any writer returned by Track in w's Unwrap chain saw.
func Hijacked(w http.ResponseWriter) bool {
	return responseState(w)&stHijacked != 0
}

// responseState returns the state of the first tracker in w's Unwrap chain
// that saw the response committed or released, else 0.
func responseState(w http.ResponseWriter) uint32 {
	for depth := 0; w != nil && depth < maxUnwrap; depth++ {
		if c, ok := w.(committer); ok {
			if s := c.trackerOf().state.Load(); s&(stWrote|stHijacked|stReleased) != 0 {
				return s
			}
		}
		u, ok := w.(rwUnwrapper)
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	return 0
}

// Status returns the status code sent through the outermost Track writer in
// w's Unwrap chain, 0 when none was sent or w is not tracked.
func Status(w http.ResponseWriter) int {
	for depth := 0; w != nil && depth < maxUnwrap; depth++ {
		if c, ok := w.(committer); ok {
			return int(c.trackerOf().state.Load() >> statusShift)
		}
		u, ok := w.(rwUnwrapper)
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	return 0
}

// Tracking is the handle Track returns. Call Release once the handler the
// tracked writer was given to has returned.
type Tracking struct{ t *tracker }

// Release ends the tracked writer's life: from then on every Write, ReadFrom
// and WriteHeader through it is dropped (Write and ReadFrom return
// ErrReleased), Flush does nothing and Header returns a fresh map, so that a
// goroutine the handler left behind never touches the finished response.
// The wrapper is never reused for another request. Release of a zero
// Tracking does nothing; Release may be called more than once.
func (r Tracking) Release() {
	if r.t != nil {
		r.t.state.Or(stReleased)
	}
}

// Track returns w wrapped so that Committed, Hijacked and Status can tell
// what was sent through it. If w is already a Track writer it is returned as
// it is, with a zero Tracking.
//
// The wrapper has Unwrap, and implements http.Flusher (with FlushError) and
// http.Hijacker exactly when some writer in w's Unwrap chain does, the way
// http.ResponseController finds them: a flush or hijack through the wrapper,
// directly or with a ResponseController, reaches the first writer of the
// chain that can do it, and is recorded on the way, whatever wrappers with
// only Unwrap stand between. It implements io.ReaderFrom when w itself does.
// SetReadDeadline, SetWriteDeadline and EnableFullDuplex commit nothing:
// ResponseController reaches the first and last through Unwrap, and
// SetWriteDeadline through the wrapper's own method, which records it for
// HungUp.
//
// Every call allocates one 24-byte wrapper: tracking a request (Track, its
// writes, Release) costs about 50 ns where a pooled wrapper cost 25 ns
// less. Wrappers are never pooled, since a goroutine of the handler may
// still hold one after the handler returned. Its state is one atomic word,
// so a late write racing Release is dropped without a data race.
func Track(w http.ResponseWriter) (http.ResponseWriter, Tracking) {
	// A type switch, not an if: it keeps Track within the inlining budget,
	// so that below errdoc.Handler tracking costs no call. The wrappers of
	// net/http's HTTP/1.1 and HTTP/2 writers are compared first, directly.
	switch w.(type) {
	case *trackFHR, *trackF, committer:
		return w, Tracking{}
	}
	return track(w)
}

func track(w http.ResponseWriter) (http.ResponseWriter, Tracking) {
	_, t, tw := newTracker[struct{}](trackKind(w), w)
	return tw, Tracking{t}
}

// trackKind returns which optional interfaces a wrapper of w offers.
func trackKind(w http.ResponseWriter) uint8 {
	var kind uint8
	if _, ok := w.(io.ReaderFrom); ok {
		kind |= kindReadFrom
	}
	for depth := 0; w != nil && depth < maxUnwrap; depth++ {
		switch w.(type) {
		case http.Flusher, interface{ FlushError() error }:
			kind |= kindFlush
		}
		if _, ok := w.(http.Hijacker); ok {
			kind |= kindHijack
		}
		u, ok := w.(rwUnwrapper)
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	return kind
}

// kindCache remembers the kind of the writer types without Unwrap (net/http's
// own, typically) and of the trackers that a Renderer's Handler has met, so
// that tracking a request asks the writer nothing: a few of them, published
// copy-on-write.
type kindCache struct{ p atomic.Pointer[kindTable] }

type kindTable struct {
	n    int
	typ  [4]reflect.Type
	kind [4]uint8
}

func (c *kindCache) kindOf(w http.ResponseWriter) uint8 {
	typ := reflect.TypeOf(w)
	t := c.p.Load()
	if t != nil {
		for i := 0; i < t.n; i++ {
			if t.typ[i] == typ {
				return t.kind[i]
			}
		}
	}
	var kind uint8
	cacheable := true
	if _, ok := w.(committer); ok {
		kind = kindTracked
	} else {
		kind = trackKind(w)
		// A writer with Unwrap may wrap a different chain each time: its
		// kind is not a property of its type.
		_, chained := w.(rwUnwrapper)
		cacheable = !chained
	}
	if cacheable && (t == nil || t.n < len(t.typ)) {
		nt := new(kindTable)
		if t != nil {
			*nt = *t
		}
		nt.typ[nt.n], nt.kind[nt.n] = typ, kind
		nt.n++
		c.p.CompareAndSwap(t, nt)
	}
	return kind
}

const (
	kindFlush uint8 = 1 << iota
	kindHijack
	kindReadFrom
	kindTracked // the writer is a tracker already (kindCache only)
)

// newTracker returns a tracker around w of the kind w needs, allocated in
// one piece with a value of type E (Handler keeps its context there), so
// that tracking costs one allocation at most.
func newTracker[E any](kind uint8, w http.ResponseWriter) (*E, *tracker, http.ResponseWriter) {
	switch kind {
	case kindFlush:
		return allocTracker[E, trackF](w)
	case kindHijack:
		return allocTracker[E, trackH](w)
	case kindFlush | kindHijack:
		return allocTracker[E, trackFH](w)
	case kindReadFrom:
		return allocTracker[E, trackR](w)
	case kindFlush | kindReadFrom:
		return allocTracker[E, trackFR](w)
	case kindHijack | kindReadFrom:
		return allocTracker[E, trackHR](w)
	case kindFlush | kindHijack | kindReadFrom:
		return allocTracker[E, trackFHR](w)
	}
	return allocTracker[E, trackW](w)
}

func allocTracker[E, T any, P interface {
	*T
	http.ResponseWriter
	committer
}](w http.ResponseWriter) (*E, *tracker, http.ResponseWriter) {
	b := new(struct {
		extra E
		t     T
	})
	p := P(&b.t)
	t := p.trackerOf()
	t.w = w
	return &b.extra, t, p
}

// The tracker's state word: three flags, and the status in the high bits.
const (
	stWrote         uint32 = 1 << iota // a final status was sent
	stHijacked                         // the connection was hijacked
	stReleased                         // the handler returned: drop everything
	stWriteDeadline                    // SetWriteDeadline was called (HungUp)
	statusShift     = 16
)

// tracker is the state shared by every wrapper kind. w never changes after
// construction; state is only read and written atomically, so a goroutine
// the handler left behind races on nothing of the tracker's.
type tracker struct {
	w     http.ResponseWriter
	state atomic.Uint32
}

func (t *tracker) trackerOf() *tracker { return t }

func (t *tracker) released() bool { return t.state.Load()&stReleased != 0 }

// commit records that status code was sent, unless something was sent
// before, the connection was hijacked, or the tracker was released. It
// reports false only when the tracker was released.
func (t *tracker) commit(code int) bool {
	for {
		s := t.state.Load()
		switch {
		case s&stReleased != 0:
			return false
		case s&(stWrote|stHijacked) != 0:
			return true
		case t.state.CompareAndSwap(s, s|stWrote|uint32(code)<<statusShift):
			return true
		}
	}
}

func (t *tracker) Header() http.Header {
	if t.released() {
		return http.Header{} // a late header change touches nothing
	}
	return t.w.Header()
}

func (t *tracker) WriteHeader(code int) {
	// 1xx responses other than 101 are informational: more follow. A code
	// net/http refuses (outside 100-999) makes it panic before it sends
	// anything, so it must not count as committed: the recoverer can still
	// send its 500 document.
	if code >= 200 && code <= 999 || code == http.StatusSwitchingProtocols {
		if !t.commit(code) {
			return
		}
	} else if t.released() {
		return
	}
	t.w.WriteHeader(code)
}

func (t *tracker) Write(p []byte) (int, error) {
	if s := t.state.Load(); s&(stWrote|stReleased) != stWrote && !t.commit(http.StatusOK) {
		return 0, ErrReleased
	}
	return t.w.Write(p)
}

// Unwrap returns the wrapped writer, for http.ResponseController.
func (t *tracker) Unwrap() http.ResponseWriter { return t.w }

// flushError flushes through the first writer of the chain that can, as
// http.ResponseController.Flush does.
func (t *tracker) flushError() error {
	if t.released() {
		return nil
	}
	w := t.w
	for depth := 0; depth < maxUnwrap; depth++ {
		switch x := w.(type) {
		case interface{ FlushError() error }:
			t.commit(http.StatusOK)
			return x.FlushError()
		case http.Flusher:
			t.commit(http.StatusOK)
			x.Flush()
			return nil
		case rwUnwrapper:
			w = x.Unwrap()
			continue
		}
		break
	}
	return fmt.Errorf("errdoc: flush: %w", http.ErrNotSupported)
}

// SetWriteDeadline records that the response got a write deadline, and
// sets it through the rest of the chain, as http.ResponseController does.
// In HTTP/2 a deadline that passes resets the stream and cancels the
// request's context as a client's reset does, so HungUp never calls such a
// request a hang-up. After Release it sets nothing and returns ErrReleased.
func (t *tracker) SetWriteDeadline(d time.Time) error {
	if t.released() {
		return ErrReleased
	}
	t.state.Or(stWriteDeadline)
	return http.NewResponseController(t.w).SetWriteDeadline(d)
}

// writeDeadlineSet reports whether a Track writer in w's Unwrap chain saw
// SetWriteDeadline.
func writeDeadlineSet(w http.ResponseWriter) bool {
	for depth := 0; w != nil && depth < maxUnwrap; depth++ {
		if c, ok := w.(committer); ok && c.trackerOf().state.Load()&stWriteDeadline != 0 {
			return true
		}
		u, ok := w.(rwUnwrapper)
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	return false
}

// hijack takes the connection over through the first writer of the chain
// that can, as http.ResponseController.Hijack does.
func (t *tracker) hijack() (net.Conn, *bufio.ReadWriter, error) {
	if t.released() {
		return nil, nil, ErrReleased
	}
	w := t.w
	for depth := 0; depth < maxUnwrap; depth++ {
		switch x := w.(type) {
		case http.Hijacker:
			c, rw, err := x.Hijack()
			if err == nil {
				t.state.Or(stHijacked)
			}
			return c, rw, err
		case rwUnwrapper:
			w = x.Unwrap()
			continue
		}
		break
	}
	return nil, nil, fmt.Errorf("errdoc: hijack: %w", http.ErrNotSupported)
}

func (t *tracker) readFrom(r io.Reader) (int64, error) {
	if !t.commit(http.StatusOK) {
		return 0, ErrReleased
	}
	return t.w.(io.ReaderFrom).ReadFrom(r)
}

// The eight wrapper kinds: W has none of the optional interfaces, F flushes,
// H hijacks, R reads from. Each forwards to the tracker it embeds.
type (
	trackW   struct{ tracker }
	trackF   struct{ tracker }
	trackH   struct{ tracker }
	trackFH  struct{ tracker }
	trackR   struct{ tracker }
	trackFR  struct{ tracker }
	trackHR  struct{ tracker }
	trackFHR struct{ tracker }
)

func (t *trackF) Flush()   { _ = t.flushError() }
func (t *trackFH) Flush()  { _ = t.flushError() }
func (t *trackFR) Flush()  { _ = t.flushError() }
func (t *trackFHR) Flush() { _ = t.flushError() }

func (t *trackF) FlushError() error   { return t.flushError() }
func (t *trackFH) FlushError() error  { return t.flushError() }
func (t *trackFR) FlushError() error  { return t.flushError() }
func (t *trackFHR) FlushError() error { return t.flushError() }

func (t *trackH) Hijack() (net.Conn, *bufio.ReadWriter, error)   { return t.hijack() }
func (t *trackFH) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return t.hijack() }
func (t *trackHR) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return t.hijack() }
func (t *trackFHR) Hijack() (net.Conn, *bufio.ReadWriter, error) { return t.hijack() }

func (t *trackR) ReadFrom(r io.Reader) (int64, error)   { return t.readFrom(r) }
func (t *trackFR) ReadFrom(r io.Reader) (int64, error)  { return t.readFrom(r) }
func (t *trackHR) ReadFrom(r io.Reader) (int64, error)  { return t.readFrom(r) }
func (t *trackFHR) ReadFrom(r io.Reader) (int64, error) { return t.readFrom(r) }

var (
	_ http.ResponseWriter             = (*trackW)(nil)
	_ rwUnwrapper                     = (*trackW)(nil)
	_ committer                       = (*trackW)(nil)
	_ http.Flusher                    = (*trackF)(nil)
	_ interface{ FlushError() error } = (*trackF)(nil)
	_ http.Hijacker                   = (*trackH)(nil)
	_ io.ReaderFrom                   = (*trackR)(nil)
	_ http.Flusher                    = (*trackFHR)(nil)
	_ http.Hijacker                   = (*trackFHR)(nil)
	_ io.ReaderFrom                   = (*trackFHR)(nil)
)
