package errdoc

import (
	"encoding/json"
	"strings"
	"testing"
)

// appendString must agree with encoding/json's HTML-safe encoding for every
// string that is valid UTF-8 and under the length cap, at every alignment of
// the word-at-a-time fast path.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	specials := []string{"a", "é", "\"", "\\", "<", ">", "&", "\x00", "\x1f", "\x7f", "\u2028", "\u2029", "\n", "€", "𝄞", " "}
	for _, sp := range specials {
		for pad := 0; pad < 17; pad++ {
			for _, s := range []string{strings.Repeat("x", pad) + sp, sp + strings.Repeat("y", pad), strings.Repeat("z", pad) + sp + strings.Repeat("w", 17-pad)} {
				want, _ := json.Marshal(s)
				if got := string(appendString(nil, s)); got != string(want) {
					t.Fatalf("%q: got %s, want %s", s, got, want)
				}
			}
		}
	}
}

func TestAppendStringInvalidUTF8AndCap(t *testing.T) {
	if got := string(appendString(nil, "ab\xffcdefghij\xfe")); got != `"ab\ufffdcdefghij\ufffd"` {
		t.Fatal(got)
	}
	long := strings.Repeat("é", maxStringBytes)
	var s string
	if err := json.Unmarshal(appendString(nil, long), &s); err != nil {
		t.Fatal(err)
	}
	if len(s) > maxStringBytes+len("…") || !strings.HasSuffix(s, "…") {
		t.Fatalf("cut to %d bytes", len(s))
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("plain ascii text that is long enough")
	f.Add("<a href=\"x\">&amp;</a>\u2028\x00")
	f.Fuzz(func(t *testing.T, s string) {
		out := appendString(nil, s)
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q encoded as invalid JSON %s", s, out)
		}
		if strings.ContainsAny(string(out), "<>&") {
			t.Fatalf("unescaped markup in %s", out)
		}
		if len(s) <= maxStringBytes {
			// encoding/json replaces each invalid byte with U+FFFD, as we do.
			var want string
			ref, _ := json.Marshal(s)
			_ = json.Unmarshal(ref, &want)
			if back != want {
				t.Fatalf("%q came back as %q, encoding/json gives %q", s, back, want)
			}
		}
	})
}
