package errdoc

import (
	"strconv"
)

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
