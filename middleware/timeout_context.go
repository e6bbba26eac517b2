package middleware

import (
	"context"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
)

// timeoutCtx is the context a timed handler runs with. It lives inside the
// request's timeoutWriter, so the context, the handler's request and its
// writer cost one allocation (and its Done channel another), where
// context.WithTimeout and Request.WithContext cost six (the context, the
// cancel function, the timer and its closure, the Done channel, the
// request). Its deadline is armed by the Timeout's deadlines, not by a
// timer of its own.
//
// It is done, with Err set before Done closes, at the first of:
//
//   - the deadline (DeadlineExceeded, set by the timer's function);
//   - the parent being done (its Err, set by the middleware's goroutine,
//     which waits for the parent's Done too);
//   - the handler returning (Canceled, as a cancel func would).
//
// Values come from the parent, but for chi's route context, which is the
// handler's own copy (see ownRoute). Contexts derived from it (context.WithCancel
// and the like) register through AfterFunc, so they cost no goroutine.
type timeoutCtx struct {
	// mu guards err, fromParent and afters, and the writer's state: one
	// lock for the whole request.
	mu sync.Mutex

	parent   context.Context
	route    *chi.Context  // the handler's own chi route context, or nil
	deadline time.Time     // the earlier of the parent's and ours
	done     chan struct{} // made before the handler starts

	err        error
	fromParent bool                    // err is the parent's
	answering  bool                    // a Timeout below writes its answer through this one (claimAnswer)
	queued     bool                    // on shard's list; guarded by the shard's mu
	afters     map[*afterFunc]struct{} // registered by AfterFunc, not yet run

	// The shard whose timer expires the context, and its links there,
	// guarded by the shard's mu. shard is nil when an earlier parent
	// deadline makes a timer needless.
	shard      *deadlineShard
	prev, next *timeoutCtx
}

var (
	_ context.Context = (*timeoutCtx)(nil)
	_ interface {
		AfterFunc(func()) func() bool
	} = (*timeoutCtx)(nil)
)

// Deadline returns the earlier of the parent's deadline and the
// middleware's.
func (c *timeoutCtx) Deadline() (time.Time, bool) { return c.deadline, true }

// Done returns a channel closed when the context is done.
func (c *timeoutCtx) Done() <-chan struct{} { return c.done }

// Err returns nil until Done is closed, then why it was.
func (c *timeoutCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Value returns the parent's value for key, except for the key by which
// context.Cause and the context package's propagation find the nearest
// cancellable ancestor. Unless this context ended because its parent did,
// the parent's cause is not this context's: while it runs there is none
// (derived contexts register through AfterFunc instead of with the
// parent), at its deadline Cause reads ErrTimeout, and once the handler
// returned ErrHandlerReturned, each from a context cancelled once with it
// (see cancelledWith). Context.Cause asks this key and reads the cause of
// the context it gets; the context package's propagation compares that
// context's Done channel with this one's, finds them different, and
// registers through AfterFunc.
func (c *timeoutCtx) Value(key any) any {
	if c.route != nil && key == any(chi.RouteCtxKey) {
		return c.route
	}
	if key == (timeoutKey{}) {
		return c
	}
	if key == cancelCtxKey {
		c.mu.Lock()
		err, fromParent := c.err, c.fromParent
		c.mu.Unlock()
		switch {
		case fromParent:
		case err == context.DeadlineExceeded:
			return timeoutCause.Value(key) // Cause: ErrTimeout
		case err != nil:
			return returnedCause.Value(key) // Cause: ErrHandlerReturned
		default:
			return nil
		}
	}
	return c.parent.Value(key)
}

// timeoutKey is the key under which a Timeout's context answers with
// itself, so that a Timeout below it knows that another one answers.
type timeoutKey struct{}

// String names the context for debugging, the way the context package's
// own contexts do.
func (c *timeoutCtx) String() string {
	return "middleware.Timeout(" + c.deadline.String() + ")"
}

// expire ends the context at its deadline; deadlines calls it.
func (c *timeoutCtx) expire() { c.cancel(context.DeadlineExceeded, false) }

// cancel ends the context with err unless it has ended already.
func (c *timeoutCtx) cancel(err error, fromParent bool) {
	c.mu.Lock()
	afters := c.cancelLocked(err, fromParent)
	c.mu.Unlock()
	runAfters(afters)
}

// cancelLocked ends the context with err unless it has ended already, and
// returns the functions registered by AfterFunc, for runAfters to start
// once mu is released.
func (c *timeoutCtx) cancelLocked(err error, fromParent bool) map[*afterFunc]struct{} {
	if c.err != nil {
		return nil
	}
	c.err, c.fromParent = err, fromParent
	close(c.done)
	afters := c.afters
	c.afters = nil
	return afters
}

// runAfters starts each function on its own goroutine, as
// context.AfterFunc does.
func runAfters(afters map[*afterFunc]struct{}) {
	for a := range afters {
		go a.f()
	}
}

// afterFunc is one function registered by AfterFunc.
type afterFunc struct {
	c *timeoutCtx
	f func()
}

// AfterFunc arranges for f to run on its own goroutine once the context is
// done, as context.AfterFunc documents. The context package calls it for
// every context derived from this one, which is then cancelled without a
// goroutine of its own waiting for Done.
func (c *timeoutCtx) AfterFunc(f func()) (stop func() bool) {
	a := &afterFunc{c: c, f: f}
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		go f()
		return a.stop
	}
	if c.afters == nil {
		c.afters = make(map[*afterFunc]struct{})
	}
	c.afters[a] = struct{}{}
	c.mu.Unlock()
	return a.stop
}

// stop unregisters the function; it reports whether it had not been
// started yet.
func (a *afterFunc) stop() bool {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	_, waiting := a.c.afters[a]
	delete(a.c.afters, a)
	return waiting
}

// cancelCtxKey is the key context.Cause passes to Value to find the
// nearest cancellable ancestor. The context package does not export it;
// it is learnt once, from the probe Cause is given. Should a Go release
// stop asking for it, the key is nil, Value never matches it, and
// TestTimeoutContext says so.
var cancelCtxKey = func() any {
	p := &causeProbe{}
	_ = context.Cause(p)
	return p.key
}()

// causeProbe is a context already cancelled whose Value records the key it
// is asked for.
type causeProbe struct{ key any }

func (*causeProbe) Deadline() (time.Time, bool) { return time.Time{}, false }
func (*causeProbe) Done() <-chan struct{}       { return nil }
func (*causeProbe) Err() error                  { return context.Canceled }
func (p *causeProbe) Value(key any) any {
	if p.key == nil {
		p.key = key
	}
	return nil
}
