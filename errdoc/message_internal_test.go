package errdoc

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzCompiledTemplate: a compiled template renders exactly what the
// template rendered and escaped as a whole does, whatever its arguments.
func FuzzCompiledTemplate(f *testing.F) {
	f.Add("No route matches {path}.", "/v1/nope", "x")
	f.Add("{{{a}}} <{b}> é", "\u2028\"\\", "\xff\xfe")
	f.Add("{a}{a}{b}", strings.Repeat("ñ", 3000), "")
	f.Add("", "", "")
	f.Add("{a}{b}", "\xc3", "\xa9")     // one rune split across two values
	f.Add("{a}{b}", "\xe2\x80", "\xa8") // U+2028 split
	f.Fuzz(func(t *testing.T, tmpl, a, bv string) {
		ct := compileTemplate(tmpl)
		if ct.segs == nil {
			return // rendered the whole template's way anyway
		}
		src := msgTable{"k": tmpl, "sub": "<{a}>"}
		for _, m := range []*Message{
			{Key: "k", Args: []Arg{{Name: "a", Value: a}, {Name: "b", Value: bv}}},
			{Key: "k", Args: []Arg{{Name: "b", Msg: &Message{Key: "sub", Args: []Arg{{Name: "a", Value: a}}}}}},
		} {
			want := appendMessageString(nil, tmpl, m, src, nil)
			got := appendCompiled(nil, ct, m, src, nil)
			if !bytes.Equal(got, want) {
				t.Fatalf("template %q, a %q, b %q:\ncompiled %s\nwhole    %s", tmpl, a, bv, got, want)
			}
		}
	})
}
