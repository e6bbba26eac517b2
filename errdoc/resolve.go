package errdoc

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"unicode/utf8"
)

// maxErrors bounds how many errors one document carries; the rest are
// counted in the log.
const maxErrors = 100

// item is one error resolved against the catalog, ready to encode.
type item struct {
	e      *Error
	ce     *centry // entry for the code, or for the status
	status int
	code   string
	title  string
	detail string
	// msg is the error's Message, when the detail is rendered from it;
	// detail is then unused. lang is the language the item is rendered
	// in, an index of Renderer.langTags.
	msg    *Message
	tmpl   *ctmpl // msg's template in language lang
	lang   int
	source Source
	meta   []byte // encoded meta object, or nil
	qcode  string // code quoted, when it is the catalog's
	qtitle string // title quoted, when it is the catalog's
	// mistake is set when the error named a code or status the catalog
	// lacks; the log reports it.
	mistake mistake
}

// mistake is a programming mistake resolve corrected.
type mistake uint8

const (
	mistakeCode   mistake = iota + 1 // a code the catalog lacks
	mistakeStatus                    // a status without an entry
)

// appendCode appends the item's code as a JSON string.
func (it *item) appendCode(b []byte) []byte {
	if it.qcode != "" {
		return append(b, it.qcode...)
	}
	return appendString(b, it.code)
}

// hasDetail reports whether the item renders a detail.
func (it *item) hasDetail() bool { return it.msg != nil || it.detail != "" }

// appendDetail appends the item's detail as a JSON string: its message in
// the item's language, else its detail.
func (rd *Renderer) appendDetail(b []byte, it *item) []byte {
	if it.msg == nil {
		return appendString(b, it.detail)
	}
	return it.tmpl.appendTo(b, it.msg, rd.msgs[it.lang], rd.msgs[0])
}

// template returns the template of the message key in language li, or
// in the default language when li lacks it; nil when neither has it.
func (rd *Renderer) template(li int, key string) *ctmpl {
	if ct := rd.compiled[li][key]; ct != nil {
		return ct
	}
	return rd.compiled[0][key]
}

// appendDetailMember appends ,"detail":"..." unless the detail renders
// empty (a message whose arguments are all empty, say): an empty detail is
// left out, as an empty Detail is.
func (rd *Renderer) appendDetailMember(b []byte, it *item) []byte {
	mark := len(b)
	b = append(b, `,"detail":`...)
	n := len(b)
	if b = rd.appendDetail(b, it); len(b)-n == 2 {
		return b[:mark]
	}
	return b
}

// appendTitle appends the item's title as a JSON string.
func (it *item) appendTitle(b []byte) []byte {
	if it.qtitle != "" {
		return append(b, it.qtitle...)
	}
	return appendString(b, it.title)
}

// validPointer reports whether p is a non-empty RFC 6901 JSON Pointer in
// valid UTF-8.
func validPointer(p string) bool {
	if len(p) == 0 || p[0] != '/' || !utf8.ValidString(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '~' && (i+1 == len(p) || p[i+1] != '0' && p[i+1] != '1') {
			return false
		}
	}
	return true
}

// resolve fills e's blanks from the catalog, in language li (an index of
// rd.langTags), and applies the safety rules.
func (rd *Renderer) resolve(e *Error, li int) item {
	it := item{e: e, status: e.Status, code: e.Code, title: e.Title, detail: e.Detail, lang: li}
	if e.Code != "" {
		it.ce = rd.byCode[e.Code]
	}
	if it.status == 0 {
		if it.ce != nil {
			it.status = it.ce.Status
		} else {
			it.status = http.StatusInternalServerError
		}
	}
	if it.status != http.StatusNotModified && (it.status < 400 || it.status > 599) {
		// Not an error status: a programming mistake, rendered as a plain 500.
		it = item{e: e, status: http.StatusInternalServerError, mistake: mistakeStatus}
		it.ce = rd.entryFor(it.status)
	}
	if it.ce == nil {
		it.ce = rd.entryFor(it.status)
	}
	if it.code != "" && it.code != it.ce.Code && rd.byCode[it.code] == nil {
		// A code the catalog lacks is a programming mistake: the client
		// gets the status's own code, never a made-up one, and the log
		// names the code (see Catalog.MustCode to catch it at start-up).
		it.mistake = mistakeCode
		it.code = ""
	}
	if it.mistake == 0 && rd.entryFor(it.status).Status != it.status {
		// A status without an entry (418, 499...): its class's entry
		// answers, and the log names the status.
		it.mistake = mistakeStatus
	}
	if it.code == "" {
		it.code = it.ce.Code
	}
	title, qTitle, desc, _ := it.ce.text(li)
	if it.title == "" {
		it.title = title
		if it.ce.Status != it.status {
			it.title = statusTitle(it.status)
		}
	}
	if it.code == it.ce.Code {
		it.qcode = it.ce.qCode
	}
	if it.title == title {
		it.qtitle = qTitle
	}
	if it.status >= 500 && !e.Public && !rd.opts.Development {
		it.detail = desc
	} else if e.Message.Key != "" {
		// A translation has every key its catalog has: a key the default
		// language lacks is one no language has, and Detail answers.
		if ct := rd.template(li, e.Message.Key); ct != nil {
			it.msg, it.tmpl = &e.Message, ct
		}
	}
	it.source = e.Source
	if it.source.Pointer != "" && !validPointer(it.source.Pointer) {
		// Not an RFC 6901 pointer: the document would be invalid JSON:API.
		it.source = Source{}
	}
	if len(e.Meta) > 0 || rd.opts.Development && e.Cause != nil {
		it.meta = rd.encodeMeta(e)
	}
	return it
}

func statusTitle(status int) string {
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "Error"
}

// encodeMeta returns e's meta (and, in development, its cause) as a JSON
// object, or nil when it cannot be encoded within the size limit.
func (rd *Renderer) encodeMeta(e *Error) []byte {
	m := e.Meta
	if rd.opts.Development && e.Cause != nil {
		m = make(map[string]any, len(e.Meta)+1)
		for k, v := range e.Meta {
			m[k] = v
		}
		m["cause"] = causeText(e.Cause)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true)
	if err := safeEncode(enc, m); err != nil {
		rd.logger().LogAttrs(context.Background(), slog.LevelWarn, "errdoc: meta dropped",
			slog.String("code", e.Code), slog.String("reason", "not encodable"))
		return nil
	}
	out := bytes.TrimSpace(b.Bytes())
	if len(out) > rd.maxMeta {
		rd.logger().LogAttrs(context.Background(), slog.LevelWarn, "errdoc: meta dropped",
			slog.String("code", e.Code), slog.String("reason", "too large"), slog.Int("bytes", len(out)))
		return nil
	}
	return out
}

// safeEncode encodes v, turning a panic in a value's MarshalJSON into an
// error.
func safeEncode(enc *json.Encoder, v any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errEncodePanic
		}
	}()
	return enc.Encode(v)
}

type encodePanicError struct{}

func (encodePanicError) Error() string { return "errdoc: meta encoding panicked" }

var errEncodePanic error = encodePanicError{}
