package errdoc

// appendTwitter encodes items in Twitter's v1 shape; a trace ID is a
// top-level "trace_id" beside "errors", which clients of that shape skip.
func (rd *Renderer) appendTwitter(b []byte, tid string, items []item) []byte {
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
		_, _, _, msg := it.ce.text(it.lang)
		b = append(b, '{')
		b = appendIntMember(b, true, "code", code)
		b = append(b, `,"message":`...)
		switch {
		case msg != "" && it.ce.Status == it.status:
			b = appendString(b, msg)
		case it.hasDetail():
			n := len(b)
			if b = rd.appendDetail(b, it); len(b)-n == 2 {
				b = appendString(b[:n], it.title) // an empty detail: the title
			}
		default:
			b = appendString(b, it.title)
		}
		b = append(b, '}')
	}
	if tid != "" {
		b = append(b, `],"trace_id":"`...)
		b = append(b, tid...) // 32 hex digits: nothing to escape
		return append(b, `"}`...)
	}
	return append(b, "]}"...)
}
