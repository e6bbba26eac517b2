package errdoc

import (
	"bytes"
	"testing"
)

// Low. appendCompiled escapes each argument on its own, appendMessageString
// escapes the rendered whole: two arguments side by side that each hold
// half of a UTF-8 sequence ("{a}{b}" with "\xc3" and "\xa9") render
// "\ufffd\ufffd" compiled and "é" whole, and "\xe2\x80"+"\xa8" gives
// three U+FFFD against an escaped U+2028. appendCompiled's doc says
// "exactly as appendMessageString would" and FuzzCompiledTemplate states
// it, but its seeds never put invalid halves in both arguments. Fix: in
// appendCompiled, fall back to appendMessageString for a Value that is
// not valid UTF-8 (or make the whole path replace per argument), and seed
// the fuzz test with this case.
func TestReview2CompiledArgumentsEscapeAsTheWhole(t *testing.T) {
	for _, c := range []struct{ tmpl, a, b string }{
		{"{a}{b}", "\xc3", "\xa9"},
		{"x{a}{b}y", "\xe2\x80", "\xa8"},
	} {
		m := &Message{Key: "k", Args: []Arg{Str("a", c.a), Str("b", c.b)}}
		src := msgTable{"k": c.tmpl}
		want := appendMessageString(nil, c.tmpl, m, src, nil)
		got := appendCompiled(nil, compileTemplate(c.tmpl), m, src, nil)
		if !bytes.Equal(got, want) {
			t.Errorf("template %q, a %q, b %q: compiled %s, whole %s", c.tmpl, c.a, c.b, got, want)
		}
	}
}
