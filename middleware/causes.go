package middleware

import (
	"context"
	"errors"
	"fmt"

	"github.com/faultline-go/faultline/errdoc"
)

// The causes this package cancels contexts with (context.Cause returns
// them), so that a context's end says who ended it. A context that ends
// with a plain context.Canceled, with none of these causes and not the
// server's shutdown (ServerShutdown), was ended by net/http: its client
// went away, as errdoc.HungUp decides. The deadline causes wrap
// context.DeadlineExceeded, so errors.Is and errdoc.Classify (504) treat
// them as the deadlines they are.
var (
	// ErrTimeout is the cause of a Timeout's context at its deadline. It
	// reports Logged() true (errdoc.Logged): the Timeout records the
	// deadline once, with its 504 or with the response it aborted, so a
	// handler that renders its context's error after the deadline
	// (errdoc.Write(w, r, r.Context().Err())) adds no second record of it.
	ErrTimeout error = &timeoutPassed{"middleware: the Timeout's deadline passed: " + context.DeadlineExceeded.Error()}

	// ErrHandlerReturned is the cause of a Timeout's context once its
	// handler returned, as a context.WithCancel's ends when its cancel
	// function is deferred: what a goroutine the handler left behind
	// sees.
	ErrHandlerReturned = errors.New("middleware: the timed handler returned")

	// ErrUpstreamTimeout is the cause of the context of a call made by
	// DoUpstreamWithin at its deadline.
	ErrUpstreamTimeout = fmt.Errorf("middleware: the upstream call's deadline passed: %w", context.DeadlineExceeded)

	// ErrBacklogTimeout is the cause of a Throttle backlog wait that ran
	// out of time.
	ErrBacklogTimeout = fmt.Errorf("middleware: the wait in Throttle's backlog timed out: %w", context.DeadlineExceeded)

	// ErrServerShutdown is the cause of the request contexts a
	// ServerShutdown ends when a graceful shutdown runs out of time.
	ErrServerShutdown = errors.New("middleware: the server shut down before the request finished")

	// ErrServerClosed is the cause of the request contexts a
	// ServerShutdown ends when it closes the server at once.
	ErrServerClosed = errors.New("middleware: the server was closed before the request finished")
)

// timeoutPassed is ErrTimeout's type: a pointer, one value, so that
// ErrTimeout compares equal only to itself, as the other causes do.
type timeoutPassed struct{ msg string }

func (e *timeoutPassed) Error() string { return e.msg }
func (*timeoutPassed) Unwrap() error   { return context.DeadlineExceeded }
func (*timeoutPassed) Logged() bool    { return true }

var _ errdoc.Logged = (*timeoutPassed)(nil)

// cancelledWith returns a context cancelled with cause, once: a Timeout's
// context answers context.Cause through it (see timeoutCtx.Value). It is
// never cancelled again, so its cause never changes.
func cancelledWith(cause error) context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(cause)
	return ctx
}

// The contexts that carry a Timeout's own causes; built at start-up and
// never changed.
var (
	timeoutCause  = cancelledWith(ErrTimeout)
	returnedCause = cancelledWith(ErrHandlerReturned)
)
