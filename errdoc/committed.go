package errdoc

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
)

// committer is implemented by the writers Track returns.
type committer interface {
	committedState() (committed, hijacked bool)
}

// Committed reports whether the response behind w has already sent its
// status line (WriteHeader with a final status, Write, Flush or ReadFrom) or
// had its connection hijacked, as far as any writer returned by Track in w's
// Unwrap chain saw. When it reports true, an error document can no longer be
// written: Write writes nothing, and a middleware should abort instead.
//
// A response that was never wrapped by Track reports false.
func Committed(w http.ResponseWriter) bool {
	c, h := responseState(w)
	return c || h
}

// Hijacked reports whether the connection behind w was taken over with
// Hijack, as far as any writer returned by Track in w's Unwrap chain saw.
func Hijacked(w http.ResponseWriter) bool {
	_, h := responseState(w)
	return h
}

func responseState(w http.ResponseWriter) (committed, hijacked bool) {
	for depth := 0; w != nil && depth < 32; depth++ {
		if c, ok := w.(committer); ok {
			if cm, hj := c.committedState(); cm || hj {
				return cm, hj
			}
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	return false, false
}

// Status returns the status code sent through the outermost Track writer in
// w's Unwrap chain, 0 when none was sent or w is not tracked.
func Status(w http.ResponseWriter) int {
	for depth := 0; w != nil && depth < 32; depth++ {
		if t, ok := w.(interface{ trackerOf() *tracker }); ok {
			return t.trackerOf().status
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
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

// Release returns the wrapper to its pool. The tracked writer must not be
// used afterwards (as with any http.ResponseWriter once ServeHTTP returns).
// Release of a zero Tracking does nothing.
func (r Tracking) Release() {
	if r.t == nil {
		return
	}
	kind := r.t.kind
	// A write after the handler returned (a bug, as with any ResponseWriter)
	// goes nowhere rather than panicking.
	r.t.w = discardWriter{}
	trackerPools[kind].Put(r.t.self)
}

// Track returns w wrapped so that Committed, Hijacked and Status can tell
// what was sent through it. The wrapper has Unwrap for
// http.ResponseController, and implements http.Flusher, http.Hijacker and
// io.ReaderFrom exactly when w does. If w is already a Track writer it is
// returned as it is, with a zero Tracking.
//
// Wrappers are pooled, so tracking a request costs no allocation.
func Track(w http.ResponseWriter) (http.ResponseWriter, Tracking) {
	switch w.(type) {
	case *trackW, *trackF, *trackH, *trackFH, *trackR, *trackFR, *trackHR, *trackFHR:
		return w, Tracking{}
	}
	var kind uint8
	if _, ok := w.(http.Flusher); ok {
		kind |= kindFlush
	}
	if _, ok := w.(http.Hijacker); ok {
		kind |= kindHijack
	}
	if _, ok := w.(io.ReaderFrom); ok {
		kind |= kindReadFrom
	}
	var t *tracker
	var rw http.ResponseWriter
	switch x := trackerPools[kind].Get().(type) {
	case *trackW:
		t, rw = &x.tracker, x
	case *trackF:
		t, rw = &x.tracker, x
	case *trackH:
		t, rw = &x.tracker, x
	case *trackFH:
		t, rw = &x.tracker, x
	case *trackR:
		t, rw = &x.tracker, x
	case *trackFR:
		t, rw = &x.tracker, x
	case *trackHR:
		t, rw = &x.tracker, x
	case *trackFHR:
		t, rw = &x.tracker, x
	}
	t.w, t.self, t.kind = w, rw, kind
	t.status, t.wrote, t.hijacked = 0, false, false
	return rw, Tracking{t}
}

const (
	kindFlush uint8 = 1 << iota
	kindHijack
	kindReadFrom
)

// trackerPools holds one pool per combination of optional interfaces. It is
// never reassigned; sync.Pool is safe for concurrent use.
var trackerPools = [8]sync.Pool{
	{New: func() any { return new(trackW) }},
	{New: func() any { return new(trackF) }},
	{New: func() any { return new(trackH) }},
	{New: func() any { return new(trackFH) }},
	{New: func() any { return new(trackR) }},
	{New: func() any { return new(trackFR) }},
	{New: func() any { return new(trackHR) }},
	{New: func() any { return new(trackFHR) }},
}

// tracker is the state shared by every wrapper kind.
type tracker struct {
	w        http.ResponseWriter
	self     http.ResponseWriter // the pooled wrapper this tracker lives in
	status   int
	kind     uint8
	wrote    bool // a final status was sent
	hijacked bool
}

func (t *tracker) trackerOf() *tracker { return t }

func (t *tracker) committedState() (bool, bool) { return t.wrote, t.hijacked }

func (t *tracker) Header() http.Header { return t.w.Header() }

func (t *tracker) WriteHeader(code int) {
	if !t.wrote && !t.hijacked {
		// 1xx responses other than 101 are informational: more follow.
		if code >= 200 || code == http.StatusSwitchingProtocols {
			t.wrote, t.status = true, code
		}
	}
	t.w.WriteHeader(code)
}

func (t *tracker) Write(p []byte) (int, error) {
	if !t.wrote {
		t.wrote, t.status = true, http.StatusOK
	}
	return t.w.Write(p)
}

// Unwrap returns the wrapped writer, for http.ResponseController.
func (t *tracker) Unwrap() http.ResponseWriter { return t.w }

func (t *tracker) flush() {
	if !t.wrote {
		t.wrote, t.status = true, http.StatusOK
	}
	t.w.(http.Flusher).Flush()
}

func (t *tracker) hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := t.w.(http.Hijacker).Hijack()
	if err == nil {
		t.hijacked = true
	}
	return c, rw, err
}

func (t *tracker) readFrom(r io.Reader) (int64, error) {
	if !t.wrote {
		t.wrote, t.status = true, http.StatusOK
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

func (t *trackF) Flush()   { t.flush() }
func (t *trackFH) Flush()  { t.flush() }
func (t *trackFR) Flush()  { t.flush() }
func (t *trackFHR) Flush() { t.flush() }

func (t *trackH) Hijack() (net.Conn, *bufio.ReadWriter, error)   { return t.hijack() }
func (t *trackFH) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return t.hijack() }
func (t *trackHR) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return t.hijack() }
func (t *trackFHR) Hijack() (net.Conn, *bufio.ReadWriter, error) { return t.hijack() }

func (t *trackR) ReadFrom(r io.Reader) (int64, error)   { return t.readFrom(r) }
func (t *trackFR) ReadFrom(r io.Reader) (int64, error)  { return t.readFrom(r) }
func (t *trackHR) ReadFrom(r io.Reader) (int64, error)  { return t.readFrom(r) }
func (t *trackFHR) ReadFrom(r io.Reader) (int64, error) { return t.readFrom(r) }

var (
	_ http.ResponseWriter = (*trackW)(nil)
	_ http.Flusher        = (*trackF)(nil)
	_ http.Hijacker       = (*trackH)(nil)
	_ io.ReaderFrom       = (*trackR)(nil)
	_ http.Flusher        = (*trackFHR)(nil)
	_ http.Hijacker       = (*trackFHR)(nil)
	_ io.ReaderFrom       = (*trackFHR)(nil)
	_ committer           = (*trackW)(nil)
)

// discardWriter replaces the wrapped writer of a released tracker.
type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (discardWriter) WriteHeader(int)             {}
