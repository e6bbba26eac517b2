package errdoc

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Error is one failure as the client will see it, plus the internal cause the
// client never sees. The zero value is valid and renders as a generic 500.
//
// Fields left empty are filled from the Catalog when the error is rendered:
// Status from the entry of Code, Code and Title from the entry of Status.
type Error struct {
	// Status is the HTTP status code. Zero means "the status of Code's catalog
	// entry", or 500 when Code is not in the catalog. A value outside 400-599
	// (other than 304, which is sent without a body) is rendered as 500.
	Status int

	// Code is the stable, machine-readable error code, such as "not_found".
	// Empty means the code of Status's catalog entry.
	Code string

	// Title is a short summary that does not change between occurrences.
	// Empty means the catalog entry's title.
	Title string

	// Detail explains this occurrence to the client. For 5xx statuses it is
	// replaced by the catalog's generic description unless Public is set or
	// the Renderer runs in development mode.
	Detail string

	// Message, when its Key names a template of the catalog, is rendered
	// as the detail instead of Detail, in the language the client asked
	// for (see Catalog.WithTranslation and WithMessage). The same 5xx rule
	// applies.
	Message Message

	// Public marks Detail of a 5xx error as safe to show to clients, for
	// example a maintenance notice on a 503.
	Public bool

	// Source names the part of the request the error is about.
	Source Source

	// Meta holds extra, non-standard members rendered as JSON. Values must be
	// encodable by encoding/json; meta that cannot be encoded, or whose
	// encoding is larger than the Renderer's limit, is dropped and logged.
	Meta map[string]any

	// Header holds response headers that travel with the error, such as
	// Retry-After, Allow or WWW-Authenticate.
	Header http.Header

	// RequestID identifies the request the error occurred in. Empty means
	// the request ID found in the request's context. ParseResponse fills it
	// from the document's "id" or "request_id" member (or, for problem
	// details of other servers, "instance").
	RequestID string

	// Cause is the internal error behind this one. It is logged with the
	// request ID and never rendered.
	Cause error
}

// Source points at the part of the request an error is about. At most one of
// its fields is rendered, in the order Pointer, Parameter, Header.
type Source struct {
	// Pointer is an RFC 6901 JSON Pointer into the request body, e.g. "/name".
	Pointer string
	// Parameter is the name of the query parameter at fault.
	Parameter string
	// Header is the name of the request header at fault.
	Header string
}

func (s Source) isZero() bool { return s.Pointer == "" && s.Parameter == "" && s.Header == "" }

// New returns an error with the given status and client-facing detail. Code
// and Title come from the catalog entry for status when rendered.
func New(status int, detail string) *Error {
	return &Error{Status: status, Detail: detail}
}

// Coded returns an error for a catalog code, such as "record_not_found", with
// a client-facing detail. Status and Title come from the catalog.
func Coded(code, detail string) *Error {
	return &Error{Code: code, Detail: detail}
}

// Internal returns a 500 error whose cause is logged and never rendered.
func Internal(cause error) *Error {
	return &Error{Status: http.StatusInternalServerError, Cause: cause}
}

// AtPointer sets Source.Pointer and returns e.
func (e *Error) AtPointer(pointer string) *Error { e.Source = Source{Pointer: pointer}; return e }

// AtParameter sets Source.Parameter and returns e.
func (e *Error) AtParameter(name string) *Error { e.Source = Source{Parameter: name}; return e }

// AtHeader sets Source.Header and returns e.
func (e *Error) AtHeader(name string) *Error { e.Source = Source{Header: name}; return e }

// WithCause sets the internal cause and returns e.
func (e *Error) WithCause(cause error) *Error { e.Cause = cause; return e }

// WithTitle sets the title and returns e.
func (e *Error) WithTitle(title string) *Error { e.Title = title; return e }

// WithMeta sets one meta member and returns e.
func (e *Error) WithMeta(key string, value any) *Error {
	if e.Meta == nil {
		e.Meta = make(map[string]any, 1)
	}
	e.Meta[key] = value
	return e
}

// SetHeader sets a response header that travels with the error and returns e.
func (e *Error) SetHeader(key, value string) *Error {
	if e.Header == nil {
		e.Header = make(http.Header, 1)
	}
	e.Header.Set(key, value)
	return e
}

// RetryAfter reports the Retry-After header carried by e, as seconds or an
// HTTP date relative to now.
func (e *Error) RetryAfter(now time.Time) (time.Duration, bool) {
	if e == nil || e.Header == nil {
		return 0, false
	}
	return parseRetryAfter(e.Header.Get("Retry-After"), now)
}

func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 || n > int64(365*24*time.Hour/time.Second) {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// Error describes e for logs: status, code, detail and the cause's text.
func (e *Error) Error() string {
	if e == nil {
		return "errdoc: <nil>"
	}
	return "errdoc: " + causeText(e)
}

// ownText is e's status, code and detail, without its cause.
func (e *Error) ownText() string {
	var b strings.Builder
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status))
	}
	if e.Code != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(e.Code)
	}
	detail := e.Detail
	if detail == "" && e.Message.Key != "" {
		detail = string(appendLogText(nil, &e.Message, 0))
	}
	if detail != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(detail)
	}
	if b.Len() == 0 {
		b.WriteString("error")
	}
	return b.String()
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Cause
}

// Is reports whether target is an *Error with the same Code, and the same
// Status when target's Status is set, so that
// errors.Is(err, &errdoc.Error{Code: "record_not_found"}) works through
// wrapping.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || e == nil || t == nil {
		return false
	}
	if t.Code == "" && t.Status == 0 {
		return false
	}
	if t.Code != "" && t.Code != e.Code {
		return false
	}
	return t.Status == 0 || t.Status == e.Status
}

// StatusCoder is implemented by errors that carry their own HTTP status.
// Classify finds it anywhere in an error's chain with errors.As.
type StatusCoder interface {
	StatusCode() int
}

// Logged is implemented by causes that the middleware producing them has
// already logged in full, such as a recovered panic logged with its stack.
// The Renderer does not log an error whose Cause reports Logged() true a
// second time; Observe still sees it. A context's cause (context.Cause)
// may report it too, as middleware.ErrTimeout does: the Renderer then does
// not log that context's own end (its Err, or an error wrapping it) when a
// handler renders it to a response already committed, as a Timeout's
// handler does once the Timeout answered.
type Logged interface {
	error
	Logged() bool
}

// List is a document of several errors, such as every validation failure of
// one request. It is what ParseResponse returns for a document with more than
// one error, and Write renders it, and any errors.Join of errors, as one
// document.
type List []*Error

// Error joins the errors' texts.
func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors for errors.Is and errors.As.
func (l List) Unwrap() []error {
	out := make([]error, 0, len(l))
	for _, e := range l {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

// Status applies ResponseStatus to the list's statuses.
func (l List) Status() int {
	var st [8]int
	s := st[:0]
	for _, e := range l {
		if e != nil {
			s = append(s, e.Status)
		}
	}
	return ResponseStatus(s...)
}

// ResponseStatus picks the HTTP status of a response carrying errors with the
// given statuses. The rule is deterministic and follows JSON:API's advice to
// use the most generally applicable code:
//
//   - no status, or any status outside 400-599: 500;
//   - all the same: that status;
//   - any 5xx among them: 500 if they differ;
//   - otherwise (different 4xx): 400.
func ResponseStatus(statuses ...int) int {
	if len(statuses) == 0 {
		return http.StatusInternalServerError
	}
	first := statuses[0]
	same, server := true, false
	for _, s := range statuses {
		if s < 400 || s > 599 {
			return http.StatusInternalServerError
		}
		if s != first {
			same = false
		}
		if s >= 500 {
			server = true
		}
	}
	switch {
	case same:
		return first
	case server:
		return http.StatusInternalServerError
	default:
		return http.StatusBadRequest
	}
}
