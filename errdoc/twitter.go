package errdoc

// appendTwitter encodes items in Twitter's v1 shape; a trace ID is a
// top-level "trace_id" beside "errors", which clients of that shape skip.
func appendTwitter(b []byte, tid string, items []item) []byte {
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
	if tid != "" {
		b = append(b, `],"trace_id":"`...)
		b = append(b, tid...) // 32 hex digits: nothing to escape
		return append(b, `"}`...)
	}
	return append(b, "]}"...)
}
