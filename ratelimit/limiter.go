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
	"unsafe"

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
	detail     string
	// The values that change once a second, not per request: rebuilt by
	// the first request that needs others.
	clock atomic.Pointer[headerClock]
}

// headerClock holds the header values that depend only on the seconds
// until the window ends: the same for every request of that second.
type headerClock struct {
	t        int64    // seconds until the quota is restored
	reset    int64    // Unix seconds of that moment
	tPart    string   // ";t=17"
	resetHdr []string // X-RateLimit-Reset
}

// Errors NewLimiter returns for options it refuses.
var (
	ErrInvalidLimit  = errors.New("ratelimit: Limit must be positive")
	ErrInvalidWindow = errors.New("ratelimit: Window must be at least a millisecond")
	ErrInvalidName   = errors.New("ratelimit: Name may hold only letters, digits and - _ . : /")
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
		families: (RetryAfterHeader | IETFHeaders | XRateLimitHeaders) &^ opts.DisableHeaders,
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
	l.detail = "The rate limit of " + strconv.Itoa(opts.Limit) + " requests per " + opts.Window.String() +
		" is used up. Retry after the number of seconds in Retry-After."
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
	errdoc.Write(w, r, &errdoc.Error{Status: l.status, Detail: l.detail})
	return false
}

// setHeaders writes the enabled header families. The values that change
// once a second come from the limiter's headerClock; the ones that change
// per request (the remaining units, Retry-After) share one allocation.
func (l *Limiter) setHeaders(h http.Header, res Result, wait time.Duration, now time.Time) {
	if l.families == 0 {
		return
	}
	var t int64 // seconds until the quota is restored: Retry-After when refused
	if res.Allowed {
		t = wholeSeconds(l.window - res.Elapsed)
	} else {
		t = wholeSeconds(wait)
	}
	r := remaining(res.Previous, res.Current, l.limit, res.Elapsed, l.window)
	hc := l.clockFor(t, now.Unix()+t)

	v := new(headerValues)
	b := v.buf[:0]
	n := 0
	var ends [3]int
	if l.families&IETFHeaders != 0 {
		b = append(b, l.ietfPrefix...)
		b = strconv.AppendInt(b, r, 10)
		b = append(b, hc.tPart...)
		ends[n], n = len(b), n+1
	}
	if l.families&XRateLimitHeaders != 0 {
		b = strconv.AppendInt(b, r, 10)
		ends[n], n = len(b), n+1
	}
	if !res.Allowed && l.families&RetryAfterHeader != 0 {
		b = strconv.AppendInt(b, t, 10)
		ends[n], n = len(b), n+1
	}
	start := 0
	for i := 0; i < n; i++ {
		if ends[i] > start {
			v.vals[i] = unsafe.String(&b[start], ends[i]-start)
		}
		start = ends[i]
	}
	i := 0
	if l.families&IETFHeaders != 0 {
		h["Ratelimit-Policy"] = l.policyHdr
		h["Ratelimit"] = v.vals[i : i+1 : i+1]
		i++
	}
	if l.families&XRateLimitHeaders != 0 {
		h["X-Ratelimit-Limit"] = l.limitHdr
		h["X-Ratelimit-Remaining"] = v.vals[i : i+1 : i+1]
		h["X-Ratelimit-Reset"] = hc.resetHdr
		i++
	}
	if !res.Allowed && l.families&RetryAfterHeader != 0 {
		h["Retry-After"] = v.vals[i : i+1 : i+1]
	}
}

// headerValues is one request's header values, in one allocation: the
// strings point into buf. It is never reused, so a value a handler keeps
// stays what it was.
type headerValues struct {
	vals [3]string
	buf  [headerBuf]byte
}

// headerBuf holds the values of a name of up to 30 bytes with counts and
// seconds of up to 9 digits (128 bytes with vals); longer ones spill into
// a second allocation, which the strings then point into just as safely.
const headerBuf = 80

// clockFor returns the headerClock for t and reset, building it when the
// second changed.
func (l *Limiter) clockFor(t, reset int64) *headerClock {
	if hc := l.clock.Load(); hc != nil && hc.t == t && hc.reset == reset {
		return hc
	}
	hc := &headerClock{
		t:        t,
		reset:    reset,
		tPart:    ";t=" + strconv.FormatInt(t, 10),
		resetHdr: []string{strconv.FormatInt(reset, 10)},
	}
	l.clock.Store(hc)
	return hc
}

// failed applies the failure policy to a Counter error.
func (l *Limiter) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	l.report(r, err)
	if !l.failClosed {
		return true
	}
	w.Header()["Retry-After"] = l.unavailableRA
	errdoc.Write(w, r, &errdoc.Error{
		Status: http.StatusServiceUnavailable,
		Detail: "Requests cannot be counted against their rate limit right now. Retry after the number of seconds in Retry-After.",
		Public: true,
		Cause:  reportedError{err},
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
		slog.Int64("failures_not_logged", l.suppressed.Swap(0)),
		slog.String("error", err.Error()))
}
