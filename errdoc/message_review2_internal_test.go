package errdoc

import (
	"bytes"
	"runtime"
	"strings"
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

// Medium. appendCompiled escapes every argument in full and checks the
// 4 KiB cut only at the end, where appendMessageString cuts the raw text
// before escaping it: an argument of 1 MiB of '<' (or of invalid UTF-8),
// as a client can put in a value an application's message names, is
// escaped to 6 MiB in a growing buffer before the fallback renders it
// again, about 33 MiB allocated against the whole path's 2 MiB for a
// detail cut at 4 KiB of text. Memory should follow bytes received, not six times
// them and their growth. Fix: fall back to appendMessageString before
// escaping a Value that would take the detail past maxStringBytes
// (len(b)-start-1+len(a.Value) > maxStringBytes), and likewise after a
// Sub's raw text.
func TestReview2CompiledLongArgumentCostsAsTheWhole(t *testing.T) {
	tmpl := "No item matches {id}."
	ct := compileTemplate(tmpl)
	src := msgTable{"k": tmpl}
	allocated := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	for _, v := range []string{strings.Repeat("<", 1<<20), strings.Repeat("\xff", 1<<20)} {
		m := &Message{Key: "k", Args: []Arg{Str("id", v)}}
		var whole, compiled []byte
		w := allocated(func() { whole = appendMessageString(make([]byte, 0, 1024), tmpl, m, src, nil) })
		c := allocated(func() { compiled = appendCompiled(make([]byte, 0, 1024), ct, m, src, nil) })
		if !bytes.Equal(whole, compiled) {
			t.Fatalf("%q...: compiled and whole differ", v[:1])
		}
		if c > 3*w {
			t.Errorf("%q... (1 MiB): compiled allocates %d KiB, the whole template %d KiB, for a %d-byte detail", v[:1], c>>10, w>>10, len(compiled))
		}
	}
}
