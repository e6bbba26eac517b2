package jsonbody

import (
	"io"
	"net/http"
	"sync"
	"time"
)

// bodyDeadline is JSONBodies' BodyTimeout: a request body that ends the
// connection's wait for a stalled client when its time is up. Its timer is
// the one goroutine of the middleware that can outlive the handler; it
// holds the request's writer, and touches it only under mu while the
// deadline is armed. disarm, called before the middleware returns, and
// the body reaching its end both disarm it, so once the handler has
// returned (and net/http may reuse the connection, its buffers and its
// deadlines for the next request) the timer does nothing.
type bodyDeadline struct {
	io.ReadCloser // the body, already limited by http.MaxBytesReader

	// w is the response's. The timer touches it only under mu while armed;
	// Read uses its header on the handler's goroutine.
	w     http.ResponseWriter
	http1 bool // an HTTP/1.x request
	timer *time.Timer

	mu      sync.Mutex
	armed   bool
	expired bool // the timer set the deadline
}

// armBodyDeadline returns body with a deadline d from now.
func armBodyDeadline(w http.ResponseWriter, r *http.Request, body io.ReadCloser, d time.Duration) *bodyDeadline {
	b := &bodyDeadline{ReadCloser: body, w: w, http1: r.ProtoMajor == 1, armed: true}
	b.timer = time.AfterFunc(d, b.expire) // expire reads neither timer nor anything set after
	return b
}

// expire sets the connection's read deadline to now, which only shortens
// the server's own: a Read waiting for the client returns a timeout error,
// which Bind reports as a 408. A writer without deadlines (a recorder)
// reports an error, which is ignored: there is no connection to wait on.
func (b *bodyDeadline) expire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.armed {
		return
	}
	_ = http.NewResponseController(b.w).SetReadDeadline(time.Now())
	b.armed, b.expired = false, true
}

// disarm stops the deadline and reports whether it had expired. After it
// returns, the timer's function, should it be running, no longer touches
// the writer.
func (b *bodyDeadline) disarm() (expired bool) {
	b.mu.Lock()
	b.armed = false
	expired = b.expired
	b.mu.Unlock()
	b.timer.Stop()
	return expired
}

// Read reads the body, and disarms the deadline once the body has ended,
// well or not: the deadline is about the body's arrival, not about the
// handler's work after it.
//
// The timer may fire just as the last bytes arrive, after net/http has
// started its background read of an HTTP/1.x connection (it does at the
// body's end): that read then fails at the deadline, and net/http cancels
// the context of the connection, which every later request on it would
// inherit. Should the deadline have expired when the body ended well, the
// connection therefore closes after this response. Read runs on the
// handler's goroutine, which owns the response's header.
func (b *bodyDeadline) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && b.disarm() && err == io.EOF && b.http1 {
		b.w.Header().Set("Connection", "close")
	}
	return n, err
}

// Close closes the body and disarms the deadline.
func (b *bodyDeadline) Close() error {
	b.disarm()
	return b.ReadCloser.Close()
}
