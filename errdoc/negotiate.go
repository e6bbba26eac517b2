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
// wins, then the earlier range. application/json and wildcards mean def.
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
		q := qValue(params)
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

// qValue parses the q parameter of a media range's parameters into
// thousandths (0-1000). A missing or malformed q counts as 1.
func qValue(params string) int {
	for params != "" {
		var p string
		if i := strings.IndexByte(params, ';'); i >= 0 {
			p, params = params[:i], params[i+1:]
		} else {
			p, params = params, ""
		}
		p = strings.TrimSpace(p)
		if len(p) < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=' {
			continue
		}
		v := p[2:]
		if v == "" || len(v) > 5 {
			return 1000
		}
		switch v[0] {
		case '1':
			return 1000
		case '0':
		default:
			return 1000
		}
		n, scale := 0, 100
		if len(v) > 1 {
			if v[1] != '.' {
				return 1000
			}
			for _, c := range v[2:] {
				if c < '0' || c > '9' {
					return 1000
				}
				n += int(c-'0') * scale
				scale /= 10
			}
		}
		return n
	}
	return 1000
}
