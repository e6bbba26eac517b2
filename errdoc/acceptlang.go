package errdoc

import (
	"net/http"
	"strings"
)

// maxLanguageRanges bounds how many ranges of Accept-Language are read; a
// browser sends a handful, and the rest of a longer header is ignored.
const maxLanguageRanges = 32

// MatchLanguage returns the index in tags of the language RFC 4647's Lookup
// picks for the Accept-Language field values: ranges are tried from the
// highest q-value down (ties in the order sent), each first as it is and
// then shortened from the end ("es-MX" tries "es-MX", then "es"), compared
// without regard to case. Ranges with q=0, "*" and malformed ranges match
// nothing. It returns 0, the default language, when no range matches.
// It allocates nothing.
func MatchLanguage(tags []string, values ...string) int {
	best, bestQ := 0, -1
	n := 0
	for _, v := range values {
		for v != "" && n < maxLanguageRanges {
			var part string
			if i := strings.IndexByte(v, ','); i >= 0 {
				part, v = v[:i], v[i+1:]
			} else {
				part, v = v, ""
			}
			rng, q, ok := parseLanguageRange(part)
			if !ok {
				continue
			}
			n++
			if q <= bestQ || q == 0 || rng == "*" {
				continue
			}
			if i := lookupRange(tags, rng); i >= 0 {
				best, bestQ = i, q
				if q == 1000 {
					return best
				}
			}
		}
	}
	return best
}

// parseLanguageRange splits "es-MX;q=0.8" into the range and its q-value
// in thousandths (1000 when absent).
func parseLanguageRange(s string) (rng string, q int, ok bool) {
	s = strings.TrimSpace(s)
	q = 1000
	if i := strings.IndexByte(s, ';'); i >= 0 {
		params := s[i+1:]
		s = strings.TrimSpace(s[:i])
		for params != "" {
			var p string
			if j := strings.IndexByte(params, ';'); j >= 0 {
				p, params = params[:j], params[j+1:]
			} else {
				p, params = params, ""
			}
			p = strings.TrimSpace(p)
			if len(p) < 2 || p[0]|0x20 != 'q' || p[1] != '=' {
				continue
			}
			if q, ok = parseQValue(strings.TrimSpace(p[2:])); !ok {
				return "", 0, false
			}
		}
	}
	if s != "*" && !validLanguageTag(s) {
		return "", 0, false
	}
	return s, q, true
}

// parseQValue parses RFC 9110's qvalue, "0", "0.5", "1.000", into
// thousandths.
func parseQValue(s string) (int, bool) {
	if s == "" || len(s) > 5 || s[0] != '0' && s[0] != '1' {
		return 0, false
	}
	q := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return q, true
	}
	if s[1] != '.' {
		return 0, false
	}
	scale := 100
	for i := 2; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	if q > 1000 {
		return 0, false
	}
	return q, true
}

// lookupRange returns the index in tags of the tag rng falls back to, or
// -1: rng itself, then rng with its last subtag removed, and so on, a
// single-letter subtag (an extension's singleton) going with the subtag
// after it.
func lookupRange(tags []string, rng string) int {
	for rng != "" {
		for i, t := range tags {
			if strings.EqualFold(t, rng) {
				return i
			}
		}
		i := strings.LastIndexByte(rng, '-')
		if i < 0 {
			return -1
		}
		rng = rng[:i]
		if j := strings.LastIndexByte(rng, '-'); j >= 0 && len(rng)-j == 2 {
			rng = rng[:j]
		}
	}
	return -1
}

// languageOf returns the index in rd's languages the request's
// Accept-Language picks; 0 with one language, without reading the header.
func (rd *Renderer) languageOf(r *http.Request) int {
	if len(rd.langTags) < 2 || r == nil {
		return 0
	}
	return MatchLanguage(rd.langTags, r.Header["Accept-Language"]...)
}
