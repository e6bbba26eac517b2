package errdoc

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
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
	source Source
	meta   []byte // encoded meta object, or nil
	qcode  string // code quoted, when it is the catalog's
	qtitle string // title quoted, when it is the catalog's
}

// appendCode appends the item's code as a JSON string.
func (it *item) appendCode(b []byte) []byte {
	if it.qcode != "" {
		return append(b, it.qcode...)
	}
	return appendString(b, it.code)
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

// Write renders err as an error document on w for request r. err may be an
// *Error, a List, an errors.Join of errors, or any error (classified with
// Classify). A nil err renders a 500.
//
// When the response was already committed (see Committed) Write writes
// nothing and logs the error instead; a middleware that must end such a
// response aborts it.
func (rd *Renderer) Write(w http.ResponseWriter, r *http.Request, err error) {
	var one [1]item
	items := one[:0]
	var dropped int
	if e, ok := err.(*Error); ok && e != nil {
		items = append(items, rd.resolve(e))
	} else {
		items, dropped = rd.collect(items, err)
	}
	status := items[0].status
	if len(items) > 1 {
		var st [maxErrors]int
		for i := range items {
			st[i] = items[i].status
		}
		status = ResponseStatus(st[:len(items)]...)
	}
	id := rd.requestID(r)

	if Committed(w) {
		rd.log(r, id, status, items, dropped, true)
		return
	}

	h := w.Header()
	for i := range items {
		for k, vs := range items[i].e.Header {
			k = http.CanonicalHeaderKey(k)
			h.Del(k)
			for _, v := range vs {
				h.Add(k, v)
			}
		}
	}
	delete(h, "Content-Length")
	if status == http.StatusNotModified {
		w.WriteHeader(status)
		rd.observe(r, id, status, items, JSONAPI)
		return
	}

	format, vnd := negotiate(acceptOf(r), rd.opts.Format, rd.opts.Strict)
	h["Content-Type"] = contentTypeHeader(format, vnd)
	h["X-Content-Type-Options"] = hdrNosniff

	bp := bufPool.Get().(*[]byte)
	buf := rd.appendDocument((*bp)[:0], format, status, id, items)
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf)
	}
	if cap(buf) <= 64<<10 {
		*bp = buf
		bufPool.Put(bp)
	}

	rd.log(r, id, status, items, dropped, false)
	rd.observe(r, id, status, items, format)
}

// acceptOf returns r's Accept header, joining repeated fields. The key is
// looked up as net/http stores it, skipping Header.Get's canonicalisation.
func acceptOf(r *http.Request) string {
	vs := r.Header["Accept"]
	switch len(vs) {
	case 0:
		return ""
	case 1:
		return vs[0]
	}
	return strings.Join(vs, ",")
}

// appendDocument encodes items in format f.
func (rd *Renderer) appendDocument(b []byte, f Format, status int, id string, items []item) []byte {
	switch f {
	case Problem:
		return rd.appendProblem(b, status, id, items)
	case Twitter:
		return appendTwitter(b, items)
	}
	return rd.appendJSONAPI(b, id, items)
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// resolve fills e's blanks from the catalog and applies the safety rules.
func (rd *Renderer) resolve(e *Error) item {
	it := item{e: e, status: e.Status, code: e.Code, title: e.Title, detail: e.Detail}
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
		it = item{e: e, status: http.StatusInternalServerError}
		it.ce = rd.entryFor(it.status)
	}
	if it.ce == nil {
		it.ce = rd.entryFor(it.status)
	}
	if it.code == "" || it.ce.Code != it.code && rd.byCode[it.code] == nil && !validCode(it.code) {
		it.code = it.ce.Code
		if it.ce.Status != it.status {
			it.code = "http_" + strconv.Itoa(it.status)
		}
	}
	if it.title == "" {
		it.title = it.ce.Title
		if it.ce.Status != it.status {
			it.title = statusTitle(it.status)
		}
	}
	if it.code == it.ce.Code {
		it.qcode = it.ce.qCode
	}
	if it.title == it.ce.Title {
		it.qtitle = it.ce.qTitle
	}
	if it.status >= 500 && !e.Public && !rd.opts.Development {
		it.detail = it.ce.Description
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

// collect flattens err (a List, an errors.Join, or one error) into resolved
// items, at most maxErrors of them.
func (rd *Renderer) collect(items []item, err error) ([]item, int) {
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
				items = append(items, rd.resolve(x))
				return
			case interface{ Unwrap() []error }:
				for _, e := range x.Unwrap() {
					visit(e, depth+1)
				}
				return
			}
		}
		items = append(items, rd.resolve(Classify(err)))
	}
	visit(err, 0)
	if len(items) == 0 {
		items = append(items, rd.resolve(Classify(err)))
	}
	return items, dropped
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

func (rd *Renderer) appendJSONAPI(b []byte, id string, items []item) []byte {
	b = append(b, `{"errors":[`...)
	for i := range items {
		it := &items[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		first := true
		if rid := itemID(it, id); rid != "" {
			b = append(b, `"id":`...)
			b = appendString(b, rid)
			if len(items) > 1 && it.e.RequestID == "" {
				b = b[:len(b)-1]
				b = append(b, '.')
				b = strconv.AppendInt(b, int64(i+1), 10)
				b = append(b, '"')
			}
			first = false
		}
		if it.ce.qLink != "" {
			if !first {
				b = append(b, ',')
			}
			b = append(b, `"links":{"about":`...)
			b = append(b, it.ce.qLink...)
			b = append(b, `,"type":`...)
			b = append(b, it.ce.qLink...)
			b = append(b, '}')
			first = false
		}
		if !first {
			b = append(b, ',')
		}
		b = append(b, `"status":"`...)
		b = strconv.AppendInt(b, int64(it.status), 10)
		b = append(b, `","code":`...)
		b = it.appendCode(b)
		b = append(b, `,"title":`...)
		b = it.appendTitle(b)
		if it.detail != "" {
			b = appendMember(b, false, "detail", it.detail)
		}
		if s := it.source; !s.isZero() {
			b = append(b, `,"source":{`...)
			b = appendSource(b, s)
			b = append(b, '}')
		}
		if it.meta != nil {
			b = append(b, `,"meta":`...)
			b = append(b, it.meta...)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func itemID(it *item, id string) string {
	if it.e.RequestID != "" {
		return it.e.RequestID
	}
	return id
}

func appendSource(b []byte, s Source) []byte {
	switch {
	case s.Pointer != "":
		return appendMember(b, true, "pointer", s.Pointer)
	case s.Parameter != "":
		return appendMember(b, true, "parameter", s.Parameter)
	default:
		return appendMember(b, true, "header", s.Header)
	}
}

func (rd *Renderer) appendProblem(b []byte, status int, id string, items []item) []byte {
	top := &items[0]
	ce := top.ce
	if len(items) > 1 {
		same := true
		for i := range items {
			if items[i].code != top.code {
				same = false
				break
			}
		}
		if !same || top.status != status {
			ce = rd.entryFor(status)
		}
	}
	b = append(b, `{"type":`...)
	b = append(b, ce.qProblem...)
	b = append(b, `,"title":`...)
	if ce == top.ce {
		b = top.appendTitle(b)
	} else {
		b = append(b, ce.qTitle...)
	}
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	if len(items) == 1 {
		if top.detail != "" {
			b = appendMember(b, false, "detail", top.detail)
		}
	} else {
		b = append(b, `,"detail":"`...)
		b = strconv.AppendInt(b, int64(len(items)), 10)
		b = append(b, ` errors; see errors."`...)
	}
	if rid := itemID(top, id); rid != "" {
		b = append(b, `,"instance":"`...)
		b = appendURIRef(b, rid)
		b = append(b, '"')
	}
	b = append(b, `,"code":`...)
	if ce == top.ce {
		b = top.appendCode(b)
	} else {
		b = append(b, ce.qCode...)
	}
	if len(items) == 1 {
		if s := top.source; !s.isZero() {
			b = append(b, ',')
			b = appendSource(b, s)
		}
		if top.meta != nil {
			b = append(b, `,"meta":`...)
			b = append(b, top.meta...)
		}
		return append(b, '}')
	}
	b = append(b, `,"errors":[`...)
	for i := range items {
		it := &items[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":`...)
		b = append(b, it.ce.qProblem...)
		b = appendIntMember(b, false, "status", it.status)
		b = appendMember(b, false, "code", it.code)
		b = appendMember(b, false, "title", it.title)
		if it.detail != "" {
			b = appendMember(b, false, "detail", it.detail)
		}
		if s := it.source; !s.isZero() {
			b = append(b, ',')
			b = appendSource(b, s)
		}
		if it.meta != nil {
			b = append(b, `,"meta":`...)
			b = append(b, it.meta...)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendURIRef appends s percent-encoding every byte that may not stand
// unencoded in a relative URI reference's path (RFC 3986 pchar less ':').
func appendURIRef(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '!', c == '$', c == '\'',
			c == '(', c == ')', c == '*', c == '+', c == ',', c == ';', c == '=', c == '@', c == '/':
			b = append(b, c)
		default:
			b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&0xf])
		}
	}
	return b
}

func appendTwitter(b []byte, items []item) []byte {
	b = append(b, `{"errors":[`...)
	for i := range items {
		it := &items[i]
		if i > 0 {
			b = append(b, ',')
		}
		code := it.ce.LegacyCode
		if code == 0 || it.ce.Status != it.status {
			code = it.status
		}
		msg := it.ce.LegacyMessage
		if msg == "" || it.ce.Status != it.status {
			msg = it.detail
		}
		if msg == "" {
			msg = it.title
		}
		b = append(b, '{')
		b = appendIntMember(b, true, "code", code)
		b = appendMember(b, false, "message", msg)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// log records server errors, errors with a cause, and errors that could not
// be written because the response was committed.
func (rd *Renderer) log(r *http.Request, id string, status int, items []item, dropped int, committed bool) {
	for i := range items {
		it := &items[i]
		level := slog.LevelDebug
		switch {
		case committed || it.status >= 500:
			level = slog.LevelError
		case it.e.Cause == nil:
			continue
		}
		if l, ok := it.e.Cause.(Logged); ok && l.Logged() {
			continue
		}
		lg := rd.logger()
		ctx := r.Context()
		if !lg.Enabled(ctx, level) {
			continue
		}
		msg := "request failed"
		if committed {
			msg = "request failed after the response was committed; no error document written"
		}
		attrs := []slog.Attr{
			slog.String("request_id", id),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", rd.route(r)),
			slog.Int("status", it.status),
			slog.Int("response_status", status),
			slog.String("code", it.code),
		}
		if it.e.Cause != nil {
			attrs = append(attrs, slog.String("cause", causeText(it.e.Cause)))
		}
		if i == 0 && dropped > 0 {
			attrs = append(attrs, slog.Int("errors_dropped", dropped))
		}
		lg.LogAttrs(ctx, level, msg, attrs...)
	}
}

func (rd *Renderer) observe(r *http.Request, id string, status int, items []item, f Format) {
	if rd.opts.Observe == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			rd.logger().LogAttrs(r.Context(), slog.LevelError, "errdoc: Observe panicked",
				slog.String("request_id", id))
		}
	}()
	route := rd.route(r)
	for i := range items {
		rd.opts.Observe(Observation{
			Status:         items[i].status,
			ResponseStatus: status,
			Code:           items[i].code,
			Route:          route,
			RequestID:      id,
			Format:         f,
			Cause:          items[i].e.Cause,
		})
	}
}
