package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/faultline-go/faultline/errdoc"
)

// Limiter is a rate-limiting middleware. Build one per router or route group
// with NewLimiter, or use the New and Legacy shorthands. It is safe for
// concurrent use and holds no lock of its own: counting is the Counter's.
type Limiter struct {
	ns       string // Policy.Namespace
	limit    int64
	window   time.Duration
	key      KeyFunc
	cost     func(*http.Request) int
	counter  Counter
	status   int
	families HeaderFamily
	now      func() time.Time

	failClosed    bool
	unavailableRA []string
	onErr         func(*http.Request, error)
	logger        *slog.Logger
	lastLog       atomic.Int64
	suppressed    atomic.Int64 // failures not logged since the last record

	// Precomputed header values and prefixes.
	policyHdr  []string // RateLimit-Policy
	limitHdr   []string // X-RateLimit-Limit
	ietfPrefix string   // "name";r=
	// msg is the 429's detail; its Args are shared by every refusal and
	// never written.
	msg errdoc.Message
	// The values of the current second (see headers.go).
	clock atomic.Pointer[headerClock]
}

// Errors NewLimiter returns for options it refuses.
var (
	ErrInvalidLimit  = errors.New("ratelimit: Limit must be positive")
	ErrInvalidWindow = errors.New("ratelimit: Window must be at least a millisecond")
	ErrInvalidName   = errors.New("ratelimit: Name may hold only letters, digits and - _ . : /, at most 64 bytes")
)

// NewLimiter returns a limiter configured by opts, or an error for an
// invalid Limit, Window or Name, or one wrapping ErrNamespaceConflict when
// the Counter already serves a limiter it could not tell apart from this one
// (see Options.Name).
func NewLimiter(opts Options) (*Limiter, error) {
	if opts.Limit <= 0 {
		return nil, ErrInvalidLimit
	}
	if opts.Window < time.Millisecond {
		return nil, ErrInvalidWindow
	}
	if opts.Name != "" && !validName(opts.Name) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidName, opts.Name)
	}
	name := opts.Name
	if name == "" {
		name = "default"
	}
	policy := policyFor(opts.Name, int64(opts.Limit), opts.Window)
	l := &Limiter{
		ns:       policy.Namespace,
		limit:    int64(opts.Limit),
		window:   opts.Window,
		key:      opts.Key,
		cost:     opts.Cost,
		counter:  opts.Counter,
		status:   http.StatusTooManyRequests,
		families: (RetryAfterHeader | IETFHeaders | opts.EnableHeaders) &^ opts.DisableHeaders,
		now:      opts.Now,

		failClosed: opts.OnFailure == FailClosed,
		onErr:      opts.OnCounterError,
		logger:     opts.Logger,
	}
	if opts.Legacy {
		l.status = 420
	}
	if l.key == nil {
		l.key = KeyByIP
	}
	if l.counter == nil {
		l.counter = NewMemoryCounter(MemoryOptions{})
	}
	if err := l.counter.Claim(policy); err != nil {
		return nil, err
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.logger == nil {
		l.logger = slog.Default()
	}
	ra := opts.UnavailableRetryAfter
	if ra <= 0 {
		ra = time.Second
	}
	l.unavailableRA = []string{strconv.FormatInt(wholeSeconds(ra), 10)}
	windowSecs := wholeSeconds(opts.Window)
	l.policyHdr = []string{`"` + name + `";q=` + strconv.Itoa(opts.Limit) + ";w=" + strconv.FormatInt(windowSecs, 10)}
	l.limitHdr = []string{strconv.Itoa(opts.Limit)}
	l.ietfPrefix = `"` + name + `";r=`
	l.msg = errdoc.Message{Key: "ratelimit.used_up", Args: []errdoc.Arg{
		errdoc.Str("limit", strconv.Itoa(opts.Limit)), errdoc.Str("window", opts.Window.String())}}
	return l, nil
}

func validName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':' || c == '/') {
			return false
		}
	}
	return s != "" && len(s) <= 64
}

// New returns a middleware admitting limit requests per window from each
// client IP (KeyByIP), counted in memory, answering 429 beyond.
//
// New panics if limit is not positive or window is under a millisecond.
func New(limit int, window time.Duration) func(http.Handler) http.Handler {
	return must(Options{Limit: limit, Window: window}).Handler
}

// Legacy is New answering 420 Enhance Your Calm, as Twitter's v1 Search and
// Trends APIs did.
//
// Legacy panics if limit is not positive or window is under a millisecond.
func Legacy(limit int, window time.Duration) func(http.Handler) http.Handler {
	return must(Options{Limit: limit, Window: window, Legacy: true}).Handler
}

func must(opts Options) *Limiter {
	l, err := NewLimiter(opts)
	if err != nil {
		panic(err)
	}
	return l
}

// Namespace returns the namespace the limiter counts under on its Counter:
// Options.Name, or the one derived from its limit and window ("~100/1m0s").
// On a rediscounter.RedisCounter, RedisKey(l.Namespace(), key) is where a
// client's count is.
func (l *Limiter) Namespace() string { return l.ns }

// Handler is the middleware.
func (l *Limiter) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.allow(w, r) {
			next.ServeHTTP(w, r)
		}
	})
}

// allow decides for r, sets the headers, writes the rejection if any, and
// reports whether next should run.
func (l *Limiter) allow(w http.ResponseWriter, r *http.Request) bool {
	cost := int64(1)
	if l.cost != nil {
		cost = int64(l.cost(r))
		if cost <= 0 {
			return true
		}
	}
	key, err := l.key(r)
	if err != nil {
		errdoc.Write(w, r, err)
		return false
	}
	now := l.now()
	res, err := l.counter.Take(r.Context(), key, Quota{Namespace: l.ns, Limit: l.limit, Cost: cost, Window: l.window, Now: now})
	if err != nil {
		return l.failed(w, r, err)
	}
	var wait time.Duration
	if !res.Allowed {
		wait = retryAfter(res.Previous, res.Current, cost, l.limit, res.Elapsed, l.window)
	}
	l.setHeaders(w.Header(), res, wait, now)
	if res.Allowed {
		return true
	}
	errdoc.Write(w, r, &errdoc.Error{Status: l.status, Message: l.msg})
	return false
}

// failed applies the failure policy to a Counter error.
func (l *Limiter) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	l.report(r, err)
	if !l.failClosed {
		return true
	}
	w.Header()["Retry-After"] = l.unavailableRA
	errdoc.Write(w, r, &errdoc.Error{
		Status:  http.StatusServiceUnavailable,
		Message: errdoc.Message{Key: "ratelimit.unavailable"},
		Public:  true,
		Cause:   reportedError{err},
	})
	return false
}

// reportedError is a counter failure the limiter has reported itself
// (OnCounterError, or its log at most once a second): it tells the errdoc
// Renderer not to log every 503 again (errdoc.Logged), which during an
// outage would be one ERROR record per request.
type reportedError struct{ err error }

func (e reportedError) Error() string { return e.err.Error() }
func (e reportedError) Unwrap() error { return e.err }
func (e reportedError) Logged() bool  { return true }

var _ errdoc.Logged = reportedError{}

// report tells operators about a counter failure: through OnCounterError,
// else the logger at most once a second. A panicking hook is contained.
func (l *Limiter) report(r *http.Request, err error) {
	if l.onErr != nil {
		defer func() { _ = recover() }()
		l.onErr(r, err)
		return
	}
	now := time.Now().UnixNano()
	last := l.lastLog.Load()
	if now-last < int64(time.Second) || !l.lastLog.CompareAndSwap(last, now) {
		l.suppressed.Add(1)
		return
	}
	policy := "fail-open"
	if l.failClosed {
		policy = "fail-closed"
	}
	l.logger.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelWarn, "rate limit counter failed",
		slog.String("policy", policy),
		slog.String("limiter", l.ns),
		slog.String("request_id", errdoc.RequestIDFrom(r.Context())),
		slog.String("route", errdoc.RoutePattern(r)),
		slog.Int64("failures_not_logged", l.suppressed.Swap(0)),
		slog.String("error", err.Error()))
}
