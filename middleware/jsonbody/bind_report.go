package jsonbody

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/faultline-go/faultline/errdoc"
)

// reportBudget bounds the work of finding a body's decode failures after
// the first: each further failure costs a pass over the body to find the
// value and another to decode it again, and the passes stop once they have
// read 16 times the body's size in all (at least reportFloor, at most
// reportBudget), or meet a failure nested deeper than reportDepth. A body
// of a few KiB can report up to maxFailures failures; a larger one its
// first few, and a 1 MiB body its first four. The work of the error path
// follows the bytes received, a small multiple of what a valid body of the
// same size costs, and never grows with the route's MaxBytes.
const (
	reportBudget = 8 << 20
	reportFloor  = 512 << 10
	reportDepth  = 64 // JSON pointer segments
)

// decodeFailure turns the decoder's first error into the document of every
// failure of the body. It runs only when decoding failed: a valid body
// never reaches it.
//
// The decoder stops at its first error. A semantic one (an unknown member,
// a value of the wrong type, a number out of range, a value a type's own
// UnmarshalJSON refused) leaves the rest of the body worth reading, so the
// body is checked for syntax as a whole (a syntax error anywhere wins, as
// it makes the body not JSON at all), then the failed member is cut out of
// the body (a failed array element becomes null, so that no index moves)
// and the body decoded again, until it decodes, maxFailures failures are
// listed, a failure repeats, or the work reaches its budget (see
// reportBudget).
//
// Validation then runs on the value as far as it is sound: in full when
// the only failures were unknown members (the value is complete: they are
// ignored, as AllowUnknownFields would); the struct tags alone when values
// were refused, and none of their failures at or under a refused value
// (which the client must fix first) nor of the tags that compare a field
// with another (one of which may be missing); nothing when the body could
// not be read to its end. A Validate method or ValidateFunc sees only
// complete values.
func (b *Binder) decodeFailure(r *http.Request, body []byte, v any, err error) error {
	sem, ok := errors.AsType[*json.SemanticError](err)
	if !ok || sem.ByteOffset == 0 && sem.JSONPointer == "" && len(bytes.TrimSpace(body)) == 0 {
		return b.decodeError(body, err)
	}
	if syn := syntaxOf(body); syn != nil {
		return b.syntaxError(body, syn)
	}
	list := errdoc.List{semanticError(sem)}
	failed := []string{string(sem.JSONPointer)}
	complete := errors.Is(sem.Err, json.ErrUnknownName)
	decoded := false
	cur, spent := body, 0
	budget := min(reportBudget, max(reportFloor, 16*len(body)))
	for len(list) < maxFailures && spent+2*len(cur) <= budget && strings.Count(string(sem.JSONPointer), "/") <= reportDepth {
		spent += 2 * len(cur)
		if cur, ok = cutOut(cur, sem.JSONPointer); !ok {
			break
		}
		err := json.Unmarshal(cur, v, b.unmarshal)
		if err == nil {
			decoded = true
			break
		}
		if sem, ok = errors.AsType[*json.SemanticError](err); !ok {
			if syn, ok := errors.AsType[*jsontext.SyntacticError](err); ok {
				// A duplicate that only case-insensitive matching sees.
				return b.syntaxError(cur, syn)
			}
			return b.decodeError(cur, err)
		}
		ptr := string(sem.JSONPointer)
		if ptr == failed[len(failed)-1] {
			break // cutting it out did not help: stop rather than loop
		}
		list = append(list, semanticError(sem))
		failed = append(failed, ptr)
		complete = complete && errors.Is(sem.Err, json.ErrUnknownName)
	}
	if !decoded {
		return single(list)
	}
	if complete {
		return b.checkInto(list, r, v, nil)
	}
	return b.checkInto(list, r, v, &partial{failed: failed, fold: b.fold})
}

// syntaxOf returns the first syntax error of body, read as one JSON value
// with the decoder's defaults (duplicate names, invalid UTF-8, trailing
// data and nesting past its limit refused), or nil.
func syntaxOf(body []byte) *jsontext.SyntacticError {
	dec := jsontext.NewDecoder(bytes.NewBuffer(body))
	err := dec.SkipValue()
	if err == nil {
		if _, err = dec.ReadToken(); err == io.EOF {
			return nil
		}
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return syn
	}
	return &jsontext.SyntacticError{ByteOffset: dec.InputOffset(), Err: err}
}

// cutOut removes the value at ptr from doc, a well-formed JSON value: a
// member of an object goes with its name and one comma, overwritten with
// spaces in place (newlines are kept, so that lines and offsets of what
// follows stay); an element of an array becomes null, so that the indices
// of the elements after it, and the pointers of their failures, stay. It
// reports false when ptr does not name a value of doc, or names doc
// itself.
func cutOut(doc []byte, ptr jsontext.Pointer) ([]byte, bool) {
	if ptr == "" {
		return doc, false
	}
	// Parsed in place, not copied; doc is well-formed, so names need no
	// duplicate tracking.
	dec := jsontext.NewDecoder(bytes.NewBuffer(doc), jsontext.AllowDuplicateNames(true))
	var nameStart int64 = -1
	inArray := false
	for tok := range ptr.Tokens() {
		switch dec.PeekKind() {
		case '{':
			if _, err := dec.ReadToken(); err != nil {
				return doc, false
			}
			for {
				if dec.PeekKind() == '}' {
					return doc, false
				}
				start := dec.InputOffset()
				name, err := dec.ReadToken()
				if err != nil {
					return doc, false
				}
				if name.String() == tok {
					nameStart = skipSpace(doc, start, ",")
					inArray = false
					break
				}
				if dec.SkipValue() != nil {
					return doc, false
				}
			}
		case '[':
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || tok != strconv.Itoa(i) {
				return doc, false
			}
			if _, err := dec.ReadToken(); err != nil {
				return doc, false
			}
			for ; i > 0; i-- {
				if dec.PeekKind() == ']' || dec.SkipValue() != nil {
					return doc, false
				}
			}
			if dec.PeekKind() == ']' {
				return doc, false
			}
			inArray = true
		default:
			return doc, false
		}
	}
	valueStart := dec.InputOffset()
	if dec.SkipValue() != nil {
		return doc, false
	}
	end := dec.InputOffset()
	if inArray {
		start := skipSpace(doc, valueStart, ",")
		if end-start >= 4 && !bytes.ContainsAny(doc[start:start+4], "\r\n") {
			copy(doc[start:], "null")
			blank(doc[start+4 : end])
			return doc, true
		}
		out := make([]byte, 0, len(doc)+4)
		out = append(out, doc[:start]...)
		out = append(out, "null"...)
		for _, c := range doc[start:end] {
			if c == '\n' || c == '\r' {
				out = append(out, c)
			}
		}
		return append(out, doc[end:]...), true
	}
	// The member and one comma: the one after it, or else the one before.
	if after := skipSpace(doc, end, ""); after < int64(len(doc)) && doc[after] == ',' {
		end = after + 1
	} else if before := bytes.LastIndexFunc(doc[:nameStart], func(r rune) bool { return !isSpace(byte(r)) }); before >= 0 && doc[before] == ',' {
		nameStart = int64(before)
	}
	blank(doc[nameStart:end])
	return doc, true
}

// skipSpace returns the offset of the first byte of doc at or after i that
// is neither JSON whitespace nor one of also.
func skipSpace(doc []byte, i int64, also string) int64 {
	for i < int64(len(doc)) && (isSpace(doc[i]) || strings.IndexByte(also, doc[i]) >= 0) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// blank overwrites p with spaces, keeping its line breaks.
func blank(p []byte) {
	for i, c := range p {
		if c != '\n' && c != '\r' {
			p[i] = ' '
		}
	}
}

// partial describes a value that decoded only once the failed values were
// cut out of its body: their pointers, as the decoder reported them, and
// whether member names matched case-insensitively.
type partial struct {
	failed []string
	fold   bool
}

// skip reports whether a validation failure at ptr, of a struct tag, is
// left out of the document: it is at or under a value that failed to
// decode (the struct tags judged a zero the client did not send), or its
// tag compares the field with another, which may be one that failed.
func (p *partial) skip(ptr, tag string) bool {
	if crossField(tag) {
		return true
	}
	for _, f := range p.failed {
		if len(ptr) < len(f) || len(ptr) > len(f) && ptr[len(f)] != '/' {
			continue
		}
		if ptr[:len(f)] == f || p.fold && strings.EqualFold(ptr[:len(f)], f) {
			return true
		}
	}
	return false
}

// crossField reports whether a validator tag compares a field with another
// or depends on another's value.
func crossField(tag string) bool {
	return strings.HasSuffix(tag, "field") || // eqfield, gtcsfield, fieldcontains ...
		strings.HasPrefix(tag, "field") ||
		strings.HasPrefix(tag, "required_") || strings.HasPrefix(tag, "excluded_") ||
		strings.HasPrefix(tag, "skip_unless")
}
