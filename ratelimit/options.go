package ratelimit

import (
	"log/slog"
	"net/http"
	"time"
)

// HeaderFamily selects groups of rate-limit response headers.
type HeaderFamily uint8

const (
	// RetryAfterHeader is Retry-After on rejections: the whole seconds until
	// a request would be admitted.
	RetryAfterHeader HeaderFamily = 1 << iota
	// IETFHeaders are the fields of draft-ietf-httpapi-ratelimit-headers:
	// RateLimit-Policy: "default";q=100;w=60 and RateLimit: "default";r=0;t=17.
	IETFHeaders
	// XRateLimitHeaders are X-RateLimit-Limit, X-RateLimit-Remaining and
	// X-RateLimit-Reset (Unix seconds), for clients written against
	// GitHub's or Twitter's fields before the IETF ones. Off unless
	// Options.EnableHeaders turns them on: they say what RateLimit and
	// RateLimit-Policy say, and three more fields on every response are
	// three more map entries and header lines per request (past eight
	// entries, net/http's header map and its copy at WriteHeader grow into
	// full hash tables: the README stack's 404 document costs about 750
	// bytes and 3 allocations more per request with them, before net/http
	// copies the map at WriteHeader).
	XRateLimitHeaders
)

// FailurePolicy says what happens to a request when the Counter fails (Redis
// unreachable, say).
type FailurePolicy uint8

const (
	// FailOpen lets the request through unlimited. Availability first.
	FailOpen FailurePolicy = iota
	// FailClosed answers 503 Service Unavailable with Retry-After.
	FailClosed
)

// Options configures a Limiter. Limit and Window are required; every other
// field documents what its zero value means.
type Options struct {
	// Limit is how many request units are admitted per Window. Required.
	Limit int

	// Window is the length of the sliding window, at least a millisecond.
	// Required.
	Window time.Duration

	// Name identifies the limiter: it is the namespace its counts are kept
	// under on the Counter, and the policy's name in the RateLimit and
	// RateLimit-Policy headers. Letters, digits and - _ . : / only, at most
	// 64 bytes. Two limiters with one Name and one Limit and Window share
	// one budget, on purpose; with another Limit or Window, NewLimiter
	// refuses the second. Empty means a namespace derived from Limit and
	// Window (so that instances of a service share counts on one Redis) and
	// "default" in the headers; a second unnamed limiter with the same Limit
	// and Window on one Counter is refused.
	Name string

	// Key returns the key requests are counted under. Nil means KeyByIP,
	// which never trusts forwarding headers. See KeyFunc for the key
	// functions that are safe for unauthenticated traffic.
	Key KeyFunc

	// Cost returns how many units a request uses; a cost of 0 or less lets
	// the request through without counting it. Nil means 1 per request.
	Cost func(*http.Request) int

	// Counter stores the counts. Nil means a MemoryCounter of its own, with
	// zero MemoryOptions. Any number of limiters may share one Counter,
	// each under its own namespace (see Name). Share a rediscounter.RedisCounter
	// between instances to enforce one limit for all of them.
	Counter Counter

	// Legacy answers 420 Enhance Your Calm (Twitter's v1 Search and Trends
	// APIs) instead of 429 Too Many Requests.
	Legacy bool

	// EnableHeaders turns on the header families that are off by default:
	// XRateLimitHeaders. Zero sends none of them.
	EnableHeaders HeaderFamily

	// DisableHeaders turns header families off, and wins over
	// EnableHeaders. Zero sends the default families: RetryAfterHeader on
	// refusals and IETFHeaders on every counted response.
	DisableHeaders HeaderFamily

	// OnFailure is what happens when the Counter fails. The zero value is
	// FailOpen.
	OnFailure FailurePolicy

	// UnavailableRetryAfter is the Retry-After of FailClosed's 503, rounded
	// up to whole seconds. Zero means 1 second.
	UnavailableRetryAfter time.Duration

	// OnCounterError, if set, is called for every Counter failure, so that
	// operators can count and alert on them. Nil means the failures are
	// logged at Warn, at most once per second, with the number not logged
	// since. Either way the errdoc renderer does not log FailClosed's 503s
	// again (their cause is errdoc.Logged).
	OnCounterError func(*http.Request, error)

	// Logger receives counter failures when OnCounterError is nil. Nil means
	// slog.Default().
	Logger *slog.Logger

	// Now returns the current time. Nil means time.Now. Tests pass a fake
	// clock; rediscounter.RedisCounter uses Redis's clock for the counting itself.
	Now func() time.Time
}
