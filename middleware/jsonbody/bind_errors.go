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
	// Every key but "bind.empty" is a sentence ending in the position,
	// "(line {line}, column {column})"; "bind.duplicate" names {pointer}.
	var key string
	switch syntaxKindOf(se) {
	case syntaxTruncated:
		if len(bytes.TrimSpace(body)) == 0 {
			e.Message = errdoc.Message{Key: "bind.empty"}
			return e
		}
		key = "bind.truncated"
	case syntaxTrailing:
		key = "bind.trailing"
		ptr = ""
	case syntaxDuplicate:
		key = "bind.duplicate"
		if ptr == "" {
			key = "bind.duplicate_unnamed"
		}
	case syntaxUTF8:
		key = "bind.invalid_utf8"
	case syntaxDepth:
		key = "bind.too_deep"
		ptr = "" // the pointer of a 10,000-deep value is no help
	default:
		key = "bind.malformed"
	}
	off := min(max(se.ByteOffset, 0), int64(len(body)))
	line, col := lineColumn(body[:off])
	args := []errdoc.Arg{errdoc.Str("line", strconv.Itoa(line)), errdoc.Str("column", strconv.Itoa(col)), errdoc.Str("pointer", ptr)}
	if key != "bind.duplicate" {
		args = args[:2]
	}
	e.Message = errdoc.Message{Key: key, Args: args}
	if ptr != "" && validPointer(ptr) {
		e.Source.Pointer = ptr
	}
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
	negative := len(se.JSONValue) > 0 && se.JSONValue[0] == '-'
	se.JSONValue = nil // the cause is logged; the client's value stays out of logs too
	ptr := clipPointer(string(se.JSONPointer))
	if errors.Is(se.Err, json.ErrUnknownName) {
		e := &errdoc.Error{Status: http.StatusUnprocessableEntity, Cause: se}
		if !validPointer(ptr) {
			e.Message = errdoc.Message{Key: "bind.unknown_member_unnamed"}
			return e
		}
		e.Message = errdoc.Message{Key: "bind.unknown_member", Args: []errdoc.Arg{errdoc.Str("pointer", ptr)}}
		if alt := otherCase(se); alt != "" {
			e.Message = errdoc.Message{Key: "bind.unknown_member_case", Args: []errdoc.Arg{
				errdoc.Str("pointer", ptr), errdoc.Str("suggestion", alt)}}
		}
		e.Source.Pointer = ptr
		return e
	}
	// The sentences below are about {subject}: the body, or the value at
	// the pointer.
	subjectKey, subjectPtr := "bind.subject.body", ""
	if validPointer(ptr) {
		subjectKey, subjectPtr = "bind.subject.value", ptr
	}
	sentence := func(key string, args ...errdoc.Arg) *errdoc.Error {
		s := sentenceError(http.StatusUnprocessableEntity, key, subjectKey, subjectPtr, args...)
		s.Cause, s.Source.Pointer = se, subjectPtr
		return s
	}
	if describable(se) {
		key, args := describeMismatch(se.GoType, errors.Is(se.Err, strconv.ErrRange), negative)
		return sentence(key, args...)
	}
	// The type's own UnmarshalJSON (or UnmarshalText) refused the value.
	// Its error is written for logs, unless it is an errdoc error meant
	// for the client.
	var de *errdoc.Error
	if errors.As(se.Err, &de) && (de.Detail != "" || de.Message.Key != "") {
		return &errdoc.Error{Status: http.StatusUnprocessableEntity, Cause: se,
			Detail: de.Detail, Message: de.Message, Source: errdoc.Source{Pointer: subjectPtr}}
	}
	if se.Err != nil && se.Err.Error() == "ambiguous object member name" {
		// Case-insensitive matching found two fields for one member name.
		return sentence("bind.ambiguous")
	}
	return sentence("bind.invalid")
}

// describable reports whether the decoder refused the value for its JSON
// type or range, which describeMismatch can put in words, rather than through
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

// describeMismatch says, for a client, what the value decoding into t must
// be: the key of a sentence about {subject}, the value ("{subject} must be
// an integer."), and the arguments of its other placeholders. outOfRange
// says the value was a number of the right kind but too large (or, if
// negative, too small) for t.
//
// Ranges are stated where they are a contract a client can act on: the
// 8-, 16- and 32-bit integers (from -128 to 127). The 64-bit ones (int,
// int64, uint64) and floats say "an integer" or "a number": their ranges,
// -9223372036854775808 and friends, describe the server's machine, not the
// API, and a value past them is simply "too large".
func describeMismatch(t reflect.Type, outOfRange, negative bool) (string, []errdoc.Arg) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "bind.type.other", nil
	}
	if t == timeType {
		return "bind.type.time", nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return "bind.type.boolean", nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if bits := t.Bits(); bits < 64 {
			return "bind.type.integer_range", []errdoc.Arg{
				errdoc.Str("min", strconv.FormatInt(-1<<(bits-1), 10)), errdoc.Str("max", strconv.FormatInt(1<<(bits-1)-1, 10))}
		}
		switch {
		case outOfRange && negative:
			return "bind.too_small", nil
		case outOfRange:
			return "bind.too_large", nil
		}
		return "bind.type.integer", nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if bits := t.Bits(); bits < 64 {
			return "bind.type.integer_range", []errdoc.Arg{
				errdoc.Str("min", "0"), errdoc.Str("max", strconv.FormatUint(math.MaxUint64>>(64-bits), 10))}
		}
		if outOfRange && !negative {
			return "bind.too_large", nil
		}
		return "bind.type.unsigned", nil
	case reflect.Float32:
		if outOfRange {
			return "bind.type.number_range", []errdoc.Arg{errdoc.Str("min", "-3.4e38"), errdoc.Str("max", "3.4e38")}
		}
		return "bind.type.number", nil
	case reflect.Float64:
		if outOfRange && negative {
			return "bind.too_small", nil
		} else if outOfRange {
			return "bind.too_large", nil
		}
		return "bind.type.number", nil
	case reflect.String:
		return "bind.type.string", nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "bind.type.base64", nil
		}
		return "bind.type.array", nil
	case reflect.Array:
		return "bind.type.array_length", []errdoc.Arg{errdoc.Str("count", strconv.Itoa(t.Len()))}
	case reflect.Map, reflect.Struct:
		return "bind.type.object", nil
	case reflect.Interface:
		return "bind.type.json", nil
	}
	return "bind.type.other", nil
}

// otherCase returns, for an unknown member of a struct whose name differs
// from a field's JSON name in case only, the pointer the client probably
// meant, or "". It runs on the error path only.
func otherCase(se *json.SemanticError) string {
	t := se.GoType
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return ""
	}
	name := se.JSONPointer.LastToken()
	if found := fieldFolding(t, name, 0); found != "" {
		alt := string(se.JSONPointer.Parent().AppendToken(found))
		if len(alt) <= maxPointerBytes && validPointer(alt) {
			return alt
		}
	}
	return ""
}

// fieldFolding returns the JSON name of a field of the struct type t that
// equals name under Unicode case folding, looking into embedded structs
// without a name of their own (as the decoder inlines them), or "".
func fieldFolding(t reflect.Type, name string, depth int) string {
	if depth > 8 {
		return ""
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		tagName, _, _ := strings.Cut(tag, ",")
		if tag == "-" {
			continue
		}
		if f.Anonymous && tagName == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if found := fieldFolding(ft, name, depth+1); found != "" {
					return found
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if tagName == "" {
			tagName = f.Name
		}
		if tagName != name && strings.EqualFold(tagName, name) {
			return tagName
		}
	}
	return ""
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
