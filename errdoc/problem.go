package errdoc

import (
	"net/http"
	"strconv"
)

// appendProblem encodes items as RFC 9457 problem details; a trace ID is
// the extension member "trace_id".
func (rd *Renderer) appendProblem(b []byte, r *http.Request, status int, id, tid string, items []item) []byte {
	origin := rd.linkOrigin(r)
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
	b = rd.appendDocsLink(b, r, ce, origin)
	b = append(b, `,"title":`...)
	if ce == top.ce {
		b = top.appendTitle(b)
	} else {
		_, qTitle, _, _ := ce.text(top.lang)
		b = append(b, qTitle...)
	}
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	if len(items) == 1 {
		if top.hasDetail() {
			b = rd.appendDetailMember(b, top)
		}
	} else {
		b = append(b, `,"detail":`...)
		count := Message{Args: []Arg{{Name: "count", Value: strconv.Itoa(len(items))}}}
		b = rd.template(top.lang, "errdoc.errors").appendTo(b, &count, rd.msgs[top.lang], rd.msgs[0])
	}
	if rid := itemID(top, id); rid != "" {
		// instance names the occurrence with an absolute URI, so that no
		// client resolves it against the request's URL; the ID itself is
		// request_id.
		b = append(b, `,"instance":`...)
		b = append(b, rd.qInstance...)
		b = appendPercentEncoded(b, rid)
		b = append(b, `","request_id":`...)
		b = appendString(b, rid)
	}
	if tid != "" {
		b = append(b, `,"trace_id":"`...)
		b = append(b, tid...) // 32 hex digits: nothing to escape
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
		b = rd.appendDocsLink(b, r, it.ce, origin)
		b = appendIntMember(b, false, "status", it.status)
		b = appendMember(b, false, "code", it.code)
		b = appendMember(b, false, "title", it.title)
		if it.hasDetail() {
			b = rd.appendDetailMember(b, it)
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

// appendPercentEncoded appends s with every byte but RFC 3986's unreserved
// characters (letters, digits, - . _ ~) percent-encoded: whatever a client
// chose as its request ID ("//evil.example/phish", "../x", "a?b#c") stays
// one opaque segment of the URI it is appended to.
func appendPercentEncoded(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b = append(b, c)
		default:
			b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&0xf])
		}
	}
	return b
}
