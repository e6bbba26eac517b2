package middleware

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/faultline-go/faultline/errdoc"
)

// Params reads typed query, path and header parameters of one request and
// collects what is wrong with them, so that a handler answers every bad
// parameter in one 400 document:
//
//	p := middleware.NewParams(r)
//	limit := p.Query("limit").Default("20").IntRange(1, 100)
//	sort := p.Query("sort").Enum("name", "quantity")
//	id := p.Path("id").UUID()
//	if err := p.Err(); err != nil {
//		errdoc.Write(w, r, err)
//		return
//	}
//
// Each failure is a 400 whose source.parameter (query and path) or
// source.header names the parameter, and whose detail says what it must be,
// never what the client sent. The detail is a message (errdoc.Message,
// keys "params.*") rendered in the client's language; the errors carry no
// Detail, and errdoc.Catalog.Detail renders one for code that reads it. A
// Params is for one goroutine.
type Params struct {
	r     *http.Request
	query url.Values
	errs  errdoc.List
}

// NewParams returns the parameters of r. A query string that cannot be
// parsed is the first failure Err reports.
func NewParams(r *http.Request) *Params {
	p := &Params{r: r}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		p.errs = append(p.errs, errdoc.New(http.StatusBadRequest, "").WithMessage("params.query_malformed").WithCause(err))
	}
	p.query = q
	return p
}

// Err returns nil when every parameter read so far was valid, the failure
// when one was not, and an errdoc.List when several were.
func (p *Params) Err() error {
	switch len(p.errs) {
	case 0:
		return nil
	case 1:
		return p.errs[0]
	}
	return p.errs
}

// paramIn is where a parameter is read from.
type paramIn uint8

const (
	inQuery paramIn = iota
	inPath
	inHeader
)

// Param is one named parameter of a request, read with one of its typed
// methods (Int, Bool, Enum, UUID, Time, ...). An absent parameter reads as
// the type's zero value unless Required or Default says otherwise.
type Param struct {
	p        *Params
	in       paramIn
	name     string
	raw      string
	present  bool
	repeated bool
	required bool
	fromDef  bool
}

// Query returns the query parameter name.
func (p *Params) Query(name string) Param {
	vs := p.query[name]
	v := Param{p: p, in: inQuery, name: name, present: len(vs) > 0, repeated: len(vs) > 1}
	if v.present {
		v.raw = vs[0]
	}
	return v
}

// Path returns the path parameter name, as http.ServeMux patterns and chi
// routes ("/items/{id}") name it. An empty segment counts as absent.
func (p *Params) Path(name string) Param {
	raw := p.r.PathValue(name)
	if raw == "" {
		raw = chi.URLParam(p.r, name)
	}
	return Param{p: p, in: inPath, name: name, raw: raw, present: raw != ""}
}

// Header returns the request header name.
func (p *Params) Header(name string) Param {
	name = http.CanonicalHeaderKey(name)
	vs := p.r.Header[name]
	v := Param{p: p, in: inHeader, name: name, present: len(vs) > 0, repeated: len(vs) > 1}
	if v.present {
		v.raw = strings.TrimSpace(vs[0])
	}
	return v
}

// Required makes an absent or empty parameter a failure.
func (v Param) Required() Param { v.required = true; return v }

// Default makes an absent parameter read as def, which must be valid for
// the typed method used: an invalid default is the program's mistake and
// is reported as a 500.
func (v Param) Default(def string) Param {
	if !v.present {
		v.raw, v.present, v.fromDef = def, true, true
	}
	return v
}

// Present reports whether the client sent the parameter.
func (v Param) Present() bool { return v.present && !v.fromDef }

// fail records that the parameter is not what the message key says, a
// sentence about {subject} (the parameter, see subject) with args; it
// returns false for the typed methods' convenience.
func (v Param) fail(key string, args ...errdoc.Arg) bool {
	e := v.sentence(key, args...)
	if v.fromDef {
		v.p.errs = append(v.p.errs, errdoc.Internal(&invalidDefaultError{msg: e.Message}))
		return false
	}
	switch v.in {
	case inHeader:
		e.AtHeader(v.name)
	default:
		e.AtParameter(v.name)
	}
	v.p.errs = append(v.p.errs, e)
	return false
}

// invalidDefaultError is the program's mistake of a Default a typed method
// refuses; msg is the 400 the client would have had.
type invalidDefaultError struct{ msg errdoc.Message }

func (e *invalidDefaultError) Error() string {
	return "middleware: a parameter's default is invalid: " +
		errdoc.DefaultCatalog().Detail(&errdoc.Error{Message: e.msg}, "en")
}

// sentence returns the 400 of the message key, a sentence about {subject}:
// the parameter's kind and name, a phrase of its own (params.subject.*) so
// a translation can decline it. args are key's other placeholders.
func (v Param) sentence(key string, args ...errdoc.Arg) *errdoc.Error {
	subject := "params.subject.query"
	switch v.in {
	case inPath:
		subject = "params.subject.path"
	case inHeader:
		subject = "params.subject.header"
	}
	return errdoc.NewSentence(http.StatusBadRequest, key, subject, []errdoc.Arg{errdoc.Str("name", v.name)}, args...)
}

// value returns the raw value and whether a typed method should parse it,
// recording absence and repetition failures.
func (v Param) value() (string, bool) {
	if v.repeated {
		return "", v.fail("params.once")
	}
	if !v.present {
		if v.required {
			return "", v.fail("params.required")
		}
		return "", false
	}
	if v.required && v.raw == "" {
		return "", v.fail("params.not_empty")
	}
	return v.raw, true
}

// String returns the value as sent ("" when absent).
func (v Param) String() string {
	s, _ := v.value()
	return s
}

// Strings returns every value of a repeated query parameter (or of a header
// sent in several fields), nil when absent.
func (v Param) Strings() []string {
	var vs []string
	switch v.in {
	case inQuery:
		vs = v.p.query[v.name]
	case inHeader:
		vs = v.p.r.Header[v.name]
	default:
		if v.present {
			vs = []string{v.raw}
		}
	}
	if len(vs) == 0 {
		if v.fromDef {
			return []string{v.raw}
		}
		if v.required {
			v.fail("params.required")
		}
		return nil
	}
	return vs
}

// Int returns the value as an int.
func (v Param) Int() int {
	s, ok := v.value()
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.fail("params.integer")
		return 0
	}
	return n
}

// IntRange returns the value as an int from min to max inclusive.
func (v Param) IntRange(min, max int) int {
	s, ok := v.value()
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		v.fail("params.int_range", errdoc.Str("min", strconv.Itoa(min)), errdoc.Str("max", strconv.Itoa(max)))
		return 0
	}
	return n
}

// Int64 returns the value as an int64.
func (v Param) Int64() int64 {
	s, ok := v.value()
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		v.fail("params.int_range", errdoc.Str("min", "-9223372036854775808"), errdoc.Str("max", "9223372036854775807"))
		return 0
	}
	return n
}

// Float returns the value as a finite float64.
func (v Param) Float() float64 {
	s, ok := v.value()
	if !ok {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f-f != 0 { // NaN and ±Inf fail f-f == 0
		v.fail("params.finite_number")
		return 0
	}
	return f
}

// Bool returns the value as a boolean: true, false, 1 or 0 (any case).
func (v Param) Bool() bool {
	s, ok := v.value()
	if !ok {
		return false
	}
	switch {
	case s == "1" || strings.EqualFold(s, "true"):
		return true
	case s == "0" || strings.EqualFold(s, "false"):
		return false
	}
	v.fail("params.boolean")
	return false
}

// Enum returns the value if it is one of allowed (compared exactly), and ""
// otherwise.
func (v Param) Enum(allowed ...string) string {
	s, ok := v.value()
	if !ok {
		return ""
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	v.fail("params.enum", errdoc.Str("values", strings.Join(allowed, ", ")))
	return ""
}

// UUID returns the value, a UUID in its 36-character hexadecimal form (any
// case), in lower case.
func (v Param) UUID() string {
	s, ok := v.value()
	if !ok {
		return ""
	}
	if !isUUID(s) {
		v.fail("params.uuid")
		return ""
	}
	return strings.ToLower(s)
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// Time returns the value parsed with layout (time.RFC3339 when layout is
// empty). Headers are usually HTTP dates: use http.TimeFormat.
func (v Param) Time(layout string) time.Time {
	s, ok := v.value()
	if !ok {
		return time.Time{}
	}
	if layout == "" {
		layout = time.RFC3339
	}
	var t time.Time
	var err error
	if layout == http.TimeFormat {
		t, err = http.ParseTime(s)
	} else {
		t, err = time.Parse(layout, s)
	}
	if err != nil {
		if key := layoutKey(layout); key == "params.time_layout" {
			v.fail(key, errdoc.Str("layout", layout))
		} else {
			v.fail(key)
		}
		return time.Time{}
	}
	return t
}

// layoutKey is the message saying what a time in layout looks like; the
// well-known layouts have a sentence of their own, any other is named by
// "params.time_layout"'s {layout}.
func layoutKey(layout string) string {
	switch layout {
	case time.RFC3339, time.RFC3339Nano:
		return "params.time_rfc3339"
	case time.DateOnly:
		return "params.date"
	case http.TimeFormat:
		return "params.http_date"
	}
	return "params.time_layout"
}

// Duration returns the value parsed by time.ParseDuration.
func (v Param) Duration() time.Duration {
	s, ok := v.value()
	if !ok {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		v.fail("params.duration")
		return 0
	}
	return d
}
