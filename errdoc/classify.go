package errdoc

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"reflect"
	"strings"
	"syscall"
)

// maxChain bounds how deep Classify looks into an error's chain, so that a
// cause that wraps itself cannot make it loop.
const maxChain = 32

// Classify turns any error into an *Error with the status it deserves; the
// original error becomes the Cause, so its text is logged and never
// rendered:
//
//   - an *Error in the chain: that error;
//   - an error implementing StatusCoder: its status;
//   - context.DeadlineExceeded, os.ErrDeadlineExceeded, a net.Error whose
//     Timeout() is true: 504;
//   - a refused or reset connection, a failed dial or DNS lookup: 502;
//   - *http.MaxBytesError: 413;
//   - *json.SyntaxError: 422; *json.UnmarshalTypeError and encoding/json's
//     unknown-field error: 422 with source.pointer naming the field;
//   - anything else, nil included: 500.
func Classify(err error) *Error {
	if err == nil {
		return &Error{Status: http.StatusInternalServerError, Cause: errNilError}
	}
	var found *Error
	walkChain(err, func(e error) bool {
		switch x := e.(type) {
		case *Error:
			if x != nil {
				found = x
				return true
			}
		case StatusCoder:
			if st := x.StatusCode(); st != 0 {
				found = &Error{Status: st, Cause: err}
				return true
			}
		}
		return false
	})
	if found != nil {
		return found
	}
	if f := classifyKnown(err); f != nil {
		return f
	}
	return &Error{Status: http.StatusInternalServerError, Cause: err}
}

type nilError struct{}

func (nilError) Error() string { return "errdoc: a nil error was rendered" }

var errNilError error = nilError{}

// classifyKnown maps the standard library's errors; the order puts timeouts
// before connection failures, since a dial timeout is both.
func classifyKnown(err error) *Error {
	if walkChain(err, isTimeout) {
		return &Error{Status: http.StatusGatewayTimeout, Cause: err}
	}
	if walkChain(err, isUpstreamDown) {
		return &Error{Status: http.StatusBadGateway, Cause: err}
	}
	var out *Error
	walkChain(err, func(e error) bool {
		switch x := e.(type) {
		case *http.MaxBytesError:
			out = &Error{Status: http.StatusRequestEntityTooLarge, Cause: err,
				Message: Message{Key: "errdoc.body_too_large"}}
		case *json.SyntaxError:
			out = &Error{Status: http.StatusUnprocessableEntity, Cause: err,
				Message: Message{Key: "errdoc.body_malformed"}}
		case *json.UnmarshalTypeError:
			out = typeError(x, err)
		default:
			if field, ok := UnknownJSONField(e); ok {
				out = &Error{Status: http.StatusUnprocessableEntity, Cause: err,
					Message: Message{Key: "errdoc.body_unknown_member"},
					Source:  Source{Pointer: fieldPointer(field)}}
			}
		}
		return out != nil
	})
	return out
}

func typeError(x *json.UnmarshalTypeError, cause error) *Error {
	e := &Error{Status: http.StatusUnprocessableEntity, Cause: cause}
	want := jsonKind(x.Type)
	if x.Field != "" {
		e.Source.Pointer = fieldPointer(x.Field)
		e.Message = Message{Key: "errdoc.body_type_at", Args: []Arg{Str("pointer", e.Source.Pointer), Sub("type", want)}}
	} else {
		e.Message = Message{Key: "errdoc.body_type", Args: []Arg{Sub("type", want)}}
	}
	return e
}

// jsonKind returns the message key naming the JSON type a Go type
// decodes from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "errdoc.type.other"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "errdoc.type.boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "errdoc.type.integer"
	case reflect.Float32, reflect.Float64:
		return "errdoc.type.number"
	case reflect.String:
		return "errdoc.type.string"
	case reflect.Slice, reflect.Array:
		return "errdoc.type.array"
	case reflect.Map, reflect.Struct:
		return "errdoc.type.object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "errdoc.type.other"
}

// fieldPointer turns encoding/json's dotted field path ("items.0.name") into
// an RFC 6901 JSON Pointer ("/items/0/name").
func fieldPointer(field string) string {
	var b strings.Builder
	for _, seg := range strings.Split(field, ".") {
		b.WriteByte('/')
		for _, c := range seg {
			switch c {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteRune(c)
			}
		}
	}
	return b.String()
}

// UnknownJSONField reports the field named by encoding/json's error for a
// member that DisallowUnknownFields refuses. encoding/json has no type for
// that error, so this is the one place that matches its text.
func UnknownJSONField(err error) (string, bool) {
	if err == nil {
		return "", false
	}
	const prefix = `json: unknown field "`
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) || !strings.HasSuffix(msg, `"`) || len(msg) <= len(prefix) {
		return "", false
	}
	return msg[len(prefix) : len(msg)-1], true
}

func isTimeout(e error) bool {
	if e == context.DeadlineExceeded || e == os.ErrDeadlineExceeded {
		return true
	}
	var ne net.Error
	if x, ok := e.(net.Error); ok {
		ne = x
	}
	return ne != nil && ne.Timeout()
}

func isUpstreamDown(e error) bool {
	switch x := e.(type) {
	case *net.DNSError:
		return true
	case *net.OpError:
		return x.Op == "dial"
	case syscall.Errno:
		return x == syscall.ECONNREFUSED || x == syscall.ECONNRESET || x == syscall.ECONNABORTED ||
			x == syscall.EHOSTUNREACH || x == syscall.ENETUNREACH
	}
	return false
}

// walkChain calls visit on err and the errors it wraps (through Unwrap()
// error and Unwrap() []error), depth first, at most maxChain of them, and
// stops at the first visit that returns true.
func walkChain(err error, visit func(error) bool) bool {
	budget := maxChain
	var walk func(error) bool
	walk = func(e error) bool {
		for e != nil && budget > 0 {
			budget--
			if visit(e) {
				return true
			}
			switch x := e.(type) {
			case interface{ Unwrap() error }:
				e = x.Unwrap()
			case interface{ Unwrap() []error }:
				for _, inner := range x.Unwrap() {
					if walk(inner) {
						return true
					}
				}
				return false
			default:
				return false
			}
		}
		return false
	}
	return walk(err)
}

// causeText returns err's text for logs, without looping on an *Error that
// wraps itself.
func causeText(err error) string {
	var b strings.Builder
	for i := 0; err != nil && i < maxChain; i++ {
		e, ok := err.(*Error)
		if !ok {
			if b.Len() > 0 {
				b.WriteString(": ")
			}
			b.WriteString(err.Error())
			return b.String()
		}
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.ownText())
		err = e.Cause
	}
	return b.String()
}

// classifyAll flattens err (a List, an errors.Join, or one error) into items
// holding only their *Error, at most maxErrors of them, and counts the
// errors left out. Errors that are not *Error are classified with Classify.
// The items are resolved against the catalog afterwards.
func classifyAll(items []item, err error) ([]item, int) {
	if e, ok := err.(*Error); ok && e != nil {
		return append(items, item{e: e}), 0
	}
	dropped := 0
	var visit func(err error, depth int)
	visit = func(err error, depth int) {
		if err == nil {
			return
		}
		if len(items) >= maxErrors {
			dropped++
			return
		}
		if depth < 16 {
			switch x := err.(type) {
			case List:
				for _, e := range x {
					if e != nil {
						visit(e, depth+1)
					}
				}
				return
			case *Error:
				if x == nil {
					x = Classify(nil)
				}
				items = append(items, item{e: x})
				return
			case interface{ Unwrap() []error }:
				for _, e := range x.Unwrap() {
					visit(e, depth+1)
				}
				return
			}
		}
		items = append(items, item{e: Classify(err)})
	}
	visit(err, 0)
	if len(items) == 0 {
		items = append(items, item{e: Classify(err)})
	}
	return items, dropped
}
