package ratelimit

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
	"unsafe"
)

// Header values are built once a second, not per request: the seconds
// until the window ends (and so X-RateLimit-Reset) are the same for every
// client of a limiter, because windows are aligned to the Unix epoch, and
// the remaining units are the same for every client that has used as much.
// A headerClock holds the values of one second; its recent table keeps the
// values of the remaining counts last seen, so the many clients of a
// limiter at one count share one set of strings. A request finding none
// builds them in one allocation.

// headerClock holds the header values of one second of the window.
type headerClock struct {
	t        int64    // seconds until the quota is restored
	reset    int64    // Unix seconds of that moment
	tPart    string   // ";t=17"
	resetHdr []string // X-RateLimit-Reset
	recent   [recentValues]atomic.Pointer[headerValues]
}

// recentValues is how many remaining counts a headerClock remembers.
const recentValues = 64

// headerValues is the values of one remaining count, RateLimit and
// X-RateLimit-Remaining, in 80 bytes (the strings point into buf). Values
// are never changed once built, so a handler keeping one keeps what it saw.
type headerValues struct {
	r    int64
	vals [2]string
	buf  [headerBuf]byte
}

// refusedValues adds a refusal's X-RateLimit-Reset and Retry-After.
type refusedValues struct {
	headerValues
	more [2]string
}

// headerBuf fits the values of a limiter whose name has up to 14 bytes
// ("default" has 7) and counts of up to 9 digits; longer values spill into
// a second allocation, which the strings then point into just as safely.
const headerBuf = 40

const (
	valIETF = iota
	valRemaining
)

// setHeaders writes the enabled header families.
func (l *Limiter) setHeaders(h http.Header, res Result, wait time.Duration, now time.Time) {
	if l.families == 0 {
		return
	}
	r := remaining(res.Previous, res.Current, l.limit, res.Elapsed, l.window)
	var v *headerValues
	var resetHdr []string
	if res.Allowed {
		// t is when the quota is back: the window's end while some is
		// left; with none left, when the next request would be admitted,
		// which the sliding window may put past the window's end (the
		// Retry-After the next request would get, not an earlier promise).
		t := wholeSeconds(l.window - res.Elapsed)
		if r == 0 {
			t = wholeSeconds(retryAfter(res.Previous, res.Current, 1, l.limit, res.Elapsed, l.window))
		}
		hc := l.clockFor(t, now.Unix()+t)
		v = l.allowedValues(hc, r, t)
		resetHdr = hc.resetHdr
	} else {
		// Refused: t is the wait until a request would be admitted.
		t := wholeSeconds(wait)
		rv := &refusedValues{}
		l.buildValues(&rv.headerValues, r, t, ";t="+strconv.FormatInt(t, 10), now.Unix()+t, &rv.more)
		v = &rv.headerValues
		resetHdr = rv.more[0:1:1]
		if l.families&RetryAfterHeader != 0 {
			h["Retry-After"] = rv.more[1:2:2]
		}
	}
	if l.families&IETFHeaders != 0 {
		h["Ratelimit-Policy"] = l.policyHdr
		h["Ratelimit"] = v.vals[valIETF : valIETF+1 : valIETF+1]
	}
	if l.families&XRateLimitHeaders != 0 {
		h["X-Ratelimit-Limit"] = l.limitHdr
		h["X-Ratelimit-Remaining"] = v.vals[valRemaining : valRemaining+1 : valRemaining+1]
		h["X-Ratelimit-Reset"] = resetHdr
	}
}

// runLength is how many values allowedValues builds at once for a client
// using its budget one request after another.
const runLength = 32

// allowedValues returns the values of an allowed request leaving r units:
// from the headerClock when a client at that count was seen this second,
// else built and remembered. When the count above r was just seen (one
// client spending its budget request by request), it builds the values of
// the next runLength counts down in one allocation, so that client's
// following requests find theirs.
func (l *Limiter) allowedValues(hc *headerClock, r, t int64) *headerValues {
	if v := hc.recent[uint64(r)%recentValues].Load(); v != nil && v.r == r {
		return v
	}
	n := int64(1)
	if above := hc.recent[uint64(r+1)%recentValues].Load(); above != nil && above.r == r+1 {
		n = min(runLength, r+1) // r, r-1, ..., never below 0
	}
	vs := make([]headerValues, n)
	for i := range vs {
		ri := r - int64(i)
		l.buildValues(&vs[i], ri, t, hc.tPart, 0, nil)
		hc.recent[uint64(ri)%recentValues].Store(&vs[i])
	}
	return &vs[0]
}

// buildValues fills v with the values for r remaining units and t seconds
// (tPart is ";t=" and t), and for a refusal more with X-RateLimit-Reset and
// Retry-After. X-RateLimit-Remaining is the digits of r inside RateLimit.
func (l *Limiter) buildValues(v *headerValues, r, t int64, tPart string, reset int64, more *[2]string) {
	v.r = r
	b := append(v.buf[:0], l.ietfPrefix...)
	rStart := len(b)
	b = strconv.AppendInt(b, r, 10)
	rEnd := len(b)
	b = append(b, tPart...)
	ietfEnd := len(b)
	resetEnd := ietfEnd
	if more != nil {
		b = strconv.AppendInt(b, reset, 10)
		resetEnd = len(b)
		b = strconv.AppendInt(b, t, 10)
		more[0] = unsafe.String(&b[ietfEnd], resetEnd-ietfEnd)
		more[1] = unsafe.String(&b[resetEnd], len(b)-resetEnd)
	}
	// Every string points into b's final array (v.buf, or the larger one a
	// long name moved it to): nothing writes to either again.
	v.vals[valIETF] = unsafe.String(&b[0], ietfEnd)
	v.vals[valRemaining] = unsafe.String(&b[rStart], rEnd-rStart)
}

// clockFor returns the headerClock of t and reset, building a new one when
// the second changed.
func (l *Limiter) clockFor(t, reset int64) *headerClock {
	if hc := l.clock.Load(); hc != nil && hc.t == t && hc.reset == reset {
		return hc
	}
	hc := &headerClock{t: t, reset: reset, tPart: ";t=" + strconv.FormatInt(t, 10), resetHdr: []string{strconv.FormatInt(reset, 10)}}
	l.clock.Store(hc)
	return hc
}
