package errdoc

import "strings"

// Format is the shape of a rendered error document.
type Format uint8

const (
	// JSONAPI is a JSON:API 1.1 errors document, the default:
	// {"errors":[{"status":"404","code":"not_found","title":"Not Found",...}]}.
	// Sent as application/vnd.api+json when the request accepts that media
	// type, as application/json otherwise.
	JSONAPI Format = iota
	// Problem is an RFC 9457 problem details object, application/problem+json.
	Problem
	// Twitter is Twitter's v1 legacy shape:
	// {"errors":[{"code":88,"message":"Rate limit exceeded"}]}.
	Twitter
)

// String returns the format's name.
func (f Format) String() string {
	switch f {
	case JSONAPI:
		return "jsonapi"
	case Problem:
		return "problem"
	case Twitter:
		return "twitter"
	}
	return "unknown"
}

// ParseFormat returns the Format named "jsonapi", "problem" or "twitter".
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(s) {
	case "jsonapi", "json:api":
		return JSONAPI, true
	case "problem", "rfc9457":
		return Problem, true
	case "twitter", "legacy":
		return Twitter, true
	}
	return JSONAPI, false
}

// Media types of the documents.
const (
	MediaTypeJSONAPI = "application/vnd.api+json"
	MediaTypeProblem = "application/problem+json"
	MediaTypeJSON    = "application/json"
)

// Shared, never-modified header values: assigning them avoids allocating a
// slice per response.
var (
	hdrJSONAPI = []string{MediaTypeJSONAPI}
	hdrProblem = []string{MediaTypeProblem}
	hdrJSON    = []string{MediaTypeJSON}
	hdrNosniff = []string{"nosniff"}
)

// Negotiate picks the format and media type of an error document for a
// request whose Accept header is accept. def is the format configured for the
// route; with strict set, the format is always def.
//
// The media range with the highest q-value wins; among equal q-values def
// wins, then the earlier range. A range whose q parameter is not a valid
// weight is ignored; q-values with more than three decimals round up to the
// next thousandth (see qValue). application/json and wildcards mean def.
// An Accept header that allows none of the error media types gets def: an
// error is never turned into a 406.
func Negotiate(accept string, def Format, strict bool) (Format, string) {
	f, vnd := negotiate(accept, def, strict)
	return f, contentTypeHeader(f, vnd)[0]
}

// contentTypeHeader returns the shared Content-Type value of format f; vnd
// says the client accepts JSON:API's own media type.
func contentTypeHeader(f Format, vnd bool) []string {
	switch {
	case f == Problem:
		return hdrProblem
	case f == JSONAPI && vnd:
		return hdrJSONAPI
	}
	return hdrJSON
}

// negotiate returns the format and whether the client accepts JSON:API's
// own media type.
func negotiate(accept string, def Format, strict bool) (Format, bool) {
	const (
		none = iota
		matchJSONAPI
		matchProblem
		matchDefault
	)
	best, bestQ := none, -1
	var excluded [3]bool // JSONAPI, Problem, default-by-wildcard
	vnd := false
	for accept != "" {
		var part string
		if i := strings.IndexByte(accept, ','); i >= 0 {
			part, accept = accept[:i], accept[i+1:]
		} else {
			part, accept = accept, ""
		}
		mt, params := part, ""
		if i := strings.IndexByte(part, ';'); i >= 0 {
			mt, params = part[:i], part[i+1:]
		}
		mt = strings.TrimSpace(mt)
		q, ok := qValue(params)
		if !ok {
			continue
		}
		var m int
		switch {
		case strings.EqualFold(mt, MediaTypeJSONAPI):
			m = matchJSONAPI
			if q > 0 {
				vnd = true
			}
		case strings.EqualFold(mt, MediaTypeProblem):
			m = matchProblem
		case strings.EqualFold(mt, MediaTypeJSON), mt == "*/*", strings.EqualFold(mt, "application/*"):
			m = matchDefault
		default:
			continue
		}
		if q == 0 {
			excluded[m-1] = true
			continue
		}
		if q > bestQ || q == bestQ && m != best && isDefault(m, def) && !isDefault(best, def) {
			best, bestQ = m, q
		}
	}
	if strict {
		return def, vnd
	}
	switch best {
	case matchJSONAPI:
		return JSONAPI, vnd
	case matchProblem:
		return Problem, vnd
	case matchDefault:
		// A wildcard stands for def unless the client refused def's own
		// media type explicitly.
		if def == Problem && excluded[1] {
			return JSONAPI, vnd
		}
		if def == JSONAPI && excluded[0] && !excluded[1] {
			return Problem, vnd
		}
	}
	return def, vnd
}

// isDefault reports whether match m selects the configured format def.
func isDefault(m int, def Format) bool {
	switch m {
	case 1:
		return def == JSONAPI
	case 2:
		return def == Problem
	case 3:
		return true
	}
	return false
}

// qValue reads the weight among a media range's parameters, in thousandths
// (0-1000), and reports whether the range is usable. RFC 9110 section
// 12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), the
// parameter name case-insensitive. Read leniently where the intent is
// plain, strictly where it is not:
//
//   - whitespace around the name, "=" and the value is allowed ("q = 0.1");
//   - no q parameter means 1;
//   - more than three decimals (invalid, but meant as a weight) round up to
//     the next thousandth, so a weight above zero stays an acceptance:
//     q=0.0001 reads 0.001, q=0.00000 reads 0, q=1.0000 reads 1;
//   - anything else (q=2, q=1.5, q=-1, q=.5, q=abc, q="0.5", an empty q)
//     makes the range unusable: it is ignored, neither preferred nor
//     refused.
func qValue(params string) (int, bool) {
	for params != "" {
		var p string
		if i := strings.IndexByte(params, ';'); i >= 0 {
			p, params = params[:i], params[i+1:]
		} else {
			p, params = params, ""
		}
		eq := strings.IndexByte(p, '=')
		if eq < 0 {
			continue
		}
		if name := strings.TrimSpace(p[:eq]); name != "q" && name != "Q" {
			continue
		}
		return parseQ(strings.TrimSpace(p[eq+1:]))
	}
	return 1000, true
}

// parseQ reads a qvalue as qValue describes.
func parseQ(v string) (int, bool) {
	if v == "" || v[0] != '0' && v[0] != '1' {
		return 0, false
	}
	one := v[0] == '1'
	if len(v) == 1 {
		return int(v[0]-'0') * 1000, true
	}
	if v[1] != '.' {
		return 0, false
	}
	n, scale, rest := 0, 100, false
	for i := 2; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if one && c != '0' {
			return 0, false // above 1
		}
		if scale > 0 {
			n += int(c-'0') * scale
			scale /= 10
		} else if c != '0' {
			rest = true
		}
	}
	if one {
		return 1000, true
	}
	if rest {
		n++ // round a fourth decimal and beyond up
	}
	return n, true
}
