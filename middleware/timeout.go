package middleware

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/faultline-go/faultline/errdoc"
)

// TimeoutOptions configures TimeoutWithOptions. Only Timeout is required;
// every other field documents what its zero value means.
type TimeoutOptions struct {
	// Timeout is how long the handler has to finish. It must be positive:
	// TimeoutWithOptions panics otherwise.
	Timeout time.Duration

	// Logger receives a record when the deadline aborts a response the
	// handler had already started, and when a handler panics after its
	// deadline (no client can be told any more). Nil means the Logger of the
	// errdoc renderer in the request's context, else slog.Default().
	Logger *slog.Logger
}

// Timeout returns a middleware that gives the rest of the chain d to finish:
//
//	r.With(middleware.Timeout(2 * time.Second)).Get("/report", report)
//
// The handler runs on its own goroutine with a context that is cancelled at
// the deadline. If the handler finishes first, its response went to the
// client as it wrote it: nothing is buffered, and Flush streams. At the
// deadline:
//
//   - if the handler has not started its response, the client gets the 504
//     error document at once, even when the handler ignores its context;
//   - if it has, the response is aborted (http.ErrAbortHandler), so the
//     client sees it broken rather than truncated as if it were complete;
//   - if it hijacked the connection, nothing is done.
//
// From then on the handler's writes are dropped and return
// http.ErrHandlerTimeout; its goroutine runs on until it returns, holding
// only what is its request's own: its writer, which is never reused, and
// its own copy of chi's route context (chi puts its pooled one back when
// the router returns, at the deadline, and the next request draws it). A
// late handler therefore still reads its own URL parameters and route
// pattern, whether the Timeout is mounted with Use, With, Route, Mount or
// Group; a handler that returns in time leaves its routing in chi's
// context, for the middlewares above. One answered at the deadline does
// not (its goroutine may still be routing): when chi routes below the
// Timeout (a Timeout mounted with the router's Use), a middleware above
// reads no route pattern for a 504, or only the mount's ("/v1/*"); the
// 504's own records name the route the request matches, looked up again
// in the router at the deadline. See the package documentation's
// section on goroutines that outlive a request. A panic in the handler before
// the deadline is carried to the middleware's goroutine and panics again
// there (as a *HandlerPanic carrying the handler's stack, or
// http.ErrAbortHandler as it is), so a recoverer mounted above turns it into
// a 500, or an abort once the response was committed. A panic after the
// deadline is logged with the request ID.
//
// A 504 for an HTTP/1.x request with a body closes the connection: the
// handler may be blocked reading the body, which would hold the answer
// back, and what it left unread cannot be told from the next request.
//
// Nested timeouts: the handler's context carries the earliest deadline of
// every Timeout above it, and whichever deadline passes first answers,
// alone: a Timeout ended by an outer one's deadline writes, logs and
// aborts nothing, an outer one whose deadline passes while an inner one
// writes its 504 lets it finish, so the client gets one 504 and the log
// one record. A
// longer per-route Timeout under a shorter outer one therefore never extends
// the outer deadline; a shorter inner one wins. The same holds when the
// client goes away: the context is done, and the middleware stops waiting
// as it does at its deadline; but nothing timed out, and when errdoc.HungUp
// proves the client's hang-up (errdoc.Handler above, no cause but
// net/http's plain one) nothing is written: errdoc logs it below ERROR
// and counts 499. A server's shutdown (ServerShutdown) stays a 504.
//
// The handler's context has causes of its own (context.Cause): ErrTimeout
// at the deadline, ErrHandlerReturned once the handler returned, and the
// parent's cause when the parent ended first. The Timeout's record is the
// deadline's one record: a handler that renders its context's end after
// the deadline (errdoc.Write(w, r, r.Context().Err())), or a 4xx such as
// jsonbody.Bind's for a body the deadline cut short, writes nothing and
// logs nothing, since ErrTimeout tells errdoc it was recorded; a 5xx of
// the handler's own that it renders late is still logged.
//
// What the Timeout's own answers carry: the 504, and the 500 of a panic
// carried up to a recoverer, have the response headers set above the
// Timeout and none set below it (by the handler, or by middlewares between
// the Timeout and the handler): those belong to the handler's response,
// which the error replaces, and at the deadline the handler may still be
// writing them. Mount what every answer must carry (CORS, the request ID,
// rate limits) above the Timeout.
//
// Handlers may check errdoc.Committed and errdoc.Status on the writer they
// are given; Unwrap never reveals the underlying writer (it is shared with
// the goroutine that answers at the deadline), so the writer implements
// every method of http.ResponseController itself.
//
// Timeout panics if d is not positive.
func Timeout(d time.Duration) func(http.Handler) http.Handler {
	return TimeoutWithOptions(TimeoutOptions{Timeout: d})
}

// TimeoutWithOptions is Timeout configured by opts. It panics if
// opts.Timeout is not positive.
func TimeoutWithOptions(opts TimeoutOptions) func(http.Handler) http.Handler {
	if opts.Timeout <= 0 {
		panic(fmt.Sprintf("middleware: Timeout needs a positive duration, got %v", opts.Timeout))
	}
	return func(next http.Handler) http.Handler {
		return &timeoutHandler{opts: opts, next: next, deadlines: newDeadlines()}
	}
}

// TimeoutError is the cause of the 504 document the deadline produces, and
// of the log record of an abort. Timeout is the middleware's own duration;
// Err is the context's error (context.DeadlineExceeded, or
// context.Canceled when the client went away). Inherited reports that the
// context ended because its parent did: a deadline set above this Timeout
// (an outer http.TimeoutHandler or context.WithTimeout), the client going
// away, or the server closing. An outer Timeout of this package answers
// for itself: a Timeout below it stays silent when the outer one's
// deadline passes, and never makes a TimeoutError of it.
//
// Cause is context.Cause of the context when it ended: ErrTimeout at this
// Timeout's deadline, else the parent's cause (context.Canceled alone when
// net/http ended the request, ErrServerShutdown or ErrServerClosed when a
// ServerShutdown did, an outer deadline's cause).
type TimeoutError struct {
	Timeout   time.Duration
	Err       error
	Inherited bool
	Cause     error
}

// Error describes the timeout for logs.
func (e *TimeoutError) Error() string {
	var msg string
	switch {
	case !errors.Is(e.Err, context.DeadlineExceeded):
		msg = "request ended before the handler finished: " + e.Err.Error()
	case e.Inherited:
		msg = "handler did not finish before a deadline set above its " + e.Timeout.String() + " Timeout: " + e.Err.Error()
	default:
		msg = "handler did not finish within " + e.Timeout.String() + ": " + e.Err.Error()
	}
	if e.Cause != nil && e.Cause != e.Err && e.Cause != ErrTimeout {
		// Whose end it was: a shutdown's, an outer deadline's cause.
		msg += " (cause: " + e.Cause.Error() + ")"
	}
	return msg
}

// Unwrap returns the context's error.
func (e *TimeoutError) Unwrap() error { return e.Err }

// HandlerPanic is what a Timeout panics with when its handler panicked on
// the handler's goroutine before the deadline: the value and the stack of
// that goroutine, which the recoverer's own stack (of the middleware's
// goroutine) does not show. http.ErrAbortHandler is passed on as it is.
type HandlerPanic struct {
	Value any
	Stack []byte
}

// Error returns the panic value and the handler goroutine's stack, for logs.
// The value may hold secrets: never show it to clients.
func (p *HandlerPanic) Error() string {
	return fmt.Sprint(p.Value) + "\n\nhandler goroutine:\n" + string(p.Stack)
}

// Unwrap returns the panic value if it is an error.
func (p *HandlerPanic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

type timeoutHandler struct {
	opts      TimeoutOptions
	next      http.Handler
	deadlines *deadlines
}

// Unwrap returns the handler this one guards, so that errdoc's Handler
// mounted above can look through it for chi's RequestID below.
func (h *timeoutHandler) Unwrap() http.Handler { return h.next }

func (h *timeoutHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parent := r.Context()
	// The handler routes (or reads its route) on a copy of chi's pooled
	// route context, which chi reuses once this ServeHTTP returns; the copy
	// lives in the writer's allocation.
	route, _ := parent.Value(chi.RouteCtxKey).(*chi.Context)
	tw, self := newTimeoutWriter(w, route != nil)
	tw.next, tw.self = h.next, self
	c := &tw.ctx
	c.parent, c.done = parent, make(chan struct{})
	c.deadline = time.Now().Add(h.opts.Timeout)
	if pd, ok := parent.Deadline(); ok && !pd.After(c.deadline) {
		// An outer deadline comes first (or at once): the parent's Done
		// ends this context then, and whoever set that deadline answers.
		c.deadline = pd
	} else {
		h.deadlines.add(c)
	}
	if route != nil {
		tw.route.take(route)
		c.route = tw.route.own
	}
	// The handler's request lives in the writer's allocation: WithContext
	// is inlined and its copy does not escape.
	tw.r = *r.WithContext(c)
	if route != nil && routingPending(route) && !ownPathValues(&tw.r) {
		tw.r = *r.Clone(c) // a net/http whose layout ownPathValues does not know
	}
	// The renderer reads Accept; the handler's goroutine shares r.Header, so
	// the value is taken now, before that goroutine starts.
	accept := r.Header["Accept"]
	go tw.run()

	// Done closes at the deadline and when run finishes; the parent's Done,
	// when the client goes away or an outer deadline passes.
	if pdone := parent.Done(); pdone == nil {
		<-c.done
	} else {
		select {
		case <-c.done:
		case <-pdone:
			c.cancel(parent.Err(), true)
		}
	}
	c.unqueue()
	c.mu.Lock()
	for c.answering && !tw.finished {
		// A Timeout below claimed the answer before this one's deadline
		// passed and is writing its 504 through this writer: let it finish
		// (it returns right after), rather than abort it half-written. Its
		// writes are not lost while answering is set (lostLocked), so its
		// return counts as finished in time.
		c.mu.Unlock()
		time.Sleep(50 * time.Microsecond)
		c.mu.Lock()
	}
	if tw.finished {
		tw.sealed = sealedReturned
		p := tw.panicked
		c.mu.Unlock()
		if tw.route != nil {
			tw.route.giveBack()
		}
		if p != nil {
			if isAbortPanic(p.Value) {
				panic(p.Value)
			}
			panic(p)
		}
		return
	}
	// The handler is still running: it loses the writer now.
	tw.sealed = sealedTimeout
	committed, hijacked := tw.wroteHeader, tw.hijacked
	terr := &TimeoutError{Timeout: h.opts.Timeout, Err: c.err, Inherited: c.fromParent}
	c.mu.Unlock()
	terr.Cause = context.Cause(c)
	r = routedForLog(r, route)
	switch {
	case hijacked:
		return
	case !claimAnswer(parent):
		// A Timeout above has ended too, or sees its own parent end: its
		// deadline passed (perhaps a moment after this one's), or the
		// request ended. It answers (or aborts) and logs once; this one has
		// nothing of its own to report, and its writes already go nowhere.
		return
	case (committed || errdoc.Committed(w)) && errdoc.HungUp(w, r):
		// The client went away mid-answer: errdoc logs it below ERROR
		// and counts it as 499 (the response is committed: it writes
		// nothing), and the abort ends what is left of it.
		errdoc.Write(w, r, &errdoc.Error{Status: http.StatusGatewayTimeout, Cause: terr})
		panic(http.ErrAbortHandler)
	case committed || errdoc.Committed(w):
		msg := "request timed out after its response was committed; response aborted"
		if !errors.Is(terr.Err, context.DeadlineExceeded) {
			msg = "request ended after its response was committed; response aborted"
		}
		h.logf(r, msg, terr)
		panic(http.ErrAbortHandler)
	}
	if r.ProtoMajor == 1 && r.Body != nil && r.Body != http.NoBody {
		// A handler blocked reading its body holds net/http's lock on it,
		// which an HTTP/1.1 server takes before it sends a response, to
		// discard what the handler left unread, unless the connection is
		// to close: the 504 would wait for the client's next bytes. So the
		// connection closes after the 504 (the body is abandoned anyway).
		// Not a read deadline: once the body has been read to its end,
		// net/http's background read would fail at it and cancel the
		// context of every later request on the connection. In HTTP/2,
		// where "Connection: close" would end the whole connection, the
		// body does not hold the response back.
		w.Header().Set("Connection", "close")
	}
	er := new(http.Request)
	*er = *r
	er.Header = http.Header{}
	if accept != nil {
		er.Header["Accept"] = accept
	}
	errdoc.Write(w, er, &errdoc.Error{Status: http.StatusGatewayTimeout, Cause: terr})
}

// claimAnswer decides, for a Timeout whose handler is still running when
// its context ends, which Timeout answers. If one above it has ended too,
// or sees its own parent end (its deadline passed, perhaps a moment after
// this one's, or the request ended), that one answers and logs, and
// claimAnswer reports false: this one stays silent. Otherwise this one
// answers, and each Timeout above learns, under its lock and so before its
// own deadline can pass unnoticed, that the writes coming through its
// writer are that answer: it lets them through and waits for them rather
// than abort them half-written. A context deadline set between two
// Timeouts (an application's context.WithTimeout) ends the one below
// alone, which then answers.
func claimAnswer(parent context.Context) bool {
	for ctx := parent; ; {
		o, _ := ctx.Value(timeoutKey{}).(*timeoutCtx)
		if o == nil {
			return true
		}
		parentEnded := o.parent.Err() != nil
		o.mu.Lock()
		ended := o.err != nil || parentEnded
		if !ended {
			o.answering = true
		}
		o.mu.Unlock()
		if ended {
			return false
		}
		ctx = o.parent
	}
}

func (h *timeoutHandler) logf(r *http.Request, msg string, err error) {
	lg := h.opts.Logger
	if lg == nil {
		lg = errdoc.FromContext(r.Context()).Options().Logger
	}
	if lg == nil {
		lg = slog.Default()
	}
	attrs := []slog.Attr{
		slog.String("request_id", errdoc.RequestIDFrom(r.Context())),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("route", errdoc.RoutePattern(r)),
		slog.String("cause", err.Error()),
	}
	if tid := errdoc.TraceIDFrom(r); tid != "" {
		attrs = append(attrs, slog.String("trace_id", tid))
	}
	lg.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelError, msg, attrs...)
}

func isAbortPanic(p any) bool {
	err, ok := p.(error)
	return ok && errors.Is(err, http.ErrAbortHandler)
}

var errHandlerReturned = errors.New("middleware: write after the handler returned")

// Unwrap never reveals the writer shared with the middleware's goroutine.
// It reveals a marker instead: a Track writer over a writer that drops
// everything, which errdoc.Committed, errdoc.Hijacked and errdoc.Status
// read as the response's state. A marker is immutable once made (a Track
// writer changes nothing after its first status), so one per status is
// shared by every request; the markers are a cache, made on first use.
var (
	statusMarkers  [1000]atomic.Pointer[marker]
	hijackedMarker atomic.Pointer[marker]
)

type marker struct{ w http.ResponseWriter }

// committedMarker returns the marker of a response committed with code.
func committedMarker(code int) http.ResponseWriter {
	if code < 100 || code >= len(statusMarkers) {
		code = http.StatusOK
	}
	if m := statusMarkers[code].Load(); m != nil {
		return m.w
	}
	w, _ := errdoc.Track(dropWriter{})
	w.WriteHeader(code)
	statusMarkers[code].CompareAndSwap(nil, &marker{w})
	return statusMarkers[code].Load().w
}

// hijackMarker returns the marker of a hijacked connection.
func hijackMarker() http.ResponseWriter {
	if m := hijackedMarker.Load(); m != nil {
		return m.w
	}
	w, _ := errdoc.Track(dropHijacker{})
	_, _, _ = http.NewResponseController(w).Hijack()
	hijackedMarker.CompareAndSwap(nil, &marker{w})
	return hijackedMarker.Load().w
}

type dropWriter struct{}

func (dropWriter) Header() http.Header         { return http.Header{} }
func (dropWriter) Write(p []byte) (int, error) { return 0, http.ErrHandlerTimeout }
func (dropWriter) WriteHeader(int)             {}

type dropHijacker struct{ dropWriter }

func (dropHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) { return nil, nil, nil }

// timeoutWriter is the writer a timed handler writes to, and everything
// else the request needs: the handler's context and request live in it, so
// the middleware allocates once per request. It is never reused. Every
// method takes ctx.mu; the underlying writer w is touched only under it and
// only while it is not sealed, so once the middleware's goroutine seals
// the writer (at the deadline, or when the handler returned) it alone owns
// w.
//
// Its state is packed (small integers, a pointer for the rare panic) so
// that the writer, with the handler's context and request, fits the
// allocator's 512-byte size class: a larger object that holds pointers
// carries an 8-byte header and would take the 640-byte class. With the
// copy of chi's route context that a routed request needs, it fits the
// 896-byte class (TestTimeoutWriterSize).
type timeoutWriter struct {
	ctx timeoutCtx // the handler's context; its mu guards what follows
	w   http.ResponseWriter
	h   http.Header // the handler's header map, copied to w's on commit

	code        int32 // the final status that went to w
	sealed      uint8 // sealedReturned or sealedTimeout once the handler lost w
	wroteHeader bool  // a final status went to w
	hijacked    bool
	finished    bool          // the handler returned (or panicked) in time
	panicked    *HandlerPanic // what it panicked with in time (Stack nil for an abort)

	// Set before the handler's goroutine starts.
	route *ownRoute // under chi: the handler's route context, in this allocation
	next  http.Handler
	self  http.ResponseWriter // the wrapper kind holding this writer
	r     http.Request        // the handler's: the middleware's, with ctx
}

// lostLocked reports why the handler may no longer use w, or nil. The
// context's error is set before its Done channel closes, so a handler that
// wakes at the deadline and writes loses to the 504 even before the
// middleware's goroutine has sealed the writer.
func (t *timeoutWriter) lostLocked() error {
	switch t.sealed {
	case sealedReturned:
		return errHandlerReturned
	case sealedTimeout:
		return http.ErrHandlerTimeout
	}
	if t.ctx.err != nil && !t.ctx.answering {
		return http.ErrHandlerTimeout
	}
	return nil
}

// The writer's sealed states: the handler returned in time, or lost the
// writer at the deadline.
const (
	sealedReturned = 1 + iota
	sealedTimeout
)

// The wrapper kinds: the writer offers http.Flusher and http.Hijacker only
// when w has them.
type (
	timeoutW   struct{ timeoutWriter }
	timeoutF   struct{ timeoutWriter }
	timeoutH   struct{ timeoutWriter }
	timeoutFH  struct{ timeoutWriter }
	controller interface {
		SetReadDeadline(time.Time) error
		SetWriteDeadline(time.Time) error
		EnableFullDuplex() error
	}
)

var (
	_ http.ResponseWriter = (*timeoutW)(nil)
	_ controller          = (*timeoutW)(nil)
	_ http.Flusher        = (*timeoutF)(nil)
	_ http.Hijacker       = (*timeoutH)(nil)
	_ http.Flusher        = (*timeoutFH)(nil)
	_ http.Hijacker       = (*timeoutFH)(nil)
)

func (t *timeoutF) Flush()             { _ = t.FlushError() }
func (t *timeoutF) FlushError() error  { return t.flush() }
func (t *timeoutFH) Flush()            { _ = t.FlushError() }
func (t *timeoutFH) FlushError() error { return t.flush() }
func (t *timeoutH) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return t.hijack()
}
func (t *timeoutFH) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return t.hijack()
}

// newTimeoutWriter returns a writer over w of the wrapper kind w needs,
// and that kind as the handler's http.ResponseWriter. For a request chi
// routed (routed), the writer's route is set: the handler's ownRoute, in
// the same allocation, so that a routed request allocates once too and an
// unrouted one does not pay for its bytes.
func newTimeoutWriter(w http.ResponseWriter, routed bool) (*timeoutWriter, http.ResponseWriter) {
	_, f := w.(http.Flusher)
	_, h := w.(http.Hijacker)
	switch {
	case f && h:
		return allocTimeoutWriter[timeoutFH](w, routed)
	case f:
		return allocTimeoutWriter[timeoutF](w, routed)
	case h:
		return allocTimeoutWriter[timeoutH](w, routed)
	}
	return allocTimeoutWriter[timeoutW](w, routed)
}

func allocTimeoutWriter[K any, P interface {
	*K
	http.ResponseWriter
	writer() *timeoutWriter
}](w http.ResponseWriter, routed bool) (*timeoutWriter, http.ResponseWriter) {
	if routed {
		x := new(struct {
			k     K
			route ownRoute
		})
		p := P(&x.k)
		t := p.writer()
		t.w, t.route = w, &x.route
		return t, p
	}
	p := P(new(K))
	t := p.writer()
	t.w = w
	return t, p
}

// writer returns the writer a wrapper kind embeds.
func (t *timeoutWriter) writer() *timeoutWriter { return t }

// run is the handler's goroutine. Its happy path is kept shallow: a
// goroutine starts on a small stack, and growing it (a copy) would cost
// more than the rest of the middleware.
func (t *timeoutWriter) run() {
	defer t.handlerReturned()
	t.next.ServeHTTP(t.self, &t.r)
}

// handlerReturned records how the handler ended and ends its context.
func (t *timeoutWriter) handlerReturned() {
	p := recover()
	if p != nil {
		t.handlerPanicked(p)
		return
	}
	c := &t.ctx
	c.mu.Lock()
	late := t.lostLocked() != nil
	if !late {
		t.finishLocked()
	}
	afters := c.cancelLocked(context.Canceled, false)
	c.mu.Unlock()
	runAfters(afters)
}

// finishLocked records that the handler returned in time, and completes
// its response: the trailers it set, or the headers it set without writing.
func (t *timeoutWriter) finishLocked() {
	t.finished = true
	switch {
	case t.wroteHeader:
		t.syncTrailers()
	case t.panicked == nil && !t.hijacked:
		// Headers without a body: net/http sends them with a 200.
		t.commitHeaderLocked()
	}
}

// handlerPanicked is handlerReturned after a panic: in time, the panic is
// handed to the middleware's goroutine; too late, it is logged.
//
//go:noinline
func (t *timeoutWriter) handlerPanicked(p any) {
	var stack []byte
	if !isAbortPanic(p) {
		stack = debug.Stack()
	}
	c := &t.ctx
	c.mu.Lock()
	late := t.lostLocked() != nil
	if !late {
		t.panicked = &HandlerPanic{Value: p, Stack: stack}
		t.finishLocked()
	}
	afters := c.cancelLocked(context.Canceled, false)
	c.mu.Unlock()
	runAfters(afters)
	if late && stack != nil {
		lg := slog.Default()
		if l := errdoc.FromContext(t.r.Context()).Options().Logger; l != nil {
			lg = l
		}
		lg.LogAttrs(context.WithoutCancel(t.r.Context()), slog.LevelError,
			"handler panicked after its timeout; nothing more could be sent",
			slog.String("request_id", errdoc.RequestIDFrom(t.r.Context())),
			slog.String("route", errdoc.RoutePattern(&t.r)), // its own route context, on its own goroutine
			slog.String("panic", fmt.Sprint(p)),
			slog.String("stack", string(stack)))
	}
}

// Header returns the handler's own header map: a copy of the response's
// headers made on first use, copied back when the response is committed.
func (t *timeoutWriter) Header() http.Header {
	t.ctx.mu.Lock()
	defer t.ctx.mu.Unlock()
	if t.h == nil {
		if t.lostLocked() != nil {
			t.h = http.Header{}
		} else {
			src := t.w.Header()
			t.h = make(http.Header, len(src)+2)
			for k, v := range src {
				t.h[k] = v
			}
		}
	}
	return t.h
}

// commitHeaderLocked makes w's headers the handler's. The handler's map
// started as a copy of w's, so replacing w's contents keeps what the
// handler kept and drops what it deleted.
func (t *timeoutWriter) commitHeaderLocked() {
	if t.h == nil {
		return
	}
	dst := t.w.Header()
	clear(dst)
	for k, v := range t.h {
		dst[k] = v
	}
}

// syncTrailers copies the trailers the handler set after committing:
// values of keys it declared in a Trailer header, or keys with
// http.TrailerPrefix. Without either there is nothing to copy. The keys
// are looked at, not counted: a handler that deleted a header after
// committing and then set a prefixed trailer leaves as many keys as were
// copied, and net/http would have sent that trailer.
func (t *timeoutWriter) syncTrailers() {
	if t.h == nil {
		return
	}
	if _, declared := t.h["Trailer"]; !declared && !hasPrefixedTrailer(t.h) {
		return
	}
	dst := t.w.Header()
	for k, v := range t.h {
		dst[k] = v
	}
}

// hasPrefixedTrailer reports whether h has a key with http.TrailerPrefix.
func hasPrefixedTrailer(h http.Header) bool {
	for k := range h {
		if strings.HasPrefix(k, http.TrailerPrefix) {
			return true
		}
	}
	return false
}

func (t *timeoutWriter) WriteHeader(code int) {
	t.ctx.mu.Lock()
	defer t.ctx.mu.Unlock()
	if t.hijacked || t.wroteHeader || t.lostLocked() != nil {
		return // superfluous, or late: never reaches w
	}
	t.commitHeaderLocked()
	if code >= 200 || code == http.StatusSwitchingProtocols {
		t.wroteHeader, t.code = true, int32(code)
	}
	t.w.WriteHeader(code)
}

func (t *timeoutWriter) Write(p []byte) (int, error) {
	t.ctx.mu.Lock()
	defer t.ctx.mu.Unlock()
	if err := t.lostLocked(); err != nil {
		return 0, err
	}
	if t.hijacked {
		return 0, http.ErrHijacked
	}
	if !t.wroteHeader {
		t.commitHeaderLocked()
		t.wroteHeader, t.code = true, http.StatusOK
	}
	return t.w.Write(p)
}

func (t *timeoutWriter) flush() error {
	t.ctx.mu.Lock()
	defer t.ctx.mu.Unlock()
	if err := t.lostLocked(); err != nil {
		return err
	}
	if t.hijacked {
		return http.ErrHijacked
	}
	if !t.wroteHeader {
		t.commitHeaderLocked()
		t.wroteHeader, t.code = true, http.StatusOK
	}
	if f, ok := t.w.(interface{ FlushError() error }); ok {
		return f.FlushError()
	}
	t.w.(http.Flusher).Flush()
	return nil
}

func (t *timeoutWriter) hijack() (net.Conn, *bufio.ReadWriter, error) {
	t.ctx.mu.Lock()
	defer t.ctx.mu.Unlock()
	if err := t.lostLocked(); err != nil {
		return nil, nil, err
	}
	c, rw, err := t.w.(http.Hijacker).Hijack()
	if err == nil {
		t.hijacked = true
	}
	return c, rw, err
}

// SetReadDeadline is http.ResponseController's, applied to the underlying
// writer while the handler still owns it.
func (t *timeoutWriter) SetReadDeadline(d time.Time) error {
	return t.control(func(rc *http.ResponseController) error { return rc.SetReadDeadline(d) })
}

// SetWriteDeadline is http.ResponseController's, applied to the underlying
// writer while the handler still owns it.
func (t *timeoutWriter) SetWriteDeadline(d time.Time) error {
	return t.control(func(rc *http.ResponseController) error { return rc.SetWriteDeadline(d) })
}

// EnableFullDuplex is http.ResponseController's, applied to the underlying
// writer while the handler still owns it.
func (t *timeoutWriter) EnableFullDuplex() error {
	return t.control(func(rc *http.ResponseController) error { return rc.EnableFullDuplex() })
}

func (t *timeoutWriter) control(f func(*http.ResponseController) error) error {
	t.ctx.mu.Lock()
	defer t.ctx.mu.Unlock()
	if err := t.lostLocked(); err != nil {
		return err
	}
	return f(http.NewResponseController(t.w))
}

// Unwrap never returns the underlying writer: it is shared with the
// goroutine that answers at the deadline. It returns a marker of the
// response's state for errdoc.Committed, errdoc.Hijacked and
// errdoc.Status: nil while nothing was sent, a committed writer that drops
// everything once the handler sent its status or lost the writer at the
// deadline (so code that renders an error afterwards logs it instead of
// writing), a hijacked one after Hijack.
func (t *timeoutWriter) Unwrap() http.ResponseWriter {
	t.ctx.mu.Lock()
	defer t.ctx.mu.Unlock()
	switch {
	case t.hijacked:
		return hijackMarker()
	case t.wroteHeader:
		return committedMarker(int(t.code))
	case t.lostLocked() != nil:
		return committedMarker(http.StatusGatewayTimeout)
	}
	return nil
}
