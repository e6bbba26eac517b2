package httpsyntax

import "strings"

// SplitMediaType splits a media type such as "Application/JSON; charset=utf-8"
// into its lower-cased type, subtype and the parameters after the first
// ';'. ok is false when it is not type "/" subtype made of token characters.
func SplitMediaType(s string) (typ, sub, params string, ok bool) {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s, params = s[:i], s[i+1:]
	}
	s = strings.TrimSpace(s)
	slash := strings.IndexByte(s, '/')
	if slash <= 0 || slash == len(s)-1 {
		return "", "", "", false
	}
	typ, sub = s[:slash], s[slash+1:]
	if !IsToken(typ) || !IsToken(sub) {
		return "", "", "", false
	}
	return strings.ToLower(typ), strings.ToLower(sub), params, true
}

// IsToken reports whether s is an RFC 9110 token.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		switch c {
		case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
			continue
		}
		return false
	}
	return true
}

// NextParam returns the first ";"-separated name=value parameter of params,
// the name lower-cased and the value unquoted, and the rest.
func NextParam(params string) (name, value, rest string) {
	params = strings.TrimLeft(params, " \t;")
	i := strings.IndexAny(params, "=;")
	if i < 0 {
		return strings.ToLower(strings.TrimSpace(params)), "", ""
	}
	name = strings.ToLower(strings.TrimSpace(params[:i]))
	if params[i] == ';' {
		return name, "", params[i+1:]
	}
	v := strings.TrimLeft(params[i+1:], " \t")
	if strings.HasPrefix(v, `"`) {
		value, v = unquote(v)
	} else {
		j := strings.IndexByte(v, ';')
		if j < 0 {
			j = len(v)
		}
		value, v = strings.TrimSpace(v[:j]), v[j:]
	}
	if j := strings.IndexByte(v, ';'); j >= 0 {
		return name, value, v[j+1:]
	}
	return name, value, ""
}

// unquote returns the value of the quoted-string s starts with, and what
// follows it. Without escapes the value is a substring of s.
func unquote(s string) (value, after string) {
	if end := strings.IndexAny(s[1:], "\"\\"); end >= 0 && s[1+end] == '"' {
		return s[1 : 1+end], s[2+end:]
	}
	var b strings.Builder
	i := 1
	for ; i < len(s) && s[i] != '"'; i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String(), s[min(i+1, len(s)):]
}
