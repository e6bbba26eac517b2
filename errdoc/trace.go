package errdoc

import "net/http"

// TraceIDLen is the length of a trace ID as documents carry it: 32
// lowercase hex digits, W3C Trace Context's and OpenTelemetry's spelling.
const TraceIDLen = 32

// TraceID returns the trace ID the documents and log records of request r
// carry, or "" when there is none:
//
//  1. Options.TraceID's answer, when it is a valid trace ID: the active
//     OpenTelemetry span's, say (the adapter module
//     github.com/faultline-go/faultline/errdoc/errdocotel supplies it, so
//     that errdoc itself imports no tracing library);
//  2. else the trace ID of the request's W3C traceparent header, when the
//     header is valid (see ParseTraceparent).
//
// An invalid or all-zero trace ID is ignored, never echoed: what a client
// sends in traceparent reaches documents and logs only as 32 lowercase hex
// digits. Reading the header allocates nothing: the ID is a substring of
// the header's value.
func (rd *Renderer) TraceID(r *http.Request) string {
	if rd.opts.TraceID != nil {
		if id := rd.opts.TraceID(r); ValidTraceID(id) {
			return id
		}
	}
	vs := r.Header["Traceparent"]
	if len(vs) != 1 {
		// None, or several: W3C Trace Context treats a repeated
		// traceparent as invalid.
		return ""
	}
	id, _, ok := ParseTraceparent(vs[0])
	if !ok {
		return ""
	}
	return id
}

// TraceIDFrom is TraceID with the renderer in r's context (see
// FromContext), for middlewares and handlers that log on their own.
func TraceIDFrom(r *http.Request) string {
	return FromContext(r.Context()).TraceID(r)
}

// ParseTraceparent parses a W3C Trace Context traceparent header value
// (https://www.w3.org/TR/trace-context/#traceparent-header) and returns
// its trace ID and parent ID as substrings of v. It reports false, and
// returns nothing, unless v follows the rules strictly:
//
//   - version-traceid-parentid-flags, every field lowercase hex: a
//     2-digit version, a 32-digit trace ID, a 16-digit parent ID and
//     2-digit flags, separated by single dashes;
//   - version ff is invalid; version 00 is exactly 55 characters long; a
//     later version may carry more fields after a dash, which are not read
//     (the rule the specification gives for versions it does not know);
//   - an all-zero trace ID or parent ID is invalid.
func ParseTraceparent(v string) (traceID, parentID string, ok bool) {
	const n = 55 // 2 + 1 + 32 + 1 + 16 + 1 + 2
	if len(v) < n || v[2] != '-' || v[35] != '-' || v[52] != '-' || !lowerHex(v[:2]) || v[:2] == "ff" {
		return "", "", false
	}
	if len(v) > n && (v[:2] == "00" || v[n] != '-') {
		return "", "", false
	}
	traceID, parentID = v[3:35], v[36:52]
	if !lowerHex(traceID) || !lowerHex(parentID) || !lowerHex(v[53:55]) || allZero(traceID) || allZero(parentID) {
		return "", "", false
	}
	return traceID, parentID, true
}

// ValidTraceID reports whether id is a trace ID documents may carry: 32
// lowercase hex digits, not all zero.
func ValidTraceID(id string) bool {
	return len(id) == TraceIDLen && lowerHex(id) && !allZero(id)
}

// lowerHex reports whether s is all lowercase hex digits: one branch per
// string, the bytes' verdicts or-ed together as ValidRequestID does.
func lowerHex(s string) bool {
	var bad uint8
	for i := 0; i < len(s); i++ {
		bad |= notLowerHex[s[i]]
	}
	return bad == 0
}

// notLowerHex[c] is 1 for the bytes that are not lowercase hex digits. It
// is computed once and never changed.
var notLowerHex = func() (t [256]uint8) {
	for c := range t {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			t[c] = 1
		}
	}
	return t
}()

// allZero reports whether s, 32 or 16 digits long, is all zeros.
func allZero(s string) bool {
	const zeros = "00000000000000000000000000000000"
	return len(s) <= len(zeros) && s == zeros[:len(s)]
}
