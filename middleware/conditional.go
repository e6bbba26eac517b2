package middleware

import (
	"net/http"
	"strings"
	"time"

	"github.com/faultline-go/faultline/errdoc"
)

// Validators are the validators of a resource's current representation
// (RFC 9110 section 8.8): its entity tag, as sent in the ETag header
// (quoted, "W/" prefixed when weak), and its modification time.
type Validators struct {
	ETag         string
	LastModified time.Time
}

// ConditionalOptions configures ConditionalWithOptions. The zero value is
// ready to use; each field documents what its zero value means.
type ConditionalOptions struct {
	// Current returns the validators of the resource r targets and whether
	// it exists, for requests with unsafe methods (POST, PUT, PATCH,
	// DELETE...): their preconditions must hold before the handler changes
	// anything, so they cannot be read from its response. Nil means
	// preconditions of unsafe requests are left to the handler, which calls
	// CheckPreconditions once it knows the resource's state.
	Current func(r *http.Request) (v Validators, exists bool)
}

// Conditional returns the middleware for conditional requests (RFC 9110
// section 13) with zero options:
//
//	r.With(middleware.Conditional()).Get("/items/{id}", getItem)
//
// For GET and HEAD it evaluates the request's preconditions against the
// validators the handler sets on a 2xx response (its ETag and
// Last-Modified headers; see package etag for computed ones), in the order
// of RFC 9110 section 13.2.2: If-Match (strong comparison), else
// If-Unmodified-Since, failing with 412; then If-None-Match (weak
// comparison), else If-Modified-Since, answering 304 Not Modified with the
// validators and no body. The handler's body is then dropped (its writes
// return http.ErrBodyNotAllowed). Other statuses pass through untouched.
func Conditional() func(http.Handler) http.Handler {
	return ConditionalWithOptions(ConditionalOptions{})
}

// ConditionalWithOptions is Conditional configured by opts.
func ConditionalWithOptions(opts ConditionalOptions) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			safe := r.Method == http.MethodGet || r.Method == http.MethodHead
			if !hasPreconditions(r) {
				next.ServeHTTP(w, r)
				return
			}
			if !safe {
				if opts.Current != nil {
					v, exists := opts.Current(r)
					if !CheckPreconditions(w, r, v, exists) {
						return
					}
				}
				next.ServeHTTP(w, r)
				return
			}
			cw, self := newConditionalWriter(w, r)
			next.ServeHTTP(self, r)
			cw.finish()
		})
	}
}

func hasPreconditions(r *http.Request) bool {
	h := r.Header
	return len(h["If-Match"]) > 0 || len(h["If-None-Match"]) > 0 ||
		len(h["If-Modified-Since"]) > 0 || len(h["If-Unmodified-Since"]) > 0
}

// CheckPreconditions evaluates r's preconditions against the current
// validators of the resource it targets (exists false when there is none),
// in the order of RFC 9110 section 13.2.2. When they hold it returns true
// and writes nothing; otherwise it writes the 304 (GET and HEAD) or the 412
// error document and returns false. Handlers of unsafe methods call it
// before they change anything:
//
//	if !middleware.CheckPreconditions(w, r, middleware.Validators{ETag: item.ETag()}, found) {
//		return
//	}
func CheckPreconditions(w http.ResponseWriter, r *http.Request, v Validators, exists bool) bool {
	switch evaluate(r, v, exists) {
	case notModified:
		writeNotModified(w, r, v.ETag, lastModifiedHeader(v.LastModified))
		return false
	case preconditionFailed:
		writePreconditionFailed(w, r)
		return false
	}
	return true
}

type outcome uint8

const (
	proceed outcome = iota
	notModified
	preconditionFailed
)

// evaluate applies RFC 9110 section 13.2.2 steps 1 to 4.
func evaluate(r *http.Request, v Validators, exists bool) outcome {
	h := r.Header
	safe := r.Method == http.MethodGet || r.Method == http.MethodHead
	lm := v.LastModified.Truncate(time.Second)
	// Step 1 and 2.
	if im := h["If-Match"]; len(im) > 0 {
		if !matchList(im, v.ETag, exists, true) {
			return preconditionFailed
		}
	} else if ius, ok := headerTime(h, "If-Unmodified-Since"); ok {
		if !exists || v.LastModified.IsZero() || lm.After(ius) {
			return preconditionFailed
		}
	}
	// Step 3 and 4.
	if inm := h["If-None-Match"]; len(inm) > 0 {
		if matchList(inm, v.ETag, exists, false) {
			if safe {
				return notModified
			}
			return preconditionFailed
		}
	} else if safe && exists && !v.LastModified.IsZero() {
		if ims, ok := headerTime(h, "If-Modified-Since"); ok && !lm.After(ims) {
			return notModified
		}
	}
	return proceed
}

// headerTime parses the first value of a date header; an invalid date is
// ignored, as RFC 9110 requires.
func headerTime(h http.Header, key string) (time.Time, bool) {
	vs := h[key]
	if len(vs) == 0 {
		return time.Time{}, false
	}
	t, err := http.ParseTime(vs[0])
	return t, err == nil
}

// matchList reports whether the If-Match (strong) or If-None-Match (weak)
// field values match etag: "*" matches any existing representation.
func matchList(values []string, etag string, exists, strong bool) bool {
	for _, list := range values {
		for s := list; ; {
			s = strings.TrimLeft(s, " \t,")
			if s == "" {
				break
			}
			if s[0] == '*' {
				if exists {
					return true
				}
				s = s[1:]
				continue
			}
			tag, rest, ok := scanETag(s)
			if !ok {
				break // a malformed list matches nothing further
			}
			if exists && etag != "" && etagsMatch(tag, etag, strong) {
				return true
			}
			s = rest
		}
	}
	return false
}

// scanETag reads one entity-tag (RFC 9110 section 8.8.3) at the start of s:
// an optional W/ and a quoted string of etagc characters.
func scanETag(s string) (tag, rest string, ok bool) {
	start := 0
	if strings.HasPrefix(s, "W/") {
		start = 2
	}
	if len(s) < start+2 || s[start] != '"' {
		return "", "", false
	}
	for i := start + 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return s[:i+1], s[i+1:], true
		case c == 0x21 || c >= 0x23 && c <= 0x7e || c >= 0x80:
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// etagsMatch compares two entity-tags: strongly (both strong, same opaque
// tag) or weakly (same opaque tag).
func etagsMatch(a, b string, strong bool) bool {
	aw, bw := strings.HasPrefix(a, "W/"), strings.HasPrefix(b, "W/")
	if strong && (aw || bw) {
		return false
	}
	return strings.TrimPrefix(a, "W/") == strings.TrimPrefix(b, "W/")
}

func lastModifiedHeader(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(http.TimeFormat)
}

// writeNotModified answers 304 through errdoc with the validators (RFC 9110
// section 15.4.5) and no representation metadata.
func writeNotModified(w http.ResponseWriter, r *http.Request, etag, lastModified string) {
	h := w.Header()
	for _, k := range [...]string{"Content-Type", "Content-Length", "Content-Encoding", "Content-Range", "Transfer-Encoding"} {
		delete(h, k)
	}
	e := &errdoc.Error{Status: http.StatusNotModified, Header: http.Header{}}
	if etag != "" {
		e.Header["Etag"] = []string{etag}
	}
	if lastModified != "" {
		e.Header["Last-Modified"] = []string{lastModified}
	}
	errdoc.Write(w, r, e)
}

func writePreconditionFailed(w http.ResponseWriter, r *http.Request) {
	e := errdoc.New(http.StatusPreconditionFailed, "").WithMessage("conditional.failed")
	switch {
	case len(r.Header["If-Match"]) > 0:
		e.AtHeader("If-Match")
	case len(r.Header["If-Unmodified-Since"]) > 0 && len(r.Header["If-None-Match"]) == 0:
		e.AtHeader("If-Unmodified-Since")
	default:
		e.AtHeader("If-None-Match")
	}
	errdoc.Write(w, r, e)
}

// conditionalWriter holds back the status of a GET or HEAD response until
// it can tell, from the handler's validators, whether the preconditions
// hold.
type conditionalWriter struct {
	w       http.ResponseWriter
	r       *http.Request
	decided bool
	drop    bool // the response was answered with 304 or 412
}

type conditionalF struct{ conditionalWriter }

func (c *conditionalF) Flush() {
	c.decide(http.StatusOK)
	if !c.drop {
		c.w.(http.Flusher).Flush()
	}
}

var (
	_ http.ResponseWriter = (*conditionalWriter)(nil)
	_ http.Flusher        = (*conditionalF)(nil)
)

func newConditionalWriter(w http.ResponseWriter, r *http.Request) (*conditionalWriter, http.ResponseWriter) {
	if _, ok := w.(http.Flusher); ok {
		x := &conditionalF{conditionalWriter{w: w, r: r}}
		return &x.conditionalWriter, x
	}
	x := &conditionalWriter{w: w, r: r}
	return x, x
}

func (c *conditionalWriter) Header() http.Header { return c.w.Header() }

// Unwrap returns the wrapped writer, for http.ResponseController.
func (c *conditionalWriter) Unwrap() http.ResponseWriter { return c.w }

func (c *conditionalWriter) WriteHeader(code int) {
	if c.decide(code) {
		c.w.WriteHeader(code)
	}
}

func (c *conditionalWriter) Write(p []byte) (int, error) {
	c.decide(http.StatusOK)
	if c.drop {
		return 0, http.ErrBodyNotAllowed
	}
	return c.w.Write(p)
}

// decide evaluates the preconditions on the first final status; it
// reports whether code is still to be written.
func (c *conditionalWriter) decide(code int) bool {
	if c.drop {
		return false
	}
	if c.decided || code < 200 {
		return true
	}
	c.decided = true
	if code > 299 {
		return true
	}
	h := c.w.Header()
	v := Validators{ETag: firstValue(h, "Etag")}
	lm := firstValue(h, "Last-Modified")
	if lm != "" {
		v.LastModified, _ = http.ParseTime(lm)
	}
	switch evaluate(c.r, v, true) {
	case notModified:
		c.drop = true
		writeNotModified(c.w, c.r, v.ETag, lm)
		return false
	case preconditionFailed:
		c.drop = true
		writePreconditionFailed(c.w, c.r)
		return false
	}
	return true
}

// finish decides for a handler that returned without writing (an empty
// 200).
func (c *conditionalWriter) finish() {
	if !c.decided && !c.drop && !errdoc.Committed(c.w) {
		if c.decide(http.StatusOK) {
			c.w.WriteHeader(http.StatusOK)
		}
	}
}

func firstValue(h http.Header, key string) string {
	if vs := h[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}
