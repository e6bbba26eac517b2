package recoverer

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/faultline-go/faultline/errdoc"
)

// Options configures the middleware. The zero value is ready to use; each
// field documents what its zero value means.
type Options struct {
	// Logger receives one error record per panic: method, path, route,
	// request ID, panic value, stack and outcome. Nil means slog.Default()
	// at the time of the panic. A logger that panics is contained.
	Logger *slog.Logger

	// Report, if set, is called once per recovered panic, after logging and
	// before the response is written or aborted, for error trackers. A Report
	// that panics is contained and logged. Nil means no call.
	Report func(Report)

	// Development puts the panic value and the stack into the 500 document's
	// meta ("panic", "stack"), for local debugging. Never enable it in
	// production: the panic value may hold secrets. False means the document
	// carries nothing of the panic.
	Development bool

	// MaxStackBytes caps the stack kept in logs, reports and development
	// documents. Zero means 32 KiB.
	MaxStackBytes int
}

// New returns the middleware with zero Options:
//
//	r.Use(recoverer.New())
func New() func(http.Handler) http.Handler {
	return WithOptions(Options{})
}

// WithOptions returns the middleware configured by opts.
func WithOptions(opts Options) func(http.Handler) http.Handler {
	rc := &recoverer{opts: opts, maxStack: 32 << 10}
	if opts.MaxStackBytes > 0 {
		rc.maxStack = opts.MaxStackBytes
	}
	return func(next http.Handler) http.Handler {
		return &handler{rc: rc, next: next}
	}
}

type recoverer struct {
	opts     Options
	maxStack int
}

type handler struct {
	rc   *recoverer
	next http.Handler
}

// Unwrap returns the handler this one guards, so that errdoc's Handler
// mounted above can look through it for chi's RequestID below.
func (h *handler) Unwrap() http.Handler { return h.next }

// ServeHTTP tracks the response (free when errdoc.Handler already does: one
// small allocation otherwise, see errdoc.Track), and turns a panic of next
// into a document or an abort.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw, tracking := errdoc.Track(w)
	defer func() {
		if p := recover(); p != nil {
			defer tracking.Release() // also when recovered panics again to abort
			h.rc.recovered(tw, r, p)
			return
		}
		tracking.Release()
	}()
	h.next.ServeHTTP(tw, r)
}

// recovered handles panic value p of the handler serving r on w.
func (rc *recoverer) recovered(w http.ResponseWriter, r *http.Request, p any) {
	if isAbort(p) {
		// http.ErrAbortHandler passes through unlogged, bare: net/http stays
		// silent only for the sentinel itself, and would log a wrapped one
		// with its stack.
		panic(http.ErrAbortHandler)
	}
	stack := debug.Stack()
	if len(stack) > rc.maxStack {
		stack = stack[:rc.maxStack]
	}
	perr := &PanicError{Value: p, Stack: stack}
	outcome := Rendered
	switch {
	case errdoc.Hijacked(w):
		outcome = Hijacked
	case errdoc.Committed(w):
		outcome = Aborted
	}
	id := errdoc.RequestIDFrom(r.Context())
	rc.log(r, id, perr, outcome)
	rc.report(Report{Request: r, RequestID: id, Err: perr, Outcome: outcome})

	switch outcome {
	case Hijacked:
		return
	case Aborted:
		panic(http.ErrAbortHandler)
	}
	// errdoc.Write drops the headers the handler set for the body it meant
	// to send: they do not describe the error document.
	e := &errdoc.Error{Status: http.StatusInternalServerError, Cause: perr}
	if rc.opts.Development {
		e.Meta = map[string]any{"panic": valueText(p), "stack": string(stack)}
	}
	errdoc.Write(w, r, e)
}

func isAbort(p any) bool {
	err, ok := p.(error)
	return ok && errors.Is(err, http.ErrAbortHandler)
}

// log writes the panic's record.
func (rc *recoverer) log(r *http.Request, id string, perr *PanicError, outcome Outcome) {
	rc.logSafely(context.WithoutCancel(r.Context()), "panic recovered",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("route", errdoc.RoutePattern(r)),
		slog.String("request_id", id),
		slog.String("panic", valueText(perr.Value)),
		slog.String("outcome", outcome.String()),
		slog.String("stack", string(perr.Stack)),
	)
}

// report calls the hook; a panicking hook is contained and logged.
func (rc *recoverer) report(rep Report) {
	if rc.opts.Report == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			rc.logSafely(context.Background(), "recoverer: report hook panicked",
				slog.String("request_id", rep.RequestID))
		}
	}()
	rc.opts.Report(rep)
}

// logSafely writes one error record to Options.Logger, else slog.Default();
// a panicking logger is contained.
func (rc *recoverer) logSafely(ctx context.Context, msg string, attrs ...slog.Attr) {
	defer func() { _ = recover() }()
	lg := rc.opts.Logger
	if lg == nil {
		lg = slog.Default()
	}
	lg.LogAttrs(ctx, slog.LevelError, msg, attrs...)
}
