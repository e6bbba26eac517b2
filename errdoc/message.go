package errdoc

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Message is a detail that is rendered in the client's language: the key of
// a template in the Catalog and the values of the template's placeholders.
// Templates name their placeholders in braces, "No route matches {path}.",
// so a translation can put them in the order its grammar needs; "{{" and
// "}}" stand for literal braces.
//
// Set it with Error.WithMessage. The zero Message is none: the error's
// Detail is rendered as it is.
type Message struct {
	// Key names the template, such as MsgRouteNotFound or a key the
	// application registered with Catalog.WithMessages.
	Key string
	// Args fill the template's placeholders, by name.
	Args []Arg
}

// Arg is the value of one placeholder of a Message's template.
type Arg struct {
	// Name is the placeholder's name, without braces.
	Name string
	// Value is inserted as it is: a record ID, a JSON pointer, a number.
	Value string
	// Msg, when its Key is set, is rendered in the same language in place
	// of Value: a phrase that must itself be translated, such as the subject
	// of a sentence ("the query parameter {name}").
	Msg *Message
}

// Str returns an Arg whose value is inserted as it is.
func Str(name, value string) Arg { return Arg{Name: name, Value: value} }

// Sub returns an Arg rendered from the template key in the same language,
// filled with args.
func Sub(name, key string, args ...Arg) Arg {
	return Arg{Name: name, Msg: &Message{Key: key, Args: args}}
}

// NewMessage returns an error with the given status whose detail is the
// catalog's template key filled with args, in the client's language (see
// WithMessage). With at most two arguments, the error and its arguments
// take one allocation.
func NewMessage(status int, key string, args ...Arg) *Error {
	e := withArgs(key, args)
	e.Status = status
	return e
}

// CodedMessage is NewMessage for a catalog code, such as
// "record_not_found"; the status comes from the catalog.
func CodedMessage(code, key string, args ...Arg) *Error {
	e := withArgs(key, args)
	e.Code = code
	return e
}

// errorArgs is an Error and room for its message's arguments, allocated
// together; errorArg is the smaller one of a single argument (a 404's
// path), in a smaller size class.
type (
	errorArgs struct {
		e    Error
		args [2]Arg
	}
	errorArg struct {
		e   Error
		arg [1]Arg
	}
)

// withArgs returns a new error with the message key and a copy of args,
// which do not escape.
func withArgs(key string, args []Arg) *Error {
	switch len(args) {
	case 0:
		return &Error{Message: Message{Key: key}}
	case 1:
		p := new(errorArg)
		p.arg[0] = args[0]
		p.e.Message.Key, p.e.Message.Args = key, p.arg[:1:1]
		return &p.e
	case 2:
		p := new(errorArgs)
		copy(p.args[:], args)
		p.e.Message.Key, p.e.Message.Args = key, p.args[:2:2]
		return &p.e
	}
	return &Error{Message: Message{Key: key, Args: append([]Arg(nil), args...)}}
}

// NewSentence returns an error of the given status whose detail is the
// message key, a sentence about {subject}: the phrase subjectKey filled with
// subjectArgs, rendered in the same language, so that a translation can
// word the subject as its grammar needs ("the query parameter {name}").
// args fill key's other placeholders. With at most one subject argument
// and three others, the error, the phrase and every argument take one
// allocation: a document listing many failures allocates once per failure.
func NewSentence(status int, key, subjectKey string, subjectArgs []Arg, args ...Arg) *Error {
	if len(subjectArgs) > 1 || len(args) > 3 {
		subject := &Message{Key: subjectKey, Args: append([]Arg(nil), subjectArgs...)}
		all := append([]Arg{{Name: "subject", Msg: subject}}, args...)
		return &Error{Status: status, Message: Message{Key: key, Args: all}}
	}
	p := new(sentenceArgs)
	p.subject.Key = subjectKey
	if n := copy(p.subjectArg[:], subjectArgs); n > 0 {
		p.subject.Args = p.subjectArg[:n:n]
	}
	p.args[0] = Arg{Name: "subject", Msg: &p.subject}
	n := 1 + copy(p.args[1:], args)
	p.e.Status, p.e.Message = status, Message{Key: key, Args: p.args[:n:n]}
	return &p.e
}

// sentenceArgs is the one allocation of NewSentence.
type sentenceArgs struct {
	e          Error
	subject    Message
	subjectArg [1]Arg
	args       [4]Arg
}

// WithMessage sets e's detail to the catalog's template key filled with
// args, rendered in the language the client asked for (see
// Catalog.WithTranslation), and returns e. Detail, when also set, is used
// only if no language of the catalog has the key. Like NewMessage, it
// copies args: the caller may reuse its slice.
func (e *Error) WithMessage(key string, args ...Arg) *Error {
	e.Message = Message{Key: key, Args: append([]Arg(nil), args...)}
	return e
}

// maxMessageDepth bounds how deeply Args may nest messages.
const maxMessageDepth = 4

// templateSource finds a message's template in one language.
type templateSource interface {
	template(key string) (string, bool)
}

// appendMessage appends m rendered with the templates of src (falling back
// to fb, then to nothing for an unknown key) to b, unescaped.
func appendMessage(b []byte, m *Message, src, fb templateSource, depth int) []byte {
	t, ok := src.template(m.Key)
	if !ok && fb != nil {
		t, ok = fb.template(m.Key)
	}
	if !ok || depth > maxMessageDepth {
		return b
	}
	return appendTemplate(b, t, m.Args, depth, func(b []byte, sub *Message, depth int) []byte {
		return appendMessage(b, sub, src, fb, depth)
	})
}

// appendTemplate appends template t filled with args; nested renders the
// arguments that are messages, one level deeper.
func appendTemplate(b []byte, t string, args []Arg, depth int, nested func([]byte, *Message, int) []byte) []byte {
	for t != "" {
		i := indexBrace(t)
		if i < 0 {
			return append(b, t...)
		}
		b = append(b, t[:i]...)
		if i+1 < len(t) && t[i+1] == t[i] {
			b = append(b, t[i])
			t = t[i+2:]
			continue
		}
		if t[i] == '}' { // refused by parseTemplate; kept as it is
			b = append(b, '}')
			t = t[i+1:]
			continue
		}
		end := strings.IndexByte(t[i:], '}')
		if end < 0 {
			return append(b, t[i:]...)
		}
		name := t[i+1 : i+end]
		t = t[i+end+1:]
		for j := range args {
			a := &args[j]
			if a.Name != name {
				continue
			}
			if a.Msg != nil && a.Msg.Key != "" {
				b = nested(b, a.Msg, depth+1)
			} else {
				b = append(b, a.Value...)
			}
			break
		}
	}
	return b
}

// appendLogText appends m for a log: the library's English, and a key the
// library lacks (the application's) as the key with its arguments,
// "app.record{id=999}".
func appendLogText(b []byte, m *Message, depth int) []byte {
	if depth > maxMessageDepth {
		return b
	}
	if t, ok := builtinTemplates[m.Key]; ok {
		return appendTemplate(b, t, m.Args, depth, appendLogText)
	}
	b = append(b, m.Key...)
	b = append(b, '{')
	for i := range m.Args {
		a := &m.Args[i]
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, a.Name...)
		b = append(b, '=')
		if a.Msg != nil && a.Msg.Key != "" {
			b = appendLogText(b, a.Msg, depth+1)
		} else {
			b = append(b, a.Value...)
		}
	}
	return append(b, '}')
}

// indexBrace returns the index of t's first '{' or '}', or -1; templates
// are short, and a plain loop beats strings.IndexAny's set building.
func indexBrace(t string) int {
	for i := 0; i < len(t); i++ {
		if c := t[i]; c == '{' || c == '}' {
			return i
		}
	}
	return -1
}

// parseTemplate checks a template's syntax and returns its placeholders'
// names, each once, in order of first use.
func parseTemplate(t string) ([]string, error) {
	segs, err := splitTemplate(t)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, sg := range segs {
		if sg.arg != "" && !slices.Contains(names, sg.arg) {
			names = append(names, sg.arg)
		}
	}
	return names, nil
}

// splitTemplate splits t into its text, with "{{" and "}}" made single
// braces, and its placeholders; it is the one reader of the template
// syntax before rendering (appendTemplate renders it as it reads). The
// last piece has no placeholder.
func splitTemplate(t string) ([]tseg, error) {
	var segs []tseg
	var lit []byte
	for rest := t; ; {
		i := indexBrace(rest)
		if i < 0 {
			lit = append(lit, rest...)
			break
		}
		lit = append(lit, rest[:i]...)
		if i+1 < len(rest) && rest[i+1] == rest[i] {
			lit = append(lit, rest[i])
			rest = rest[i+2:]
			continue
		}
		if rest[i] == '}' {
			return nil, fmt.Errorf("template %q: a lone '}' (write '}}' for a brace)", t)
		}
		end := strings.IndexByte(rest[i:], '}')
		if end < 0 {
			return nil, fmt.Errorf("template %q: '{' without '}' (write '{{' for a brace)", t)
		}
		name := rest[i+1 : i+end]
		if !validCode(name) {
			return nil, fmt.Errorf("template %q: placeholder {%s} must be lowercase letters, digits and underscores, starting with a letter", t, name)
		}
		segs = append(segs, tseg{lit: string(lit), arg: name})
		lit = lit[:0]
		rest = rest[i+end+1:]
	}
	return append(segs, tseg{lit: string(lit)}), nil
}

// sameNames reports whether a and b hold the same names, in any order.
func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}

// validMessageKey reports whether k can name a template: lowercase
// letters, digits, underscores and dots, starting with a letter.
func validMessageKey(k string) bool {
	if k == "" || len(k) > 128 || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// appendMessageString appends template t filled with m's arguments
// (rendered with src's templates, fb's for a key src lacks) as a JSON
// string, under the same rules as appendString. Text that is valid UTF-8
// and needs no escaping, as templates and most values are, is rendered in
// place, without allocating.
func appendMessageString(b []byte, t string, m *Message, src, fb templateSource) []byte {
	start := len(b)
	b = append(b, '"')
	b = appendTemplate(b, t, m.Args, 0, func(b []byte, sub *Message, depth int) []byte {
		return appendMessage(b, sub, src, fb, depth)
	})
	if raw := b[start+1:]; len(raw) > maxStringBytes || !plainText(raw) {
		s := string(raw)
		return appendString(b[:start], s)
	}
	return append(b, '"')
}

// plainText reports whether p is valid UTF-8 that a JSON string holds as it
// is: no control characters, '"', '\\', '<', '>', '&', U+2028 or U+2029.
func plainText(p []byte) bool {
	if len(p) == 0 {
		return true
	}
	s := unsafe.String(&p[0], len(p)) // read only, within this call
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plain8(load8(s, i)) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if !plainASCII[c] {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}

// ctmpl is a template split at its placeholders once, when a renderer is
// built, its text escaped for JSON: rendering it appends the pieces and
// escapes only the arguments.
type ctmpl struct {
	raw  string
	segs []tseg
}

// tseg is a piece of a template: text (JSON-escaped once compiled), then
// the placeholder arg ("" for none).
type tseg struct{ lit, arg string }

// compileTemplate splits t, its text escaped for JSON; a template that
// does not parse or is not valid UTF-8 keeps no pieces and is rendered by
// appendMessageString.
func compileTemplate(t string) *ctmpl {
	segs, err := splitTemplate(t)
	if err != nil || !utf8.ValidString(t) {
		return &ctmpl{raw: t}
	}
	for i := range segs {
		segs[i].lit = string(appendEscaped(nil, segs[i].lit))
	}
	return &ctmpl{raw: t, segs: segs}
}

// compileTable compiles every template of m.
func compileTable(m msgTable) map[string]*ctmpl {
	out := make(map[string]*ctmpl, len(m))
	for k, t := range m {
		out[k] = compileTemplate(t)
	}
	return out
}

// appendTo appends ct filled with m's arguments as a JSON string, the
// split way when ct has pieces, else the whole template's way.
func (ct *ctmpl) appendTo(b []byte, m *Message, src, fb templateSource) []byte {
	if ct.segs == nil {
		return appendMessageString(b, ct.raw, m, src, fb)
	}
	return appendCompiled(b, ct, m, src, fb)
}

// appendCompiled appends ct filled with m's arguments as a JSON string,
// exactly as appendMessageString would (to which it falls back for a
// detail past maxStringBytes or a phrase argument that needs escaping).
func appendCompiled(b []byte, ct *ctmpl, m *Message, src, fb templateSource) []byte {
	start := len(b)
	b = append(b, '"')
	for _, sg := range ct.segs {
		b = append(b, sg.lit...)
		if sg.arg == "" {
			continue
		}
		for j := range m.Args {
			a := &m.Args[j]
			if a.Name != sg.arg {
				continue
			}
			if a.Msg != nil && a.Msg.Key != "" {
				mark := len(b)
				b = appendMessage(b, a.Msg, src, fb, 1)
				if !plainText(b[mark:]) {
					return appendMessageString(b[:start], ct.raw, m, src, fb)
				}
			} else {
				// A value past the cut, or one that is not valid UTF-8
				// (whose bytes may join a neighbour's into a rune), is
				// rendered as the whole is, before escaping any of it.
				if len(b)-start+len(a.Value) > maxStringBytes || !utf8.ValidString(a.Value) {
					return appendMessageString(b[:start], ct.raw, m, src, fb)
				}
				b = appendEscaped(b, a.Value)
			}
			break
		}
	}
	if len(b)-start-1 > maxStringBytes {
		return appendMessageString(b[:start], ct.raw, m, src, fb)
	}
	return append(b, '"')
}
