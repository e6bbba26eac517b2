// Package recoverer turns a panic anywhere below it into errdoc's 500 error
// document, and never leaks or breaks anything doing so.
//
// The panic value never reaches the client: it is logged through log/slog
// with the request ID and the stack, and handed to an optional report hook
// for error trackers. When the response was already committed (headers sent
// or flushed) the response is aborted with http.ErrAbortHandler, so the
// client sees a broken response rather than a truncated one that looks
// complete; a hijacked connection is left alone. A panic carrying
// http.ErrAbortHandler (bare or wrapped) passes through as the bare
// sentinel, so net/http aborts quietly. A handler that calls WriteHeader
// with a code net/http refuses gets the 500 document too: the code never
// counts as sent.
//
// The recoverer tracks the response with errdoc.Track. Below errdoc.Handler
// the response is already tracked and the happy path costs no allocation
// (about the cost of chi's middleware.Recoverer); standalone it allocates
// one small wrapper per request (about 25 ns and 24 bytes more than chi's,
// which cannot tell a committed response from a fresh one). Wrappers are
// never pooled: a goroutine of the handler may still hold one.
//
// Usage:
//
//	r := chi.NewRouter()
//	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler) // request IDs, format
//	r.Use(recoverer.New())
package recoverer
