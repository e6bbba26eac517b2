package errdoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// MaxParseBytes is how much of a response body ParseResponse reads.
const MaxParseBytes = 1 << 20

// ErrNotErrorDocument is wrapped by ParseResponse's error when a failed
// response's body is none of the three document formats.
var ErrNotErrorDocument = errors.New("errdoc: response body is not an error document")

// ParseResponse turns a failed response (status 400 and above) back into the
// error it carries, for Go clients of APIs that speak these documents. It
// returns nil for a response below 400.
//
// The body, read up to MaxParseBytes and closed, may be in any of the three
// formats. A document with one error returns an *Error; with several, a List.
// Each error gets the response's status when its own is missing, and the
// response's headers (so RetryAfter works). A body that is no error document
// yields an *Error with the response's status and a Cause wrapping
// ErrNotErrorDocument.
func ParseResponse(resp *http.Response) error {
	if resp == nil || resp.StatusCode < 400 {
		return nil
	}
	var body []byte
	if resp.Body != nil {
		var err error
		body, err = io.ReadAll(io.LimitReader(resp.Body, MaxParseBytes))
		_ = resp.Body.Close()
		if err != nil {
			return &Error{Status: resp.StatusCode, Header: resp.Header.Clone(), Cause: err}
		}
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	errs, err := ParseDocument(body, mt == MediaTypeProblem)
	if err != nil {
		return &Error{Status: resp.StatusCode, Header: resp.Header.Clone(), Cause: err}
	}
	for _, e := range errs {
		if e.Status == 0 {
			e.Status = resp.StatusCode
		}
		e.Header = resp.Header.Clone()
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errs
}

// ParseDocument parses an error document body in any of the three formats.
// problem says the body was labelled application/problem+json; without it the
// shape decides (an "errors" array is JSON:API or Twitter's, anything else a
// problem object).
func ParseDocument(body []byte, problem bool) (List, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, fmt.Errorf("%w: not a JSON object", ErrNotErrorDocument)
	}
	var probe struct {
		Errors json.RawMessage `json:"errors"`
		Meta   struct {
			RequestID string `json:"request_id"`
		} `json:"meta"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotErrorDocument, err)
	}
	if !problem && len(probe.Errors) > 0 && probe.Errors[0] == '[' {
		errs, err := parseErrorsArray(probe.Errors)
		if err == nil && probe.Meta.RequestID != "" {
			// Several errors: each id is the request's ID suffixed .N,
			// and the request's own is in the top-level meta.
			for _, e := range errs {
				if strings.HasPrefix(e.RequestID, probe.Meta.RequestID+".") {
					e.RequestID = probe.Meta.RequestID
				}
			}
		}
		return errs, err
	}
	return parseProblem(body)
}

type wireError struct {
	ID     string          `json:"id"`
	Status json.RawMessage `json:"status"`
	Code   json.RawMessage `json:"code"`
	Title  string          `json:"title"`
	Detail string          `json:"detail"`
	// Twitter's legacy member.
	Message string `json:"message"`
	Source  struct {
		Pointer   string `json:"pointer"`
		Parameter string `json:"parameter"`
		Header    string `json:"header"`
	} `json:"source"`
	// Problem details' members for one error of "errors".
	Pointer   string         `json:"pointer"`
	Parameter string         `json:"parameter"`
	Header    string         `json:"header"`
	Meta      map[string]any `json:"meta"`
}

func (w *wireError) toError() *Error {
	e := &Error{RequestID: w.ID, Title: w.Title, Detail: w.Detail, Meta: w.Meta}
	e.Status = rawInt(w.Status)
	code, isNumber := rawString(w.Code)
	if isNumber && w.Message != "" {
		// Twitter legacy: a numeric code and a message.
		e.Code = "twitter_" + code
		e.Detail = w.Message
	} else {
		e.Code = code
	}
	e.Source = Source{Pointer: w.Source.Pointer, Parameter: w.Source.Parameter, Header: w.Source.Header}
	if e.Source.isZero() {
		e.Source = Source{Pointer: w.Pointer, Parameter: w.Parameter, Header: w.Header}
	}
	return e
}

func parseErrorsArray(raw json.RawMessage) (List, error) {
	var wires []wireError
	if err := json.Unmarshal(raw, &wires); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotErrorDocument, err)
	}
	if len(wires) == 0 {
		return nil, fmt.Errorf("%w: empty errors array", ErrNotErrorDocument)
	}
	out := make(List, len(wires))
	for i := range wires {
		out[i] = wires[i].toError()
	}
	return out, nil
}

func parseProblem(body []byte) (List, error) {
	var p struct {
		Type     string      `json:"type"`
		Title    string      `json:"title"`
		Status   json.Number `json:"status"`
		Detail   string      `json:"detail"`
		Instance string      `json:"instance"`
		// RequestID is the request_id member of this module's documents.
		RequestID string `json:"request_id"`
		wireError
		Errors []wireError `json:"errors"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotErrorDocument, err)
	}
	if p.Type == "" && p.Title == "" && p.Status == "" && p.Detail == "" {
		return nil, fmt.Errorf("%w: no problem members", ErrNotErrorDocument)
	}
	status, _ := strconv.Atoi(string(p.Status))
	rid := problemRequestID(p.RequestID, p.Instance)
	if len(p.Errors) > 1 {
		out := make(List, len(p.Errors))
		for i := range p.Errors {
			out[i] = p.Errors[i].toError()
			out[i].RequestID = rid
			if out[i].Status == 0 {
				out[i].Status = status
			}
		}
		return out, nil
	}
	e := p.wireError.toError()
	e.Status, e.Title, e.Detail, e.RequestID = status, p.Title, p.Detail, rid
	if len(p.Errors) == 1 && e.Source.isZero() {
		one := p.Errors[0].toError()
		e.Source = one.Source
	}
	return List{e}, nil
}

// problemRequestID returns a problem's request ID: its request_id member,
// else the ID at the end of an instance in DefaultInstanceURI's form, else
// the instance as it is (documents of other servers).
func problemRequestID(requestID, instance string) string {
	if requestID != "" {
		return requestID
	}
	if rest, ok := strings.CutPrefix(instance, DefaultInstanceURI); ok {
		if id, err := url.PathUnescape(rest); err == nil {
			return id
		}
	}
	return instance
}

// rawInt reads a status given as a JSON number or string.
func rawInt(raw json.RawMessage) int {
	s, _ := rawString(raw)
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// rawString reads a JSON string or number as text, and reports whether it
// was a number.
func rawString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 {
		return "", false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s, false
		}
		return "", false
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}
