package recoverer

import (
	"fmt"
	"net/http"
)

// PanicError is a recovered panic. It is the Cause of the 500 document (so it
// reaches errdoc's Observe hook) and the error of a Report. Unwrap returns the
// panic value when it is an error, so errors.Is and errors.As see through it
// (to a runtime.Error, say, or *runtime.PanicNilError for panic(nil)).
type PanicError struct {
	// Value is what was passed to panic.
	Value any
	// Stack is the goroutine's stack at the time of the panic, capped at
	// Options.MaxStackBytes.
	Stack []byte
}

// Error describes the panic for logs. It contains the panic value, which may
// hold secrets: never show it to clients.
func (e *PanicError) Error() string {
	return "panic: " + valueText(e.Value)
}

// Unwrap returns the panic value if it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Logged reports true: the recoverer logs every panic itself, with its
// stack, so the renderer does not log it again.
func (e *PanicError) Logged() bool { return true }

// valueText formats a panic value. fmt recovers from panicking String and
// Error methods by itself, so this cannot panic.
func valueText(v any) string {
	return fmt.Sprint(v)
}

// Outcome is what the recoverer did with the response.
type Outcome uint8

const (
	// Rendered means nothing had been sent: the client got the 500 document.
	Rendered Outcome = iota
	// Aborted means the response was already committed: it was aborted with
	// http.ErrAbortHandler so the client sees it broken.
	Aborted
	// Hijacked means the connection had been hijacked: nothing was written.
	Hijacked
)

// String returns "rendered", "aborted" or "hijacked".
func (o Outcome) String() string {
	switch o {
	case Rendered:
		return "rendered"
	case Aborted:
		return "aborted"
	case Hijacked:
		return "hijacked"
	}
	return "unknown"
}

// Report describes one recovered panic, for Options.Report.
type Report struct {
	// Request is the request whose handler panicked. Treat it as read-only.
	Request *http.Request
	// RequestID is the errdoc request ID, "" without errdoc.Handler.
	RequestID string
	// Err is the panic, with its value and stack.
	Err *PanicError
	// Outcome says what the client got.
	Outcome Outcome
}
