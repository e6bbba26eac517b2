package errdoc

import (
	"net/http"
	"strconv"
)

// appendJSONAPI encodes items as a JSON:API errors document. Members about
// the whole response go in the top-level meta, as JSON:API's meta may: a
// trace ID ("trace_id"), and the request's ID ("request_id") when the
// document holds several errors, whose ids are suffixed .1, .2...
func (rd *Renderer) appendJSONAPI(b []byte, r *http.Request, id, tid string, items []item) []byte {
	origin := rd.linkOrigin(r)
	links := rd.hasAbsoluteLink(origin)
	b = append(b, `{"errors":[`...)
	suffixed := false // some id is the request's suffixed .N
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
				suffixed = true
				b = b[:len(b)-1]
				b = append(b, '.')
				b = strconv.AppendInt(b, int64(i+1), 10)
				b = append(b, '"')
			}
			first = false
		}
		if links {
			if !first {
				b = append(b, ',')
			}
			b = append(b, `"links":{"about":`...)
			b = rd.appendDocsLink(b, r, it.ce, origin)
			b = append(b, `,"type":`...)
			b = rd.appendDocsLink(b, r, it.ce, origin)
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
		if it.hasDetail() {
			b = rd.appendDetailMember(b, it)
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
	// Where ids end in .N, the request's own ID goes in the top-level meta,
	// so that the document still carries it as the header and the logs do.
	if !suffixed && tid == "" {
		return append(b, "]}"...)
	}
	b = append(b, `],"meta":{`...)
	if suffixed {
		b = append(b, `"request_id":`...)
		b = appendString(b, id)
		if tid != "" {
			b = append(b, ',')
		}
	}
	if tid != "" {
		b = append(b, `"trace_id":"`...)
		b = append(b, tid...) // 32 hex digits: nothing to escape
		b = append(b, '"')
	}
	return append(b, "}}"...)
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
