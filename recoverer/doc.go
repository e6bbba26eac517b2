// Package recoverer turns a panic anywhere below it into errdoc's 500 error
// document, and never leaks or breaks anything doing so.
//
// The panic value never reaches the client: it is logged through log/slog
// with the request ID and the stack, and handed to an optional report hook
// for error trackers. When the response was already committed (headers sent
// or flushed) the response is aborted with http.ErrAbortHandler, so the
// client sees a broken response rather than a truncated one that looks
// complete; a hijacked connection is left alone. http.ErrAbortHandler itself
// passes through untouched.
//
// Usage:
//
//	r := chi.NewRouter()
//	r.Use(errdoc.NewRenderer(errdoc.Options{}).Handler) // request IDs, format
//	r.Use(recoverer.New())
package recoverer
