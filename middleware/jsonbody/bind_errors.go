package jsonbody

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/faultline-go/faultline/errdoc"
)

// maxPointerBytes bounds the source.pointer of a decode error. Member names
// come from the client; a pointer longer than this names the nearest
// ancestor that fits instead, so that a 1 MiB member name is not sent back.
const maxPointerBytes = 256

// syntaxKind is what made a body not well-formed JSON.
type syntaxKind uint8

const (
	syntaxOther syntaxKind = iota
	syntaxTruncated
	syntaxTrailing
	syntaxDuplicate
	syntaxUTF8
	syntaxDepth
)

// syntaxKindOf classifies a jsontext.SyntacticError. The decoder exports
// sentinels for duplicate names and truncation only; the other kinds are
// recognised from its message, here and nowhere else (bind_errors_test.go
// pins each text against the decoder version in go.mod).
func syntaxKindOf(se *jsontext.SyntacticError) syntaxKind {
	switch {
	case errors.Is(se.Err, jsontext.ErrDuplicateName):
		return syntaxDuplicate
	case errors.Is(se.Err, io.ErrUnexpectedEOF):
		return syntaxTruncated
	}
	if se.Err == nil {
		return syntaxOther
	}
	msg := se.Err.Error()
	switch {
	case strings.Contains(msg, "after top-level value"):
		return syntaxTrailing
	case strings.Contains(msg, "invalid UTF-8"):
		return syntaxUTF8
	case strings.Contains(msg, "exceeded max depth"):
		return syntaxDepth
	}
	return syntaxOther
}

// decodeError turns the decoder's error into a document. body is the bytes
// that were decoded, for the line and column of syntax errors.
func (b *Binder) decodeError(body []byte, err error) error {
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return b.syntaxError(body, syn)
	}
	var sem *json.SemanticError
	if errors.As(err, &sem) {
		if sem.ByteOffset == 0 && sem.JSONPointer == "" && len(bytes.TrimSpace(body)) == 0 {
			return b.syntaxError(body, &jsontext.SyntacticError{Err: io.ErrUnexpectedEOF})
		}
		return semanticError(sem)
	}
	// Not a decoder error (a programming mistake such as a nil target).
	return errdoc.Internal(err)
}

func (b *Binder) syntaxError(body []byte, se *jsontext.SyntacticError) *errdoc.Error {
	e := &errdoc.Error{Status: b.syntaxStatus, Cause: se}
	ptr := clipPointer(string(se.JSONPointer))
	switch syntaxKindOf(se) {
	case syntaxTruncated:
		if len(bytes.TrimSpace(body)) == 0 {
			e.Detail = "The request body is empty; it must be a JSON value."
			return e
		}
		e.Detail = "The request body ends before its JSON value is complete."
	case syntaxTrailing:
		e.Detail = "The request body has more data after its JSON value; send exactly one value."
		ptr = ""
	case syntaxDuplicate:
		e.Detail = "The member " + ptr + " appears more than once in its object."
		if ptr == "" {
			e.Detail = "A member appears more than once in its object."
		}
	case syntaxUTF8:
		e.Detail = "The request body is not valid UTF-8."
	case syntaxDepth:
		e.Detail = "The request body nests arrays and objects too deeply."
		ptr = "" // the pointer of a 10,000-deep value is no help
	default:
		e.Detail = "The request body is not well-formed JSON."
	}
	if ptr != "" && validPointer(ptr) {
		e.Source.Pointer = ptr
	}
	off := min(max(se.ByteOffset, 0), int64(len(body)))
	line, col := lineColumn(body[:off])
	e.Detail = strings.TrimSuffix(e.Detail, ".") + " (line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col) + ")."
	e.Meta = map[string]any{"offset": off, "line": line, "column": col}
	return e
}

// lineColumn returns the 1-based line and column (in characters) of the
// position after prefix.
func lineColumn(prefix []byte) (line, col int) {
	line = 1 + bytes.Count(prefix, []byte{'\n'})
	if i := bytes.LastIndexByte(prefix, '\n'); i >= 0 {
		prefix = prefix[i+1:]
	}
	return line, 1 + utf8.RuneCount(prefix)
}

func semanticError(se *json.SemanticError) *errdoc.Error {
	se.JSONValue = nil // the cause is logged; the client's value stays out of logs too
	e := &errdoc.Error{Status: http.StatusUnprocessableEntity, Cause: se}
	ptr := clipPointer(string(se.JSONPointer))
	if errors.Is(se.Err, json.ErrUnknownName) {
		e.Detail = "The member " + ptr + " is not accepted here."
		if !validPointer(ptr) {
			e.Detail = "The request body has a member that is not accepted here."
			return e
		}
		e.Source.Pointer = ptr
		return e
	}
	subject := "The request body"
	if validPointer(ptr) {
		subject = "The value at " + ptr
		e.Source.Pointer = ptr
	}
	if describable(se) {
		e.Detail = subject + " must be " + describeType(se.GoType) + "."
		return e
	}
	// The type's own UnmarshalJSON (or UnmarshalText) refused the value.
	// Its error is written for logs, unless it is an errdoc error meant
	// for the client.
	var de *errdoc.Error
	if errors.As(se.Err, &de) && de.Detail != "" {
		e.Detail = de.Detail
		return e
	}
	e.Detail = subject + " is not valid here."
	return e
}

// describable reports whether the decoder refused the value for its JSON
// type or range, which describeType can put in words, rather than through
// the Go type's own unmarshal method.
func describable(se *json.SemanticError) bool {
	if se.Err == nil || errors.Is(se.Err, strconv.ErrRange) || errors.Is(se.Err, strconv.ErrSyntax) {
		return true
	}
	t := se.GoType
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t == timeType || t != nil && t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8
}

var timeType = reflect.TypeFor[time.Time]()

// describeType says, for a client, which JSON value a Go type decodes from.
func describeType(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "of another type"
	}
	if t == timeType {
		return "a string holding an RFC 3339 date and time"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		return "an integer from " + strconv.FormatInt(-1<<(bits-1), 10) + " to " + strconv.FormatInt(1<<(bits-1)-1, 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "an integer from 0 to " + strconv.FormatUint(math.MaxUint64>>(64-t.Bits()), 10)
	case reflect.Float32:
		return "a number within the range of a 32-bit float"
	case reflect.Float64:
		return "a number within the range of a 64-bit float"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a base64-encoded string"
		}
		return "an array"
	case reflect.Array:
		return "an array of " + strconv.Itoa(t.Len()) + " elements"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Interface:
		return "a JSON value"
	}
	return "of another type"
}

// clipPointer returns p, or its nearest ancestor no longer than
// maxPointerBytes.
func clipPointer(p string) string {
	for len(p) > maxPointerBytes {
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return ""
		}
		p = p[:i]
	}
	return p
}

// validPointer reports whether p is an RFC 6901 pointer whose escapes are
// well-formed and whose bytes are valid UTF-8 (errdoc drops others).
func validPointer(p string) bool {
	if p == "" || p[0] != '/' || !utf8.ValidString(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '~' && (i+1 >= len(p) || p[i+1] != '0' && p[i+1] != '1') {
			return false
		}
	}
	return true
}
