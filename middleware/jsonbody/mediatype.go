package jsonbody

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/faultline-go/faultline/errdoc"
	"github.com/faultline-go/faultline/internal/httpsyntax"
)

// mediaSet is the media types a Binder accepts: exact "type/subtype" names,
// and structured-syntax suffixes written "type/*+suffix".
type mediaSet struct {
	exact    []string // "application/json"
	suffixes []string // "application/" + "+json", as prefix and suffix pairs
	names    []string // as configured, for messages
}

func newMediaSet(types []string) (mediaSet, error) {
	if len(types) == 0 {
		types = []string{"application/json", "application/*+json"}
	}
	var m mediaSet
	for _, t := range types {
		typ, sub, params, ok := httpsyntax.SplitMediaType(t)
		if !ok || strings.TrimSpace(params) != "" || typ == "*" {
			return mediaSet{}, fmt.Errorf("middleware: media type %q is not type/subtype or type/*+suffix", t)
		}
		if strings.HasPrefix(sub, "*+") && len(sub) > 2 {
			m.suffixes = append(m.suffixes, typ+"/", sub[1:])
		} else if strings.Contains(sub, "*") {
			return mediaSet{}, fmt.Errorf("middleware: media type %q: only a structured-syntax suffix may follow a *", t)
		} else {
			m.exact = append(m.exact, typ+"/"+sub)
		}
		m.names = append(m.names, typ+"/"+sub)
	}
	return m, nil
}

func (m mediaSet) match(typ, sub string) bool {
	for _, e := range m.exact {
		if len(e) == len(typ)+1+len(sub) && e[:len(typ)] == typ && e[len(typ)] == '/' && e[len(typ)+1:] == sub {
			return true
		}
	}
	for i := 0; i+1 < len(m.suffixes); i += 2 {
		p, s := m.suffixes[i], m.suffixes[i+1]
		if len(typ)+1 == len(p) && strings.HasPrefix(p, typ) && strings.HasSuffix(sub, s) && len(sub) > len(s) {
			return true
		}
	}
	return false
}

func (m mediaSet) String() string { return strings.Join(m.names, ", ") }

// checkContentType returns the 415 for a request body whose Content-Type is
// not accepted, or whose Content-Encoding is not identity (bodies are
// decoded as sent: a gzip body would be read as malformed JSON, and a plain
// one labelled gzip would pass), nil otherwise. The client's value is never
// echoed.
//
// Content-Type is a singleton field (RFC 9110 §5.3, §8.3): a request with
// two Content-Type lines, or one whose value is a list, has no one media
// type, and a proxy that picked another than we would decode the body as
// something else than we check. It is refused, whatever the order.
func (b *Binder) checkContentType(r *http.Request) *errdoc.Error {
	for _, ce := range r.Header.Values("Content-Encoding") {
		for _, c := range strings.Split(ce, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
				e := errdoc.New(http.StatusUnsupportedMediaType, "").WithMessage("media.encoding").AtHeader("Content-Encoding")
				e.SetHeader("Accept-Encoding", "identity") // RFC 9110 section 15.5.16
				return e
			}
		}
	}
	cts := r.Header["Content-Type"]
	if len(cts) > 1 || len(cts) == 1 && isList(cts[0]) {
		return b.unsupported(r, "media.several", b.typesArgs)
	}
	var ct string
	if len(cts) == 1 {
		ct = cts[0]
	}
	if ct == "" {
		return b.unsupported(r, "media.missing", b.typesArgs)
	}
	typ, sub, params, ok := httpsyntax.SplitMediaType(ct)
	if !ok || !b.media.match(typ, sub) {
		return b.unsupported(r, "media.not_accepted", b.typesArgs)
	}
	for params != "" {
		var name, value string
		name, value, params = httpsyntax.NextParam(params)
		if name == "charset" && !strings.EqualFold(value, "utf-8") && !strings.EqualFold(value, "utf8") {
			return b.unsupported(r, "media.charset", nil)
		}
	}
	return nil
}

// isList reports whether the field value s is not one value: it holds a
// comma outside a quoted-string (a list of values where one is expected),
// or a quoted-string that never closes. A quoted-string opens only a
// parameter's value, after its '=' (RFC 9110 section 5.6.6); a quote
// anywhere else opens nothing, so that a value a proxy splitting on commas
// would read as two is refused here too. A comma inside a quoted value (a
// boundary="a,b") does not count.
func isList(s string) bool {
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\\':
			i++ // the escaped byte
		case quoted && c == '"':
			quoted = false
		case quoted:
		case c == '"' && afterEquals(s[:i]):
			quoted = true
		case c == ',':
			return true
		}
	}
	return quoted
}

// afterEquals reports whether s ends with '=' and optional whitespace: a
// quote after it opens a parameter's value (httpsyntax.NextParam allows the
// whitespace).
func afterEquals(s string) bool {
	s = strings.TrimRight(s, " \t")
	return len(s) > 0 && s[len(s)-1] == '='
}

// unsupported is the 415 of the message key; args, when not nil, are the
// Binder's shared typesArgs.
func (b *Binder) unsupported(r *http.Request, key string, args []errdoc.Arg) *errdoc.Error {
	e := &errdoc.Error{Status: http.StatusUnsupportedMediaType, Message: errdoc.Message{Key: key, Args: args}}
	e.AtHeader("Content-Type")
	e.Meta = map[string]any{"accepted": b.media.names}
	switch r.Method {
	case http.MethodPost:
		e.SetHeader("Accept-Post", b.acceptList)
	case http.MethodPatch:
		e.SetHeader("Accept-Patch", b.acceptList)
	}
	return e
}
